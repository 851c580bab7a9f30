/**
 * The workbench e2e suite: the packaged VSIX installed in code-server 4.100.3, driven through
 * Debian Chromium like a person would, against the local CloudFormation simulator. One screenshot
 * per scenario in test-results/e2e-<n>-<name>.png.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startCfnSim } from '../../tools/cfn-sim/index';
import { startImSim } from '../../tools/im-sim/index';
import { CHROMIUM_ARGS, ROOT, ensureChromium, run, startCodeServer } from '../../scripts/codeServer';
import { freePort } from '../support/freePort';
import { SCENARIOS } from './scenarios';
import { SAMPLE_EXISTING_RESOURCES, seedBrokenStack } from '../../scripts/sampleStacks';
import { closeAllEditors, setSettings, step, type E2E } from './workbench';

/** Simulated seconds per real second: the sample's 45 s resource takes 4.5 s. */
const SPEED = 10;
const SCENARIO_TIMEOUT_MS = 90_000;

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** E2E_ONLY=name,name runs only those scenarios, for a quick local loop. */
function chosen(name: string): boolean {
  const only = process.env.E2E_ONLY?.split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  return !only || only.length === 0 || only.includes(name);
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

async function main(): Promise<number> {
  // Installs Debian's Chromium as `npm start` installs code-server, or throws with the command
  // to run: a missing browser fails this layer, never skips it.
  const chromiumPath = ensureChromium();
  // A filter that matches nothing would otherwise end "0 passed, 0 failed" and exit green.
  if (!SCENARIOS.some((scenario) => chosen(scenario.name))) {
    console.log(`E2E_ONLY=${process.env.E2E_ONLY ?? ''} names no scenario; the scenarios are: ${SCENARIOS.map((scenario) => scenario.name).join(', ')}`);
    return 1;
  }
  const started = Date.now();
  run('npm', ['run', '--silent', 'package'], { quiet: true });
  const results = join(ROOT, 'test-results');
  mkdirSync(results, { recursive: true });

  const work = mkdtempSync(join(tmpdir(), 'stackwatch-e2e-'));
  const workspace = join(work, 'workspace');
  cpSync(join(ROOT, 'sample'), workspace, { recursive: true });
  const sim = await startCfnSim({ speed: SPEED, existingResources: SAMPLE_EXISTING_RESOURCES });
  await seedBrokenStack(sim, 'orders-broken');
  const imSim = await startImSim({ speed: SPEED });
  const codeServer = await startCodeServer({
    stateDir: join(work, 'code-server'),
    port: await freePort(),
    workspace,
    vsix: join(ROOT, 'stackwatch.vsix'),
    // The Get Started walkthrough would open beside the editor on the first scenario's first
    // command, in its screenshots; the setting a person would use keeps it closed.
    machineSettings: { 'workbench.welcomePage.walkthroughs.openOnInstall': false },
    quiet: true,
    env: {
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'y',
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      STACKWATCH_GCP_ACCESS_TOKEN: imSim.token,
    },
  });
  const browser = await chromium.launchPersistentContext(join(work, 'chromium'), {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  // code-server registers its own (PWA) service worker at the root scope; a webview iframe loaded
  // before the webview's own worker is active is then controlled by the wrong one, and VS Code
  // retries for ~30 s before the monitor renders. The PWA worker does nothing a test needs.
  await browser.route('**/_static/out/browser/serviceWorker.js', (route) => route.abort());
  let passed = 0;
  let failed = 0;
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(30_000);
    if (process.env.E2E_DEBUG) {
      browser.on('console', (msg) => step(`console ${msg.type()} ${msg.text().slice(0, 200)}`));
      browser.on('requestfailed', (request) => step(`requestfailed ${request.url().slice(0, 150)} ${request.failure()?.errorText ?? ''}`));
    }
    const e2e: E2E = {
      page,
      sim,
      imSim,
      workspace,
      speed: SPEED,
      screenshot: async () => undefined,
      readWorkspaceFile: (relative) => readFileSync(join(workspace, relative), 'utf8'),
    };
    await setSettings(e2e, { 'stackwatch.stackName': 'orders-api' });
    await page.goto(`${codeServer.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The extension is installed once the workbench has restored its editors (the sample README).
    await page.locator('.tabs-container .tab').first().waitFor({ timeout: 30_000 });

    for (const [index, scenario] of SCENARIOS.entries()) {
      if (!chosen(scenario.name)) continue;
      const shot = (suffix?: string) => join(results, `e2e-${index + 1}-${scenario.name}${suffix ? `-${suffix}` : ''}.png`);
      e2e.screenshot = async (suffix) => void (await page.screenshot({ path: shot(suffix) }));
      const begun = Date.now();
      const firstCall = sim.calls().length;
      try {
        sim.setSpeed(SPEED);
        imSim.setSpeed(SPEED);
        // A scenario that failed with faults armed must not fail the ones after it.
        sim.clearFaults();
        // The pointer rests where the last scenario left it; park it so nothing shows as hovered.
        await page.mouse.move(700, 880);
        step('close all editors');
        await closeAllEditors(page);
        await withTimeout(scenario.run(e2e), SCENARIO_TIMEOUT_MS, scenario.name);
        passed++;
        for (const call of sim.calls().slice(firstCall)) step(`sim ${call.at.slice(11, 23)} ${call.action} ${call.status}`);
        console.log(`✔ ${scenario.name} (${Date.now() - begun} ms)`);
      } catch (error) {
        failed++;
        console.log(`✖ ${scenario.name}: ${message(error)}`);
        await page.screenshot({ path: join(results, `e2e-${index + 1}-${scenario.name}-failed.png`) }).catch(() => undefined);
        // Whatever the failure left open (a palette, a dialog) must not leak into the next scenario.
        await page.keyboard.press('Escape').catch(() => undefined);
      }
    }
  } catch (error) {
    failed++;
    console.log(`✖ set-up: ${message(error)}`);
    console.log(codeServer.output());
  } finally {
    await browser.close();
    await codeServer.stop();
    await sim.close();
    await imSim.close();
    // E2E_KEEP=1 keeps the workspace, code-server's logs and state for a look afterwards.
    if (process.env.E2E_KEEP) console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  console.log(`e2e wall time ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed === SCENARIOS.filter((scenario) => chosen(scenario.name)).length ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
