/** Stackwatch inside a real VS Code, against the local CloudFormation endpoint the runner started. */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { DeploymentView, StackwatchApi } from '../../../src/api';
import { COMMANDS } from '../../../src/commands/ids';

const EXTENSION_ID = 'stackwatch.stackwatch';

async function stackwatch(): Promise<StackwatchApi> {
  const extension = vscode.extensions.getExtension<StackwatchApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  return extension.activate();
}

async function until<T>(probe: () => T | undefined | false, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Asks the runner, which drives the browser like a person, to click a button in the monitor, and
 * waits until it has. Consent in particular can only come from a click in the monitor.
 */
async function personClicks(button: string): Promise<void> {
  const file = process.env.STACKWATCH_CLICK_FILE;
  assert.ok(file, 'the runner passes STACKWATCH_CLICK_FILE');
  const id = `${Date.now()}`;
  writeFileSync(file, JSON.stringify({ id, button }));
  await until(() => existsSync(`${file}.${id}.done`), `a click on "${button}"`, 60_000);
}

/** The next finished deployment of a stack that satisfies `which` (by default, any). */
function finishedDeployment(api: StackwatchApi, key: string, what: string, which: (view: DeploymentView) => boolean = () => true): Promise<DeploymentView> {
  return until(() => {
    const view = api.deployment(key);
    return view?.finished && which(view) ? view : undefined;
  }, what);
}

async function configure(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('stackwatch');
  for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.Workspace);
}

async function closeMonitorTabs(): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.label.startsWith('Deploy:'));
  await vscode.window.tabGroups.close(tabs);
}

describe('Stackwatch in VS Code', () => {
  it('activates and registers every command it contributes', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const manifest = JSON.parse(readFileSync(join(extension.extensionPath, 'package.json'), 'utf8')) as {
      contributes: { commands: Array<{ command: string }> };
    };
    await stackwatch();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = manifest.contributes.commands.map((c) => c.command);
    assert.deepEqual(
      contributed.filter((command) => !registered.has(command)),
      [],
    );
    // Every command the code defines is contributed, so a stripped manifest cannot pass as complete.
    assert.deepEqual([...contributed].sort(), Object.values(COMMANDS).sort());
  });

  it('deploys from the command to the outputs, with the status bar following along', async () => {
    const api = await stackwatch();
    await configure({ templatePath: 'template.yaml', stackName: 'orders-api', autoExecute: true });
    const texts: string[] = [];
    const watch = setInterval(() => {
      const text = api.statusBar()?.text;
      if (text && texts.at(-1) !== text) texts.push(text);
    }, 50);
    try {
      void vscode.commands.executeCommand('stackwatch.deployProject');
      const end = await finishedDeployment(api, 'aws:us-east-1:orders-api', 'the deployment to finish');
      assert.equal(end.model.final, 'succeeded', end.model.error?.message);
      assert.equal(end.monitorOpen, true, 'the monitor opened');
      const apiUrl = end.model.outputs.find((o) => o.key === 'ApiUrl');
      assert.match(apiUrl?.value ?? '', /^https:\/\/\w+\.lambda-url\.us-east-1\.on\.aws\/$/);
      assert.equal(end.model.statusLine, '5/5 done, 0 errors; stack state: CREATE_COMPLETE');
    } finally {
      clearInterval(watch);
    }
    const result = api.statusBar()?.text;
    if (result && texts.at(-1) !== result) texts.push(result);
    assert.ok(
      texts.some((text) => /orders-api \d\/5/.test(text)),
      `progress was shown: ${texts.join(' | ')}`,
    );
    assert.ok(texts.length >= 3, `the text changed as it went: ${texts.join(' | ')}`);
    assert.match(texts.at(-1) ?? '', /\$\(check\).*orders-api/, `the result stays: ${texts.join(' | ')}`);
  });

  it('runs the build task first: a failing build stops the deployment before anything is deployed', async () => {
    const api = await stackwatch();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder);
    mkdirSync(join(folder, '.vscode'), { recursive: true });
    writeFileSync(
      join(folder, '.vscode', 'tasks.json'),
      JSON.stringify({
        version: '2.0.0',
        tasks: [
          { label: 'build-fails', type: 'shell', command: 'exit 3' },
          { label: 'build-ok', type: 'shell', command: 'echo built > build-output.txt' },
        ],
      }),
    );
    const key = 'aws:us-east-1:orders-built';
    await configure({ templatePath: 'template.yaml', stackName: 'orders-built', autoExecute: true, buildTask: 'build-fails' });
    void vscode.commands.executeCommand('stackwatch.deployProject');
    const failed = await finishedDeployment(api, key, 'the failed build');
    assert.equal(failed.model.final, 'failed');
    assert.equal(failed.model.error?.code, 'Preflight');
    assert.match(failed.model.error?.message ?? '', /build task "build-fails" failed with exit code 3/);
    const state = (await (await fetch(`${process.env.STACKWATCH_SIM_URL}/_sim/state`)).json()) as { stacks: Array<{ name: string }> };
    assert.ok(!state.stacks.some((stack) => stack.name === 'orders-built'), 'nothing reached CloudFormation');

    await configure({ buildTask: 'build-ok' });
    void vscode.commands.executeCommand('stackwatch.deployProject');
    const built = await finishedDeployment(api, key, 'the built deployment', (v) => v.deploymentId !== failed.deploymentId);
    assert.equal(built.model.final, 'succeeded', built.model.error?.message);
    assert.ok(existsSync(join(folder, 'build-output.txt')), 'the build ran');
    await configure({ buildTask: undefined });
  });

  it('keeps deploying with the monitor closed; the monitor comes back with its state, and a second deploy restores it', async () => {
    const api = await stackwatch();
    await configure({ templatePath: 'scenarios/slow-update.yaml', stackName: 'orders-slow', autoExecute: true });
    const key = 'aws:us-east-1:orders-slow';
    void vscode.commands.executeCommand('stackwatch.deployProject');
    const running = await until(() => {
      const view = api.deployment(key);
      return view && view.model.phase === 'monitoring' && view.model.progress.done >= 1 ? view : undefined;
    }, 'the slow deployment to be under way');
    await closeMonitorTabs();
    await until(() => api.deployment(key)?.monitorOpen === false, 'the monitor to close');
    const background = api.deployment(key);
    assert.equal(background?.finished, false, 'still deploying in the background');
    assert.match(api.statusBar()?.text ?? '', /orders-slow \d\/2/);

    await vscode.commands.executeCommand('stackwatch.showMonitor', key);
    const back = await until(() => {
      const view = api.deployment(key);
      return view?.monitorOpen ? view : undefined;
    }, 'the monitor to come back');
    assert.equal(back.deploymentId, running.deploymentId);
    assert.deepEqual(
      back.model.changes.map((c) => c.logicalId),
      running.model.changes.map((c) => c.logicalId),
    );
    assert.ok(back.model.progress.done >= running.model.progress.done);

    await vscode.commands.executeCommand('stackwatch.deployProject');
    const again = api.deployment(key);
    assert.equal(again?.deploymentId, running.deploymentId, 'no second deployment was started');
    assert.equal(again?.monitorOpen, true);

    const end = await finishedDeployment(api, key, 'the slow deployment to finish');
    assert.equal(end.model.final, 'succeeded', end.model.error?.message);
  });

  it('Stop during a slow update rolls it back, and says it was stopped', async () => {
    const api = await stackwatch();
    const key = 'aws:us-east-1:orders-stop';
    await configure({ templatePath: 'scenarios/slow-update.yaml', stackName: 'orders-stop', autoExecute: true, parameters: { WorkerCount: '1' } });
    void vscode.commands.executeCommand('stackwatch.deployProject');
    const created = await finishedDeployment(api, key, 'the first deployment');
    assert.equal(created.model.final, 'succeeded');
    await configure({ parameters: { WorkerCount: '3' } });
    void vscode.commands.executeCommand('stackwatch.deployProject');
    await until(() => {
      const view = api.deployment(key);
      // Stop is offered from the execute on; this test stops an update that is underway.
      return view && view.deploymentId !== created.deploymentId && view.model.providerStatus === 'UPDATE_IN_PROGRESS' && view.model.controls.stop.enabled;
    }, 'Stop to be offered during the update');
    await vscode.commands.executeCommand('stackwatch.stopDeployment', key);
    const end = await finishedDeployment(api, key, 'the rollback', (v) => v.deploymentId !== created.deploymentId);
    assert.equal(end.model.final, 'rolledBack');
    assert.equal(end.model.shown, 'rolledBack', 'a stop is not a failure');
    assert.equal(end.model.providerStatus, 'UPDATE_ROLLBACK_COMPLETE');
    await configure({ parameters: undefined });
  });

  it('a failed create rolls back; deploying again asks first, and a click on "Delete and recreate" recreates it', async () => {
    const api = await stackwatch();
    const key = 'aws:us-east-1:orders-failing';
    await configure({ templatePath: 'scenarios/failure.yaml', stackName: 'orders-failing', autoExecute: true });
    void vscode.commands.executeCommand('stackwatch.deployProject');
    const failed = await finishedDeployment(api, key, 'the failed create');
    assert.equal(failed.model.final, 'rolledBack');
    assert.equal(failed.model.failures.rootCause?.logicalId, 'Alerts');
    assert.ok(failed.model.failures.cancellations.some((c) => c.logicalId === 'Events'));

    await configure({ templatePath: 'template.yaml' });
    void vscode.commands.executeCommand('stackwatch.deployProject');
    const asking = await until(() => {
      const view = api.deployment(key);
      return view && view.deploymentId !== failed.deploymentId && view.model.phase === 'consent' ? view : undefined;
    }, 'the consent question');
    assert.equal(asking.model.consent?.stackStatus, 'ROLLBACK_COMPLETE');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.equal(api.deployment(key)?.model.phase, 'consent', 'nothing happens without an answer');
    await personClicks('Delete and recreate');
    const end = await finishedDeployment(api, key, 'the recreated stack', (v) => v.deploymentId === asking.deploymentId);
    assert.equal(end.model.final, 'succeeded', end.model.error?.message);
    assert.ok(end.model.outputs.some((o) => o.key === 'ApiUrl'));
  });

  it('a template with three YAML problems: the Problems panel has each at its own line', async () => {
    const api = await stackwatch();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder);
    const file = join(folder, 'three-problems.yaml');
    writeFileSync(
      file,
      [
        "AWSTemplateFormatVersion: '2010-09-09'",
        'Resources:',
        '  Queue:',
        '    Type: AWS::SQS::Queue',
        '    Properties:',
        '      QueueName: [a, b',
        '  Bucket:',
        '    Type: AWS::S3::Bucket',
        '    Properties: {x: 1',
        '  Other:',
        '     Type: x',
        '    Properties: y',
        '',
      ].join('\n'),
    );
    await configure({ templatePath: 'three-problems.yaml', stackName: 'orders-yaml', autoExecute: true });
    void vscode.commands.executeCommand('stackwatch.deployProject');
    const failed = await finishedDeployment(api, 'aws:us-east-1:orders-yaml', 'the refused template');
    assert.equal(failed.model.final, 'failed');
    const diagnostics = await until(() => {
      const found = vscode.languages.getDiagnostics(vscode.Uri.file(file)).filter((d) => d.source === 'Stackwatch');
      return found.length > 0 ? found : undefined;
    }, 'the Problems entries');
    assert.deepEqual(
      diagnostics.map((d) => [d.range.start.line + 1, d.range.start.character + 1]),
      [
        [6, 18],
        [9, 17],
        [12, 1],
      ],
    );
    await configure({ templatePath: 'template.yaml' });
  });

  it('Stop from the Command Palette, with the configured stack in review, asks which deployment and stops the one picked', async () => {
    const api = await stackwatch();
    const updating = 'aws:us-east-1:orders-pick';
    const reviewing = 'aws:us-east-1:orders-review';
    await configure({ templatePath: 'scenarios/slow-update.yaml', stackName: 'orders-pick', autoExecute: true, parameters: { WorkerCount: '1' } });
    void vscode.commands.executeCommand('stackwatch.deployProject');
    const created = await finishedDeployment(api, updating, 'the first deployment');
    assert.equal(created.model.final, 'succeeded', created.model.error?.message);

    await configure({ templatePath: 'template.yaml', stackName: 'orders-review', autoExecute: false, parameters: undefined });
    void vscode.commands.executeCommand('stackwatch.deployProject');
    await until(() => api.deployment(reviewing)?.model.phase === 'review', 'the review');

    await configure({ templatePath: 'scenarios/slow-update.yaml', stackName: 'orders-pick', autoExecute: true, parameters: { WorkerCount: '3' } });
    void vscode.commands.executeCommand('stackwatch.deployProject');
    await until(() => {
      const view = api.deployment(updating);
      return view && view.deploymentId !== created.deploymentId;
    }, 'the update to start');
    // The settings name the stack in review again before the update runs (it runs for a few
    // seconds only): Stop, as the Command Palette runs it (no key), must still mean the update.
    await configure({ stackName: 'orders-review' });
    await until(() => {
      const view = api.deployment(updating);
      return view && view.model.providerStatus === 'UPDATE_IN_PROGRESS' && view.model.controls.stop.enabled;
    }, 'the update to be under way');
    // The configured stack cannot stop, so Stop asks which one, by name, Keep first: the
    // person moves down to "Stop orders-pick" and accepts.
    const stopping = vscode.commands.executeCommand('stackwatch.stopDeployment');
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(api.deployment(updating)?.model.phase, 'monitoring', 'nothing is stopped before the person picks');
    await vscode.commands.executeCommand('quickInput.next');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await stopping;
    const end = await finishedDeployment(api, updating, 'the rollback', (v) => v.deploymentId !== created.deploymentId);
    assert.equal(end.model.final, 'rolledBack');
    assert.equal(api.deployment(reviewing)?.model.phase, 'review', 'the review waits on');
  });
});
