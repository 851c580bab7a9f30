/** Destructive buttons carry the theme's error colour in every theme, and their text still reads (issue 14, item 15). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MonitorViewModel } from '../../src/shared/viewModel';
import { THEMES } from './harness';
import { consentModel, otherOperationModel, reviewModel, updatingModel } from './models';
import { open, useHarness } from './setup';

interface ButtonLook {
  border: string;
  background: string;
  text: string;
  icon: string;
  ratio: number;
}

/** What a button looks like: its shadow box's border, fill and text, its icon's colour, and the text's contrast on the fill. */
const LOOK_OF_BUTTON = (id: string): ButtonLook => {
  const host = document.getElementById(id);
  const base = host?.shadowRoot?.querySelector('.base');
  if (!host || !base) throw new Error(`no rendered button #${id}`);
  const style = getComputedStyle(base);
  const rgb = (value: string) =>
    (/rgba?\(([^)]+)\)/.exec(value)?.[1] ?? '0,0,0,0')
      .split(/[\s,/]+/)
      .filter(Boolean)
      .map(Number);
  const luminance = (value: string, under: string) => {
    const [r = 0, g = 0, b = 0, a = 1] = rgb(value);
    const [ur = 0, ug = 0, ub = 0] = rgb(under);
    const channel = (c: number) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
    const mixed = [r * a + ur * (1 - a), g * a + ug * (1 - a), b * a + ub * (1 - a)];
    return 0.2126 * channel(mixed[0] ?? 0) + 0.7152 * channel(mixed[1] ?? 0) + 0.0722 * channel(mixed[2] ?? 0);
  };
  const page = getComputedStyle(document.body).backgroundColor;
  const [fr = 0, fg = 0, fb = 0, fa = 1] = rgb(style.backgroundColor);
  const [pr = 0, pg = 0, pb = 0] = rgb(page);
  // The fill composited over the page, then the text over the fill.
  const fill = `rgb(${fr * fa + pr * (1 - fa)}, ${fg * fa + pg * (1 - fa)}, ${fb * fa + pb * (1 - fa)})`;
  const [a, b] = [luminance(style.color, fill), luminance(fill, page)].sort((x, y) => y - x) as [number, number];
  const icon = host.querySelector('.codicon');
  return {
    border: style.borderTopColor,
    background: style.backgroundColor,
    text: style.color,
    icon: icon ? getComputedStyle(icon).color : '',
    ratio: (a + 0.05) / (b + 0.05),
  };
};

/** The theme's error colours, as computed colours. */
const ERROR_COLOURS = (): string[] =>
  ['--vscode-errorForeground', '--vscode-list-errorForeground', '--vscode-statusBarItem-errorBackground']
    .filter((name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() !== '')
    .map((name) => {
      const probe = document.createElement('span');
      probe.style.color = `var(${name})`;
      document.body.append(probe);
      const colour = getComputedStyle(probe).color;
      probe.remove();
      return colour;
    });

/** Each screen with its destructive buttons and a safe button of the same kind beside them. */
const SCREENS: Array<{ name: string; model: () => MonitorViewModel; destructive: string[]; safe: string }> = [
  { name: 'review', model: reviewModel, destructive: ['btn-abort'], safe: 'btn-saveTemplate' },
  { name: 'deploying', model: updatingModel, destructive: ['btn-stop'], safe: 'btn-logs' },
  { name: 'other operation', model: () => otherOperationModel(), destructive: ['btn-cancel'], safe: 'btn-watchOther' },
  { name: 'consent', model: consentModel, destructive: ['consent-delete', 'consent-forceDelete'], safe: 'consent-decline' },
];

describe('destructive buttons', () => {
  const fixture = useHarness();

  for (const theme of THEMES) {
    it(`are marked in the error colour and read at 4.5:1 (${theme})`, async () => {
      const monitor = await open(fixture, { theme });
      for (const screen of SCREENS) {
        await monitor.send({ type: 'snapshot', model: screen.model() });
        await monitor.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
        const errorColours = await monitor.page.evaluate(ERROR_COLOURS);
        const marks = (look: ButtonLook) => [look.border, look.background, look.icon].filter((colour) => errorColours.includes(colour));
        const safe = await monitor.page.evaluate(LOOK_OF_BUTTON, screen.safe);
        assert.deepEqual(marks(safe), [], `${theme}, ${screen.name}: the safe #${screen.safe} shows no error colour`);
        for (const id of screen.destructive) {
          const look = await monitor.page.evaluate(LOOK_OF_BUTTON, id);
          const where = `${theme}, ${screen.name}, #${id}`;
          assert.ok(marks(look).length > 0, `${where}: no error colour (${errorColours.join(', ')}) in ${JSON.stringify(look)}`);
          assert.notDeepEqual([look.border, look.background, look.icon], [safe.border, safe.background, safe.icon], `${where}: looks like #${screen.safe}`);
          assert.ok(look.ratio >= 4.5, `${where}: ${look.text} on ${look.background} is ${look.ratio.toFixed(2)}:1`);
        }
        assert.ok(safe.ratio >= 4.5, `${theme}, ${screen.name}, #${screen.safe}: ${safe.ratio.toFixed(2)}:1`);
      }
    });
  }
});
