/** One screenshot per phase in dark and light, saved under test-results/ for people to look at. */
import assert from 'node:assert/strict';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { MonitorViewModel } from '../../src/shared/viewModel';
import { ROOT, type Monitor, type Theme } from './harness';
import {
  consentModel,
  creatingModel,
  errorModel,
  lostContactModel,
  manyRows,
  model,
  otherOperationModel,
  retryingModel,
  reviewModel,
  rolledBackModel,
  rollingBackModel,
  stagingModel,
  succeededModel,
  unknownModel,
} from './models';
import {
  consentRootCauseModel,
  driftReviewModel,
  findingsModel,
  hookFailureModel,
  nestedModel,
  optionsModel,
  propertyReviewModel,
  etaModel,
  stepsModel,
  timedModel,
} from './depthModels';
import { open, useHarness } from './setup';

const OUT = join(ROOT, 'test-results');

interface Shot {
  name: string;
  model: () => MonitorViewModel;
  /** Something to hover before the shot, e.g. a failure's reason. */
  hover?: string;
  /** Buttons to press before the shot, e.g. to open rows' details. */
  press?: string[];
}

/** Opens a row's details. */
const details = (id: string) => `tr[data-id="${id}"] .details-toggle`;

const SHOTS: Shot[] = [
  { name: 'staging', model: stagingModel },
  { name: 'review', model: reviewModel },
  { name: 'review-long', model: () => model({ changes: manyRows(40) }) },
  { name: 'monitoring-create', model: creatingModel },
  { name: 'retrying', model: () => retryingModel(Date.now() + 4_000) },
  { name: 'rolling-back-tooltip', model: rollingBackModel, hover: 'tr[data-id="Queue"] .status-icon' },
  { name: 'consent', model: consentModel },
  { name: 'final-succeeded', model: succeededModel },
  { name: 'final-rolled-back', model: rolledBackModel },
  { name: 'final-error', model: errorModel },
  { name: 'other-operation', model: () => otherOperationModel() },
  { name: 'other-operation-watching', model: () => otherOperationModel(true) },
  { name: 'lost-contact', model: lostContactModel },
  { name: 'final-unknown', model: unknownModel },
  { name: 'review-properties', model: propertyReviewModel, press: [details('Table'), details('Database'), details('Bucket')] },
  { name: 'review-drift', model: driftReviewModel, press: [details('Queue')] },
  { name: 'nested-tree', model: nestedModel, press: ['tr[data-id="Network/Inner"] .tree-toggle'] },
  { name: 'row-timing', model: timedModel },
  { name: 'findings', model: findingsModel },
  { name: 'hook-failure', model: hookFailureModel },
  { name: 'review-options', model: optionsModel },
  { name: 'consent-root-cause', model: consentRootCauseModel },
  { name: 'staging-steps', model: () => stepsModel() },
  { name: 'monitoring-eta', model: () => etaModel() },
];

/** The phases that wait for the person, at the narrowest width a side panel is likely to have. */
const NARROW: Shot[] = SHOTS.filter((shot) =>
  /^(other-operation|lost-contact|final-unknown|review-properties|findings|staging-steps|monitoring-eta)/.test(shot.name),
);

async function settle(monitor: Monitor): Promise<void> {
  // Codicons and Lit components settle on the next frames.
  await monitor.page.evaluate(() => document.fonts.ready.then(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))));
}

describe('webview screenshots', () => {
  const fixture = useHarness();

  it('saves the waiting phases and the review details at 400 px (dark)', async () => {
    await mkdir(OUT, { recursive: true });
    const monitor = await open(fixture, { theme: 'dark', width: 400 });
    for (const shot of NARROW) {
      await monitor.send({ type: 'snapshot', model: shot.model() });
      for (const selector of shot.press ?? []) await monitor.page.click(selector);
      await monitor.page.mouse.move(0, 0);
      await settle(monitor);
      const file = join(OUT, `webview-${shot.name}-dark-400.png`);
      await monitor.page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
      assert.ok((await stat(file)).size > 5_000, `${file} has content`);
    }
  });

  // The phases the issue 14 walk-through found rough, in every theme, wide and docked beside the editor.
  const KEY_PHASES = SHOTS.filter((shot) => /^(review|rolling-back-tooltip|consent|final-succeeded|final-rolled-back)$/.test(shot.name));
  for (const theme of ['dark', 'light', 'hc-dark', 'hc-light'] as Theme[]) {
    it(`saves the key phases at 900 and 450 px (${theme})`, async () => {
      await mkdir(OUT, { recursive: true });
      for (const width of [900, 450]) {
        const monitor = await open(fixture, { theme, width });
        for (const shot of KEY_PHASES) {
          await monitor.send({ type: 'snapshot', model: shot.model() });
          if (shot.hover) await monitor.page.hover(shot.hover);
          else await monitor.page.mouse.move(0, 0);
          await settle(monitor);
          const file = join(OUT, `webview-${shot.name}-${theme}-${width}.png`);
          await monitor.page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
          assert.ok((await stat(file)).size > 5_000, `${file} has content`);
        }
      }
    });
  }

  for (const theme of ['dark', 'light', 'hc-dark', 'hc-light'] as Theme[]) {
    it(`saves a screenshot per phase (${theme})`, async () => {
      await mkdir(OUT, { recursive: true });
      const monitor = await open(fixture, { theme, width: 860 });
      for (const shot of SHOTS) {
        await monitor.send({ type: 'snapshot', model: shot.model() });
        for (const selector of shot.press ?? []) await monitor.page.click(selector);
        if (shot.hover) await monitor.page.hover(shot.hover);
        else await monitor.page.mouse.move(0, 0);
        await settle(monitor);
        const file = join(OUT, `webview-${shot.name}-${theme}.png`);
        await monitor.page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
        assert.ok((await stat(file)).size > 5_000, `${file} has content`);
      }
      // The codicon font really loaded (under the CSP), or every icon would be a blank box.
      assert.ok(await monitor.page.evaluate(() => document.fonts.check('16px codicon')));
    });
  }
});
