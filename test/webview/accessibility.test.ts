/** axe-core over every phase of the monitor, in each of VS Code's default themes: no serious or critical violation. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { THEMES } from './harness';
import { PHASES } from './phases';
import { describeViolations, seriousViolations } from './axe';
import { open, useHarness } from './setup';
import { textContrast } from './contrast';
import { reviewModel, rolledBackModel, updatingModel } from './models';

describe('accessibility (axe-core)', () => {
  const fixture = useHarness();

  for (const theme of THEMES) {
    it(`has no serious or critical violation in any phase (${theme})`, async () => {
      const monitor = await open(fixture, { theme });
      const problems: string[] = [];
      for (const phase of PHASES) {
        await monitor.send({ type: 'snapshot', model: phase.model() });
        for (const selector of phase.press ?? []) await monitor.page.click(selector);
        problems.push(...describeViolations(phase.name, await seriousViolations(monitor.page)));
      }
      assert.ok(PHASES.length >= 12, 'at least twelve phases are checked');
      assert.deepEqual(problems, [], `${problems.length} elements fail in ${theme}:\n${problems.join('\n')}`);
    });
  }
});

describe('accessibility in a narrow panel (axe-core)', () => {
  const fixture = useHarness();

  for (const theme of ['dark', 'hc-light'] as const) {
    it(`has no serious or critical violation in any phase at 450 px, where the tables stack (${theme})`, async () => {
      const monitor = await open(fixture, { theme, width: 450 });
      const problems: string[] = [];
      for (const phase of PHASES) {
        await monitor.send({ type: 'snapshot', model: phase.model() });
        for (const selector of phase.press ?? []) await monitor.page.click(selector);
        problems.push(...describeViolations(phase.name, await seriousViolations(monitor.page)));
      }
      assert.deepEqual(problems, [], `${problems.length} elements fail in ${theme} at 450 px:\n${problems.join('\n')}`);
    });
  }
});

describe('contrast where the issue found none', () => {
  const fixture = useHarness();

  for (const theme of THEMES) {
    it(`the header's stack-state badge reads at 4.5:1 or better (${theme})`, async () => {
      const monitor = await open(fixture, { theme });
      for (const phase of [updatingModel, rolledBackModel, reviewModel]) {
        await monitor.send({ type: 'snapshot', model: phase() });
        const contrast = await textContrast(monitor.page, '#shown-status .provider-status');
        assert.ok(contrast.ratio >= 4.5, `${theme}: ${contrast.text} on ${contrast.background} is ${contrast.ratio.toFixed(2)}:1`);
      }
    });

    it(`greyed rows read at 4.5:1 and still look unlike live rows (${theme})`, async () => {
      const monitor = await open(fixture, { theme });
      await monitor.send({ type: 'snapshot', model: rolledBackModel() });
      for (const selector of ['tr[data-id="Bucket"] .col-id span', 'tr[data-id="Bucket"] .action', 'tr[data-id="ApiFunctionRole"] .col-type']) {
        const contrast = await textContrast(monitor.page, selector);
        assert.ok(contrast.ratio >= 4.5, `${theme} ${selector}: ${contrast.text} on ${contrast.background} is ${contrast.ratio.toFixed(2)}:1`);
      }
      const looks = await monitor.page.evaluate(() =>
        ['Bucket', 'OldTable'].map((id) => {
          const cell = getComputedStyle(document.querySelector(`tr[data-id="${id}"] .col-id`) as Element);
          const action = getComputedStyle(document.querySelector(`tr[data-id="${id}"] .action`) as Element);
          return `${cell.color} ${cell.fontStyle} ${cell.fontWeight} ${action.borderTopStyle} ${action.boxShadow}`;
        }),
      );
      assert.notEqual(looks[0], looks[1], `${theme}: a cancelled row looks like a live one`);
    });
  }
});
