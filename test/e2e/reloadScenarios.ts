/**
 * A window reload in the middle of a deployment: the monitor comes back by itself, showing what it
 * last knew before the provider has answered a single read, and then goes on with the deployment.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from './scenarios';
import { STATUS_BAR_ITEM, deployProject, finalStatus, monitor, runCommand, setSettings, step, type E2E } from './workbench';

/**
 * When the extension host last activated Stackwatch, from code-server's extension host logs (local
 * time, as this machine's clock), or undefined if they don't say.
 */
function lastActivation(workspace: string): number | undefined {
  const logs = join(workspace, '..', 'code-server', 'user-data', 'logs');
  const times: number[] = [];
  for (const session of readdirSync(logs)) {
    for (const host of readdirSync(join(logs, session)).filter((name) => name.startsWith('exthost'))) {
      let text = '';
      try {
        text = readFileSync(join(logs, session, host, 'remoteexthost.log'), 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n')) {
        const match = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3}) .*_doActivateExtension stackwatch\.stackwatch/.exec(line);
        if (match) times.push(new Date(`${match[1]}T${match[2]}`).getTime());
      }
    }
  }
  return times.length > 0 ? Math.max(...times) : undefined;
}

/** Seconds from `since` to now, for the scenario's log line. */
function secondsSince(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}

/**
 * Reloads the window the given way and waits for the monitor to be back with the stack's rows,
 * while every read fails: whatever it shows, it knew before the reload. Returns the log line.
 */
async function reloadAndFindMonitor(e2e: E2E, how: 'command' | 'browser'): Promise<string> {
  const { page } = e2e;
  const readsFrom = e2e.sim.calls().length;
  for (const action of ['DescribeStacks', 'DescribeStackEvents', 'DescribeStackResources', 'ListStackResources', 'DescribeChangeSet']) {
    e2e.sim.inject({ action, kind: 'server-error', count: 1_000 });
  }
  const reloaded = Date.now();
  step(`reload the window (${how})`);
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: 30_000 });
  // "command" is Developer: Reload Window, which lets the workbench save its editors first; a
  // browser refresh (F5 in the browser) may not, and the monitor must come back all the same.
  if (how === 'command') await runCommand(page, 'Developer: Reload Window');
  else await page.reload({ waitUntil: 'commit' });
  await navigated;
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  const workbenchAt = secondsSince(reloaded);
  const after = monitor(page);
  await after.locator('#stack-name').filter({ hasText: 'orders-reload' }).waitFor({ timeout: 60_000 });
  await after.locator('tr.change-row[data-id="Jobs"]').waitFor({ timeout: 5_000 });
  const monitorAt = secondsSince(reloaded);
  const activated = lastActivation(e2e.workspace);
  const afterActivation = activated === undefined ? 'unknown' : secondsSince(activated);
  assert.equal(await after.locator('#final-status').isVisible(), false, 'the monitor is back mid-deployment');
  const answered = e2e.sim
    .calls()
    .slice(readsFrom)
    .filter((call) => call.status === 200).length;
  assert.equal(answered, 0, 'the monitor showed its last known state before any read was answered');
  // The status bar follows the reattached deployment too.
  await page
    .locator(STATUS_BAR_ITEM)
    .filter({ hasText: /orders-reload/ })
    .waitFor({ timeout: 10_000 });
  e2e.sim.clearFaults();
  return `reload (${how}): workbench after ${workbenchAt} s; monitor with its last known state after ${monitorAt} s, ${afterActivation} s after Stackwatch activated`;
}

export const RELOAD_SCENARIOS: Scenario[] = [
  {
    name: 'reload-restore',
    async run(e2e: E2E) {
      const { page } = e2e;
      await setSettings(e2e, {
        'stackwatch.stackName': 'orders-reload',
        'stackwatch.templatePath': 'scenarios/slow-update.yaml',
        'stackwatch.autoExecute': true,
      });
      // Slow enough that the create is still running across both reloads (45 s).
      e2e.sim.setSpeed(1);
      await deployProject(page);
      const before = monitor(page);
      await before.locator('#status-line').filter({ hasText: 'CREATE_IN_PROGRESS' }).waitFor({ timeout: 30_000 });
      await before.locator('tr.change-row[data-id="Jobs"]').waitFor();

      // Right away: the workbench has likely not saved its editors yet, so Stackwatch itself
      // brings the monitor back.
      console.log(`    ${await reloadAndFindMonitor(e2e, 'browser')}`);
      console.log(`    ${await reloadAndFindMonitor(e2e, 'command')}`);
      await e2e.screenshot('after-reload');

      // Closed by the person, the monitor stays closed after a reload, but the deployment is
      // reattached all the same: the status bar shows it without a command being run.
      const tab = page.locator('.tabs-container .tab').filter({ hasText: 'Deploy: orders-reload' });
      await tab.hover();
      await tab.locator('.tab-actions .action-label').click();
      await page.waitForFunction("document.querySelector('iframe.webview') === null", undefined, { timeout: 10_000 });
      const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: 30_000 });
      await runCommand(page, 'Developer: Reload Window');
      await navigated;
      await page
        .locator(STATUS_BAR_ITEM)
        .filter({ hasText: /orders-reload \d\/2/ })
        .waitFor({ timeout: 60_000 });
      assert.equal(await page.locator('iframe.webview').count(), 0, 'a monitor the person closed stays closed');
      await page.locator(STATUS_BAR_ITEM).locator('a, .statusbar-item-label').first().click();

      e2e.sim.setSpeed(20);
      await finalStatus(page, 'Deployment succeeded', 60_000);
      await e2e.screenshot();
    },
  },
];
