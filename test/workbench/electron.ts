/**
 * The same extension-host suite in VS Code desktop, through @vscode/test-electron, for people who
 * have VS Code installed: `VSCODE_EXECUTABLE_PATH=/path/to/code npm run test:electron`. Without
 * that variable it would download VS Code, which this project's machines cannot, so it says so and stops.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { runTests } from '@vscode/test-electron';
import { ROOT, run } from '../../scripts/codeServer';

async function main(): Promise<number> {
  const executable = process.env.VSCODE_EXECUTABLE_PATH;
  if (!executable) {
    console.log('# test:electron skipped: set VSCODE_EXECUTABLE_PATH to a local VS Code (the workbench suite runs in code-server instead)');
    return 0;
  }
  run('node', ['scripts/build.mjs'], { quiet: true });
  const suite = join(ROOT, 'out', 'workbench', 'index.js');
  await build({
    entryPoints: [join(ROOT, 'test', 'workbench', 'suite', 'index.ts')],
    outfile: suite,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  const workspace = join(mkdtempSync(join(tmpdir(), 'stackwatch-electron-')), 'workspace');
  cpSync(join(ROOT, 'sample'), workspace, { recursive: true });
  return runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: suite,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
