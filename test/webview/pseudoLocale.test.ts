/**
 * Every word the monitor page shows or announces comes from l10n.t: with a pseudo-localized bundle
 * (every letter of every source string accented, ~40% longer) handed over the way the host hands
 * VS Code's bundle over, no English word is left on the page but the data the model carried. The
 * longer words must still fit: nothing scrolls sideways or is cut off at 450 and 900 px.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { getL10nJson, getL10nPseudoLocalized } from '@vscode/l10n-dev';
import type { Page } from 'playwright-core';
import { stringSourceFiles } from '../../scripts/stringSources';
import type { Translations } from '../../src/shared/translations';
import type { MonitorViewModel } from '../../src/shared/viewModel';
import { ROOT, type Monitor } from './harness';
import { reviewModel, rolledBackModel, succeededModel } from './models';
import { PHASES } from './phases';
import { open, useHarness } from './setup';

/** The page's strings: those l10n.t finds in the page's own sources and the modules it shares with the host. */
async function pseudoBundle(): Promise<Translations> {
  const files = stringSourceFiles(ROOT).filter((file) => file.startsWith('webview-ui/src/') || file.startsWith('src/shared/'));
  const scripts = await Promise.all(files.map(async (file) => ({ contents: await readFile(join(ROOT, file), 'utf8'), extension: extname(file) })));
  const pseudo = getL10nPseudoLocalized(await getL10nJson(scripts));
  return Object.fromEntries(Object.entries(pseudo).map(([key, value]) => [key, typeof value === 'string' ? value : value.message]));
}

/** Words are runs of letters; an untranslated one is plain ASCII (the pseudo-locale accents every letter). */
const WORD = /\p{L}+/gu;
const ENGLISH = /^[A-Za-z]{2,}$/;

/** Every word of every string anywhere in a value (the model): what the host put there is data here. */
function dataWords(value: unknown, into: Set<string>): Set<string> {
  if (typeof value === 'string') for (const word of value.match(WORD) ?? []) into.add(word.toLowerCase());
  else if (Array.isArray(value)) for (const item of value) dataWords(item, into);
  else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) dataWords(item, into);
  return into;
}

/** The page's text nodes and the attributes people read or hear (hidden ones too: tooltips and announcements). */
async function pageTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement?.tagName;
      if (parent === 'SCRIPT' || parent === 'STYLE') continue;
      if ((node.textContent ?? '').trim() !== '') out.push(node.textContent ?? '');
    }
    for (const element of Array.from(document.body.querySelectorAll('*')))
      for (const name of ['aria-label', 'title', 'placeholder', 'aria-valuetext', 'label', 'alt']) {
        const value = element.getAttribute(name);
        if (value) out.push(`[${name}] ${value}`);
      }
    return out;
  });
}

/** Times as the browser formats them in its locale (Intl, toLocaleTimeString): "2:03:12 PM" is a time, not a word. */
const TIME = /\d{1,2}:\d{2}(:\d{2})?\s?(AM|PM)\b/g;

function englishIn(texts: string[], data: Set<string>): string[] {
  return texts.filter((text) =>
    (
      text
        .replace(/^\[[a-z-]+\] /, '')
        .replace(TIME, '')
        .match(WORD) ?? []
    ).some((word) => ENGLISH.test(word) && !data.has(word.toLowerCase())),
  );
}

async function settle(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))));
}

/** What layout.test.ts checks in a narrow panel: nothing scrolls sideways, no change-table text is cut off. */
async function overflows(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const root = document.scrollingElement as Element;
    if (root.scrollWidth > root.clientWidth) out.push(`the page scrolls sideways (${root.scrollWidth} > ${root.clientWidth})`);
    for (const element of Array.from(document.querySelectorAll<HTMLElement>('main *'))) {
      const style = getComputedStyle(element);
      if (element.closest('[hidden]') || style.display === 'none') continue;
      if (/(auto|scroll)/.test(style.overflowX) && element.scrollWidth > element.clientWidth + 1)
        out.push(`${element.tagName.toLowerCase()}.${element.className} scrolls sideways (${element.scrollWidth} > ${element.clientWidth})`);
      if (style.textOverflow === 'ellipsis' && element.scrollWidth > element.clientWidth + 1 && element.clientWidth > 0)
        out.push(`${element.tagName.toLowerCase()}.${element.className} is cut off (${element.scrollWidth} > ${element.clientWidth})`);
    }
    return out;
  });
}

describe('pseudo-locale: every word on the page is localizable', () => {
  const fixture = useHarness();
  let translations: Translations = {};

  before(async () => {
    translations = await pseudoBundle();
  });

  it('the bundle is pseudo-localized', () => {
    const entries = Object.entries(translations);
    assert.ok(entries.length > 0, 'the page has strings to translate');
    for (const [english, pseudo] of entries) assert.doesNotMatch(pseudo, /[A-Za-z]{2,}(?![^{]*\})/, `${english} → ${pseudo}`);
  });

  it('shows no English word but the data in any phase', async () => {
    const monitor = await open(fixture, { translations });
    const data = new Set<string>();
    const problems: string[] = [];
    const look = async (name: string, model: MonitorViewModel) => {
      dataWords(model, data);
      await settle(monitor.page);
      problems.push(...englishIn(await pageTexts(monitor.page), data).map((text) => `${name}: ${JSON.stringify(text)}`));
    };
    for (const phase of PHASES) {
      const model = phase.model();
      await monitor.send({ type: 'snapshot', model });
      for (const selector of phase.press ?? []) await monitor.page.click(selector);
      await look(phase.name, model);
    }
    // An output's Copy button after the host says it copied the value.
    const succeeded = succeededModel();
    await monitor.send({ type: 'snapshot', model: succeeded });
    await monitor.send({ type: 'copied', key: 'ApiUrl' });
    await look('copied', succeeded);
    assert.deepEqual([...new Set(problems)], []);
  });

  it('a panel restored from its saved model is translated from its first paint', async () => {
    const saved = reviewModel();
    const monitor = await open(fixture, { translations, state: saved });
    const problems = englishIn(await pageTexts(monitor.page), dataWords(saved, new Set()));
    assert.deepEqual(problems, []);
    assert.equal(await monitor.page.evaluate(() => document.documentElement.lang), 'en', 'the harness passes no language');
  });

  it('before any model, the page waits in the bundle language', async () => {
    const monitor = await open(fixture, { translations });
    assert.deepEqual(englishIn(await pageTexts(monitor.page), new Set()), []);
  });

  for (const width of [450, 900]) {
    it(`the longer words fit: nothing scrolls sideways or is cut off (${width} px)`, async () => {
      await mkdir(join(ROOT, 'test-results'), { recursive: true });
      const monitor: Monitor = await open(fixture, { translations, width });
      const problems: string[] = [];
      for (const phase of PHASES) {
        await monitor.send({ type: 'snapshot', model: phase.model() });
        for (const selector of phase.press ?? []) await monitor.page.click(selector);
        await settle(monitor.page);
        problems.push(...(await overflows(monitor.page)).map((problem) => `${phase.name}: ${problem}`));
      }
      for (const [name, model] of [
        ['review', reviewModel()],
        ['failed', rolledBackModel()],
      ] as const) {
        await monitor.send({ type: 'snapshot', model });
        await monitor.page.mouse.move(0, 0);
        await settle(monitor.page);
        await monitor.page.screenshot({ path: join(ROOT, 'test-results', `webview-pseudo-${name}-${width}.png`), fullPage: true, animations: 'disabled' });
      }
      assert.deepEqual(problems, []);
    });
  }
});
