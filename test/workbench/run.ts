/**
 * The extension-host suite inside a real VS Code: code-server 4.100.3 in headless Chromium, with
 * the extension loaded from this folder through code-server's test payload, against the local
 * CloudFormation simulator.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Page } from 'playwright-core';
import { startCfnSim } from '../../tools/cfn-sim/index';
import { CHROMIUM_ARGS, ROOT, ensureChromium, run, startCodeServer } from '../../scripts/codeServer';
import { freePort } from '../support/freePort';

interface Report {
  results: Array<{ title: string; state: string; durationMs?: number; error?: string }>;
}

/**
 * The person at the keyboard: the suite asks for a click in the monitor (a file with the button's
 * label), and this clicks it in the real webview, like a user would, then says it is done.
 */
async function actAsPerson(page: Page, clickFile: string, stopped: () => boolean): Promise<void> {
  const monitor = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  while (!stopped()) {
    if (existsSync(clickFile)) {
      const request = JSON.parse(readFileSync(clickFile, 'utf8')) as { id: string; button: string };
      try {
        await monitor.getByRole('button', { name: request.button }).first().click({ timeout: 5_000 });
        await page.screenshot({ path: join(ROOT, 'test-results', `workbench-click-${request.button.replace(/\W+/g, '-').toLowerCase()}.png`) });
        rmSync(clickFile, { force: true });
        writeFileSync(`${clickFile}.${request.id}.done`, '');
      } catch {
        // Not on screen yet: try again.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function main(): Promise<number> {
  // Installs Debian's Chromium as `npm start` installs code-server, or throws with the command
  // to run: a missing browser fails this layer, never skips it.
  const chromiumPath = ensureChromium();
  const started = Date.now();
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
    sourcemap: 'inline',
    logLevel: 'warning',
  });

  const work = mkdtempSync(join(tmpdir(), 'stackwatch-workbench-'));
  const workspace = join(work, 'workspace');
  cpSync(join(ROOT, 'sample'), workspace, { recursive: true });
  const sim = await startCfnSim({ speed: 20 });
  const settingsFile = join(workspace, '.vscode', 'settings.json');
  const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(settingsFile, JSON.stringify({ ...settings, 'stackwatch.aws.endpoint': sim.url, 'stackwatch.cfnLint': 'off' }, null, 2));
  const report = join(work, 'report.json');
  const clickFile = join(work, 'click.json');
  const port = await freePort();
  const codeServer = await startCodeServer({
    stateDir: join(work, 'code-server'),
    port,
    workspace,
    quiet: true,
    env: {
      AWS_ACCESS_KEY_ID: 'AKIASTACKWATCHTEST',
      AWS_SECRET_ACCESS_KEY: 'stackwatch-test',
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      STACKWATCH_TEST_REPORT: report,
      STACKWATCH_SIM_URL: sim.url,
      STACKWATCH_CLICK_FILE: clickFile,
    },
  });
  const browser = await chromium.launchPersistentContext(join(work, 'chromium'), {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
  });
  let exitCode = 1;
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    const finished = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    const authority = `127.0.0.1:${port}`;
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${authority}${ROOT}`],
      ['extensionTestsPath', `vscode-remote://${authority}${suite}`],
    ];
    await page.goto(`${codeServer.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(-1), 10 * 60_000));
    let done = false;
    const person = actAsPerson(page, clickFile, () => done);
    exitCode = await Promise.race([finished, timeout]);
    done = true;
    await person;
    await page.screenshot({ path: join(ROOT, 'test-results', 'workbench-final.png') }).catch(() => undefined);
    if (exitCode === -1) console.log('workbench: the suite did not finish within 10 minutes');
  } finally {
    await browser.close();
    await codeServer.stop();
    await sim.close();
  }

  const results = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as Report).results : [];
  for (const result of results) {
    const mark = result.state === 'passed' ? '✔' : result.state === 'failed' ? '✖' : '-';
    console.log(`${mark} ${result.title}${result.durationMs !== undefined ? ` (${result.durationMs} ms)` : ''}`);
    if (result.error)
      console.log(
        result.error
          .split('\n')
          .map((line) => `    ${line}`)
          .join('\n'),
      );
  }
  const passed = results.filter((r) => r.state === 'passed').length;
  const failed = results.filter((r) => r.state === 'failed').length;
  console.log(`workbench: ${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  if (results.length === 0) console.log(`workbench: no report; code-server said:\n${codeServer.output()}`);
  rmSync(work, { recursive: true, force: true });
  return exitCode === 0 && failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
