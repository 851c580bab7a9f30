/**
 * The monitor without a mouse, and in a narrow editor: a deployment from the Command Palette to
 * Done with the keyboard alone, and a deployment read in a monitor 450 px wide.
 */
import assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import type { Scenario } from './scenarios';
import { deployProject, finalStatus, monitor, runCommand, setSettings, sleep, step, type E2E } from './workbench';

/** The monitor page's focused element, described: its id, or its classes, and its row's resource. */
async function focusedInMonitor(frame: FrameLocator): Promise<string> {
  // A string, run in the page: this file is compiled without the DOM's types.
  return frame.locator('body').evaluate<string, undefined>(`(() => {
    const active = document.activeElement;
    if (!active || active === document.body) return '';
    const row = active.closest('tr[data-id]')?.getAttribute('data-id');
    const classes = active.className ? '.' + String(active.className).trim().split(/\\s+/).join('.') : '';
    return (active.id ? '#' + active.id : '') + classes + (row ? ' in ' + row : '');
  })()`);
}

/**
 * Presses Tab until the monitor's focused element matches, as a person tabbing through the page
 * would; fails with the places it went through when it never gets there.
 */
async function tabTo(page: Page, frame: FrameLocator, wanted: RegExp, most = 40): Promise<void> {
  const seen: string[] = [];
  for (let presses = 0; presses < most; presses++) {
    const now = await focusedInMonitor(frame);
    if (wanted.test(now)) return;
    seen.push(now || '(outside the monitor)');
    await page.keyboard.press('Tab');
    await sleep(60);
  }
  throw new Error(`Tab never reached ${wanted}; it went through: ${seen.join(' → ')}`);
}

/** F1, the command, Enter, and nothing else: the keyboard-only version of runCommand. */
async function runCommandByKeyboard(page: Page, label: string): Promise<void> {
  const input = page.locator('.quick-input-widget input.input');
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible', timeout: 5_000 });
  await page.keyboard.type(label);
  await page
    .locator('.quick-input-list .monaco-list-row.focused')
    .filter({ hasText: label.replace(/^[^:]*:\s*/, '') })
    .waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 5_000 });
}

export const ACCESS_SCENARIOS: Scenario[] = [
  {
    name: 'keyboard-only',
    async run(e2e: E2E) {
      const { page } = e2e;
      await setSettings(e2e, { 'stackwatch.stackName': 'orders-keys', 'stackwatch.templatePath': 'scenarios/failure.yaml' });
      // No pointer from here on: every step is a key press.
      await runCommandByKeyboard(page, 'Stackwatch: Deploy Project');
      const frame = monitor(page);
      await frame.locator('#btn-execute:not([disabled])').waitFor({ timeout: 30_000 });
      step('review: tab to Execute');
      await tabTo(page, frame, /^#btn-execute\b/);
      await e2e.screenshot('review');
      await page.keyboard.press('Enter');
      await finalStatus(page, 'rolled back');

      step('failure: tab to the failed resource and read its reason');
      await tabTo(page, frame, /status-icon.* in Alerts$/);
      const reason = frame.locator('tr.change-row[data-id="Alerts"] .status-icon .tooltip');
      await reason.waitFor({ state: 'visible', timeout: 5_000 });
      assert.match((await reason.textContent()) ?? '', /DisplayName must be at most 100 characters/);
      await e2e.screenshot('reason');

      step('Logs…');
      await tabTo(page, frame, /^#btn-logs\b/);
      await page.keyboard.press('Enter');
      const output = page.locator('.part.panel .output-view, .part.panel [id="workbench.panel.output"]').first();
      await output.waitFor({ state: 'visible', timeout: 10_000 });
      await page.locator('.part.panel').filter({ hasText: 'orders-keys' }).waitFor({ timeout: 10_000 });
      await e2e.screenshot('logs');

      step('Done');
      // The log opened without taking the keyboard, so the monitor still has it.
      await tabTo(page, frame, /^#btn-done\b/);
      await page.keyboard.press('Enter');
      await page.waitForFunction("document.querySelector('iframe.webview') === null", undefined, { timeout: 10_000 });
      await e2e.screenshot();
      await runCommand(page, 'View: Hide Panel');
    },
  },
  {
    name: 'narrow-450',
    async run(e2e: E2E) {
      const { page } = e2e;
      const wide = page.viewportSize() ?? { width: 1400, height: 900 };
      await setSettings(e2e, { 'stackwatch.stackName': 'orders-narrow', 'stackwatch.autoExecute': true });
      await deployProject(page);
      await finalStatus(page, 'Deployment succeeded');
      try {
        // The monitor docked beside an editor: the side bar hidden, and the editor area 450 px wide.
        // The palette offers Hide Panel only while the panel shows.
        if (await page.locator('.part.panel').isVisible()) await runCommand(page, 'View: Hide Panel');
        await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
        const activityBar = (await page.locator('.part.activitybar').boundingBox())?.width ?? 48;
        await page.setViewportSize({ width: Math.round(450 + activityBar), height: wide.height });
        await sleep(500);
        const frame = monitor(page);
        const width = await frame.locator('body').evaluate<number, undefined>('document.documentElement.clientWidth');
        assert.ok(width >= 400 && width <= 460, `the monitor is about 450 px wide (${width} px)`);
        const sideways = await frame.locator('body').evaluate<string[], undefined>(`[document.scrollingElement, ...document.querySelectorAll('*')]
          .filter((node) => node && node.scrollWidth > node.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(node).overflowX))
          .map((node) => node.tagName.toLowerCase() + (node.id ? '#' + node.id : '') + '.' + String(node.className))`);
        await e2e.screenshot();
        assert.deepEqual(sideways, [], `nothing in the monitor scrolls sideways at 450 px (${sideways.join(', ')})`);
        const value = frame.locator('#outputs tr[data-key="ApiUrl"] code.output-value');
        const box = await value.boundingBox();
        assert.ok(box && box.width >= 120, `the ApiUrl value has room to read (${box?.width ?? 0} px wide)`);
      } finally {
        await page.setViewportSize(wide);
        await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
      }
    },
  },
];
