/**
 * Nothing jumps (issue 14, item 7) and the monitor reads in a narrow panel (item 8): columns keep
 * their place when a row opens or a button's label changes, the auto-execute checkbox stays where
 * it was when the change list arrives, and from 400 px up nothing is cut off or wraps a character
 * per line.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { reviewModel, stagingModel, succeededModel } from './models';
import { PHASES } from './phases';
import { open, useHarness } from './setup';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function boxes(page: Page, selector: string): Promise<Box[]> {
  return page.$$eval(selector, (elements) =>
    elements.map((element) => {
      const r = element.getBoundingClientRect();
      return { x: Math.round(r.x * 10) / 10, y: Math.round(r.y * 10) / 10, width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10 };
    }),
  );
}

const columns = (found: Box[]) => found.map(({ x, width }) => ({ x, width }));

async function settle(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))));
}

describe('layout: nothing moves under the pointer', () => {
  const fixture = useHarness();

  for (const width of [900, 450]) {
    it(`opening a row's details leaves every column where it was (${width} px)`, async () => {
      const monitor = await open(fixture, { width });
      await monitor.send({ type: 'snapshot', model: reviewModel() });
      await settle(monitor.page);
      const before = columns(await boxes(monitor.page, '.change-table thead th'));
      const rowsBefore = columns(await boxes(monitor.page, '.change-table tbody tr[data-id="Queue"] > *'));
      await monitor.page.click('tr[data-id="Bucket"] .details-toggle');
      await settle(monitor.page);
      assert.ok(await monitor.page.locator('tr.detail-row').isVisible(), 'the details opened');
      assert.deepEqual(columns(await boxes(monitor.page, '.change-table thead th')), before, 'the header cells');
      assert.deepEqual(columns(await boxes(monitor.page, '.change-table tbody tr[data-id="Queue"] > *')), rowsBefore, "another row's cells");
    });
  }

  for (const width of [900, 450]) {
    it(`Copy turning into Copied leaves the outputs' columns where they were (${width} px)`, async () => {
      const monitor = await open(fixture, { width });
      await monitor.send({ type: 'snapshot', model: succeededModel() });
      await settle(monitor.page);
      const cells = '.output-table tr[data-key="ApiUrl"] > *';
      const before = columns(await boxes(monitor.page, cells));
      const button = columns(await boxes(monitor.page, 'vscode-button.copy[data-key="ApiUrl"]'));
      await monitor.send({ type: 'copied', key: 'ApiUrl' });
      await settle(monitor.page);
      assert.match((await monitor.page.textContent('vscode-button.copy[data-key="ApiUrl"]')) ?? '', /Copied/);
      assert.deepEqual(columns(await boxes(monitor.page, cells)), before);
      assert.deepEqual(columns(await boxes(monitor.page, 'vscode-button.copy[data-key="ApiUrl"]')), button, 'the button keeps its size');
    });
  }

  it('the auto-execute checkbox stays put when the change list arrives', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: stagingModel() });
    await settle(monitor.page);
    const [before] = await boxes(monitor.page, '#auto-execute');
    await monitor.send({ type: 'snapshot', model: { ...reviewModel(), autoExecute: true } });
    await settle(monitor.page);
    const [after] = await boxes(monitor.page, '#auto-execute');
    assert.ok(before && after && before.height > 0, 'the checkbox is shown in both phases');
    assert.deepEqual(after, before);
  });
});

describe('layout: a narrow panel', () => {
  const fixture = useHarness();

  for (const width of [400, 450, 500, 900]) {
    it(`nothing scrolls sideways and no text is cut off (${width} px)`, async () => {
      const monitor = await open(fixture, { width });
      const problems: string[] = [];
      for (const phase of PHASES) {
        await monitor.send({ type: 'snapshot', model: phase.model() });
        for (const selector of phase.press ?? []) await monitor.page.click(selector);
        await settle(monitor.page);
        const found = await monitor.page.evaluate(() => {
          const out: string[] = [];
          const page = document.scrollingElement as Element;
          if (page.scrollWidth > page.clientWidth) out.push(`the page scrolls sideways (${page.scrollWidth} > ${page.clientWidth})`);
          for (const element of Array.from(document.querySelectorAll<HTMLElement>('main *'))) {
            const style = getComputedStyle(element);
            if (element.closest('[hidden]') || style.display === 'none') continue;
            if (/(auto|scroll)/.test(style.overflowX) && element.scrollWidth > element.clientWidth + 1)
              out.push(`${element.tagName.toLowerCase()}.${element.className} scrolls sideways (${element.scrollWidth} > ${element.clientWidth})`);
          }
          // Text in the change table that is cut off with an ellipsis and not shown elsewhere.
          for (const cell of Array.from(document.querySelectorAll<HTMLElement>('.change-table td, .change-table td *'))) {
            const style = getComputedStyle(cell);
            if (style.textOverflow === 'ellipsis' && cell.scrollWidth > cell.clientWidth + 1 && cell.clientWidth > 0)
              out.push(
                `${cell.className || cell.tagName.toLowerCase()} in ${cell.closest('tr')?.getAttribute('data-id') ?? '?'} is cut off (${cell.scrollWidth} > ${cell.clientWidth})`,
              );
          }
          return out;
        });
        problems.push(...found.map((problem) => `${phase.name}: ${problem}`));
      }
      assert.deepEqual(problems, []);
    });

    if (width === 900) continue;
    it(`output values do not wrap a character per line (${width} px)`, async () => {
      const monitor = await open(fixture, { width });
      await monitor.send({ type: 'snapshot', model: succeededModel() });
      await settle(monitor.page);
      const values = await monitor.page.$$eval('.output-value', (elements) =>
        elements.map((element) => {
          const lineHeight = parseFloat(getComputedStyle(element).lineHeight) || 18;
          const r = element.getBoundingClientRect();
          return { text: element.textContent ?? '', width: r.width, lines: Math.round(element.getClientRects().length || r.height / lineHeight) };
        }),
      );
      assert.ok(values.length > 0);
      for (const value of values) {
        const charsPerLine = value.text.length / Math.max(1, value.lines);
        assert.ok(value.width >= 200 || value.width >= value.text.length * 5, `${value.text} is ${value.width} px wide`);
        assert.ok(charsPerLine >= 12, `${value.text} wraps at ${charsPerLine.toFixed(1)} characters per line over ${value.lines} lines`);
      }
    });
  }
});
