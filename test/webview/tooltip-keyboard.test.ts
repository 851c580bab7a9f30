/** A failed row's reason, reached with the keyboard alone (issue 14, item 12). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { QUEUE_REASON, rollingBackModel } from './models';
import { open, useHarness } from './setup';

const ICON = 'tr[data-id="Queue"] .status-icon';
const TOOLTIP = `${ICON} .tooltip`;

/** Presses Tab until the failed row's status icon has focus; the number of presses, or throws. */
async function tabToIcon(page: Page): Promise<number> {
  for (let presses = 1; presses <= 60; presses++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((selector) => document.activeElement === document.querySelector(selector), ICON)) return presses;
  }
  throw new Error('Tab never reached the failed row');
}

describe('failure reason tooltip by keyboard', () => {
  const fixture = useHarness();

  for (const width of [900, 450]) {
    it(`Tab reaches it, focus shows it, it describes the icon, Escape hides it (${width} px)`, async () => {
      const monitor = await open(fixture, { width });
      await monitor.send({ type: 'snapshot', model: rollingBackModel() });
      const tooltip = monitor.page.locator(TOOLTIP);
      assert.ok(!(await tooltip.isVisible()), 'hidden before focus');

      await tabToIcon(monitor.page);
      assert.ok(await tooltip.isVisible(), 'shown on focus');
      assert.equal(await tooltip.textContent(), QUEUE_REASON);
      const describedBy = await monitor.page.getAttribute(ICON, 'aria-describedby');
      assert.equal(await monitor.page.getAttribute(TOOLTIP, 'id'), describedBy, 'the icon is described by the tooltip');
      assert.equal(await monitor.page.getAttribute(TOOLTIP, 'role'), 'tooltip');

      await monitor.page.keyboard.press('Escape');
      assert.ok(!(await tooltip.isVisible()), 'Escape hides it');
      assert.ok(await monitor.page.evaluate((selector) => document.activeElement === document.querySelector(selector), ICON), 'and focus stays');

      // Leaving and coming back shows it again.
      await monitor.page.keyboard.press('Shift+Tab');
      await monitor.page.keyboard.press('Tab');
      assert.ok(await monitor.page.evaluate((selector) => document.activeElement === document.querySelector(selector), ICON));
      assert.ok(await tooltip.isVisible(), 'shown again on the next focus');
    });
  }

  it('Escape also hides a tooltip shown by hovering', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: rollingBackModel() });
    await monitor.page.hover(ICON);
    assert.ok(await monitor.page.locator(TOOLTIP).isVisible(), 'hovering shows it');
    await monitor.page.keyboard.press('Escape');
    assert.ok(!(await monitor.page.locator(TOOLTIP).isVisible()), 'Escape hides it');
  });
});
