/**
 * What a person does in the workbench: the Command Palette, editor tabs, the status bar, the
 * monitor webview, and the workspace settings file they edit between deployments.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import type { CfnSim } from '../../tools/cfn-sim/index';
import type { ImSim } from '../../tools/im-sim/index';

/** The status-bar item's DOM id in code-server: `<publisher>.<name>.<item id>`. */
export const STATUS_BAR_ITEM = '[id="stackwatch.stackwatch.stackwatch.deployment"]';

export interface E2E {
  page: Page;
  sim: CfnSim;
  /** The local Infrastructure Manager; the extension host has its token in STACKWATCH_GCP_ACCESS_TOKEN. */
  imSim: ImSim;
  workspace: string;
  /** The sim's normal speed, restored before each scenario. */
  speed: number;
  /** `test-results/e2e-<n>-<name>.png`, or `…-<suffix>.png` for a scenario's further shots. */
  screenshot(suffix?: string): Promise<void>;
  /** A file of the scenario's workspace (a copy of sample/), as it is now. */
  readWorkspaceFile(relative: string): string;
}

export function monitor(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Writes the workspace settings VS Code reads, and gives its file watcher a moment to reload them. */
export async function setSettings(e2e: E2E, settings: Record<string, unknown>): Promise<void> {
  const all = {
    'stackwatch.templatePath': 'template.yaml',
    'stackwatch.aws.region': 'us-east-1',
    'stackwatch.aws.endpoint': e2e.sim.url,
    'stackwatch.cfnLint': 'off',
    'stackwatch.autoExecute': false,
    ...settings,
  };
  writeFileSync(join(e2e.workspace, '.vscode', 'settings.json'), JSON.stringify(all, null, 2));
  await sleep(1_200);
}

/**
 * F1, the command's name, Enter: the way a person runs a command. A workbench still starting up
 * (restoring editors, activating extensions) can take the palette's focus away mid-typing, so
 * the whole gesture is retried, as a person would.
 */
export async function runCommand(page: Page, label: string): Promise<void> {
  const input = page.locator('.quick-input-widget input.input');
  const focused = page.locator('.quick-input-list .monaco-list-row.focused').filter({ hasText: label.replace(/^[^:]*:\s*/, '') });
  for (let attempt = 0; ; attempt++) {
    try {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 3_000 });
      await input.fill(`>${label}`, { timeout: 5_000 });
      await focused.waitFor({ timeout: 10_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      // Focus was somewhere F1 does not reach (e.g. a dialog); give the workbench focus and retry.
      await page.keyboard.press('Escape');
      await page.locator('.part.statusbar').click({ position: { x: 700, y: 10 } });
    }
  }
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 5_000 });
}

export async function deployProject(page: Page): Promise<void> {
  await runCommand(page, 'Stackwatch: Deploy Project');
}

/** Closes every editor (monitors included) so each scenario's monitor is the only webview. */
export async function closeAllEditors(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  await page.waitForFunction("document.querySelector('iframe.webview') === null", undefined, { timeout: 10_000 });
}

/** The monitor's primary text of the final state, once it is shown. */
export async function finalStatus(page: Page, expected: RegExp | string, timeout = 45_000): Promise<string> {
  const status = monitor(page).locator('#final-status');
  await status.filter({ hasText: expected }).waitFor({ state: 'visible', timeout });
  return (await status.textContent()) ?? '';
}

export async function button(page: Page, name: string): Promise<Locator> {
  const found = monitor(page).getByRole('button', { name, exact: true });
  await found.waitFor({ state: 'visible', timeout: 30_000 });
  return found;
}

/** A monitor button once it is shown and enabled. */
export async function enabledButton(page: Page, id: string, timeout = 30_000): Promise<Locator> {
  const found = monitor(page).locator(`#${id}:not([disabled])`);
  await found.waitFor({ state: 'visible', timeout });
  return found;
}

/** Polls "N/M done" in the monitor's status line until the final state shows; returns every N seen. */
export async function watchProgress(page: Page, timeout = 45_000): Promise<number[]> {
  const frame = monitor(page);
  const seen: number[] = [];
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const line =
      (await frame
        .locator('#status-line')
        .textContent({ timeout: 5_000 })
        .catch(() => null)) ?? '';
    const match = /(\d+)\/(\d+) done/.exec(line);
    if (match && seen.at(-1) !== Number(match[1])) seen.push(Number(match[1]));
    if (await frame.locator('#final-status').isVisible()) return seen;
    await sleep(50);
  }
  throw new Error(`no final status within ${timeout} ms; progress seen: ${seen.join(', ')}`);
}

/** With E2E_DEBUG=1, when each step of a scenario is reached (for finding where time goes). */
export function step(what: string): void {
  if (process.env.E2E_DEBUG) console.error(`    ${new Date().toISOString().slice(11, 23)} ${what}`);
}
