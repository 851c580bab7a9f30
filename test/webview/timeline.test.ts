/**
 * Getting ready and the operation's course: the step list (states, notes, elapsed counting while
 * a step runs), the timeline (ETA wording, a bar that fills, "taking longer than expected", only
 * the elapsed time without an estimate), each row's expected time, and a 500-row list whose status
 * deltas touch only their own row.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { MonitorViewModel, StepRow } from '../../src/shared/viewModel';
import { bigMonitoringModel, statusDelta } from './bigModel';
import { NOW } from './depthModels';
import { creatingModel, stagingModel } from './models';
import { open, useHarness } from './setup';

function steps(now: number): StepRow[] {
  return [
    { id: 'template', label: 'Loading and validating the template', state: 'done', startedAt: now - 9_000, endedAt: now - 7_000 },
    { id: 'lint', label: 'Checking with cfn-lint', state: 'running', startedAt: now - 4_000 },
    { id: 'target', label: 'Reading the stack', state: 'done', startedAt: now - 7_000, endedAt: now - 6_000, note: 'exists' },
    { id: 'stage', label: 'Creating the change set', state: 'pending' },
  ];
}

async function stepRows(page: Page): Promise<string[][]> {
  return page.$$eval('#steps .step', (items) =>
    items
      .filter((item) => !(item.closest('[hidden]') !== null))
      .map((item) => [
        item.getAttribute('data-step') ?? '',
        item.querySelector('.step-icon')?.getAttribute('aria-label') ?? '',
        item.querySelector('.step-label')?.textContent ?? '',
        item.querySelector('.step-note')?.textContent ?? '',
        item.querySelector('.step-time')?.textContent ?? '',
      ]),
  );
}

function monitoring(timeline: MonitorViewModel['timeline']): MonitorViewModel {
  return { ...creatingModel(), timeline };
}

/** The bar's fill as a share of its track, as drawn. */
function filled(page: Page): Promise<number> {
  return page.$eval('#timeline-bar', (bar) => {
    const fill = bar.querySelector('.timeline-fill') as HTMLElement;
    return fill.getBoundingClientRect().width / bar.getBoundingClientRect().width;
  });
}

describe('webview steps, timeline and expected times', () => {
  const fixture = useHarness();

  it('the step list shows each step with its state, note and time, counts while running, and follows deltas', async () => {
    const monitor = await open(fixture, { timezoneId: 'UTC' });
    const page = monitor.page;
    await page.clock.install({ time: NOW });
    await monitor.send({ type: 'snapshot', model: { ...stagingModel(), steps: steps(NOW) } });
    assert.ok(await page.locator('#steps').isVisible());
    assert.deepEqual(await stepRows(page), [
      ['template', 'Done', 'Loading and validating the template', '', '2 s'],
      ['lint', 'Running', 'Checking with cfn-lint', '', '4 s'],
      ['target', 'Done', 'Reading the stack', 'exists', '1 s'],
      ['stage', 'Waiting', 'Creating the change set', '', ''],
    ]);
    assert.equal(await page.getAttribute('[data-step="lint"] .step-icon .codicon', 'class'), 'codicon codicon-loading codicon-modifier-spin');
    await page.clock.runFor(3_000);
    assert.equal(await page.textContent('[data-step="lint"] .step-time'), '7 s', 'a running step counts up');
    assert.equal(await page.textContent('[data-step="template"] .step-time'), '2 s', 'a finished one does not');

    const later = steps(NOW).map((step): StepRow => {
      if (step.id === 'lint') return { ...step, state: 'done', endedAt: NOW + 3_000, note: '2 warnings' };
      if (step.id === 'stage') return { ...step, state: 'running', startedAt: NOW + 1_000 };
      return step;
    });
    await monitor.send({ type: 'delta', delta: { fields: { steps: later }, rows: [] } });
    assert.deepEqual((await stepRows(page)).slice(1), [
      ['lint', 'Done', 'Checking with cfn-lint', '2 warnings', '7 s'],
      ['target', 'Done', 'Reading the stack', 'exists', '1 s'],
      ['stage', 'Running', 'Creating the change set', '', '2 s'],
    ]);

    // In the review, the list stays only while a step still runs or failed.
    const review = { ...creatingModel(), phase: 'review' as const };
    await monitor.send({ type: 'snapshot', model: { ...review, steps: later.map((step): StepRow => ({ ...step, state: 'done', endedAt: NOW })) } });
    assert.ok(!(await page.locator('#steps').isVisible()), 'all done: the review has the page');
    await monitor.send({
      type: 'snapshot',
      model: { ...review, steps: later.map((step): StepRow => (step.id === 'lint' ? { ...step, state: 'failed' } : step)) },
    });
    assert.ok(await page.locator('#steps').isVisible());
    assert.equal(await page.getAttribute('[data-step="lint"] .step-icon', 'aria-label'), 'Failed');
  });

  it('the timeline says how long is left and when it ends, fills with elapsed over expected, then says it is late', async () => {
    const monitor = await open(fixture, { timezoneId: 'UTC' });
    const page = monitor.page;
    await page.clock.install({ time: NOW });
    await monitor.send({ type: 'snapshot', model: monitoring({ startedAt: NOW - 60_000, expectedEndAt: NOW + 120_000, basis: 'history' }) });
    assert.equal(await page.textContent('#timeline-elapsed'), '1 min elapsed');
    assert.equal(await page.textContent('#timeline-eta'), 'About 2 min left · ends about 14:12');
    const bar = page.locator('#timeline-bar');
    assert.equal(await bar.getAttribute('role'), 'progressbar');
    assert.equal(await bar.getAttribute('aria-valuenow'), '33');
    assert.equal(await bar.getAttribute('aria-valuetext'), '1 min elapsed; About 2 min left · ends about 14:12');
    assert.ok(Math.abs((await filled(page)) - 1 / 3) < 0.02, 'a third of the way');
    assert.match((await page.getAttribute('#timeline', 'title')) ?? '', /earlier deployments/);
    const box = await page.$eval('#timeline', (el) => el.getBoundingClientRect().height);
    const tableTop = await page.$eval('#change-table', (el) => el.getBoundingClientRect().top);

    await page.clock.runFor(90_000);
    assert.equal(await page.textContent('#timeline-elapsed'), '2 min 30 s elapsed');
    assert.equal(await page.textContent('#timeline-eta'), 'About 30 s left · ends about 14:12');
    assert.ok(Math.abs((await filled(page)) - 150 / 180) < 0.02);

    await page.clock.runFor(40_000);
    assert.equal(await page.textContent('#timeline-eta'), 'Taking longer than expected (about 3 min)');
    assert.equal(await bar.getAttribute('aria-valuenow'), '100');
    assert.ok(await page.locator('#timeline.late').count(), 'late is also a class for its colour');
    assert.ok((await filled(page)) > 0.98);
    assert.equal(await page.$eval('#timeline', (el) => el.getBoundingClientRect().height), box, 'the wording changed, the height did not');
    assert.equal(await page.$eval('#change-table', (el) => el.getBoundingClientRect().top), tableTop, 'nothing below moved');

    // The host moves the estimate as events arrive: on time again.
    await monitor.send({ type: 'delta', delta: { fields: { timeline: { startedAt: NOW - 60_000, expectedEndAt: NOW + 300_000, basis: 'mixed' } }, rows: [] } });
    assert.equal(await page.textContent('#timeline-eta'), 'About 3 min left · ends about 14:15');
    assert.equal(await page.locator('#timeline.late').count(), 0);

    // Ended: how long it took, against what was expected, and no more ticking.
    await monitor.send({
      type: 'delta',
      delta: { fields: { timeline: { startedAt: NOW - 60_000, expectedEndAt: NOW + 300_000, endedAt: NOW + 200_000, basis: 'mixed' } }, rows: [] },
    });
    assert.equal(await page.textContent('#timeline-elapsed'), 'Took 4 min 20 s');
    assert.equal(await page.textContent('#timeline-eta'), 'expected about 6 min');
    await page.clock.runFor(5_000);
    assert.equal(await page.textContent('#timeline-elapsed'), 'Took 4 min 20 s');
  });

  it('without an estimate the timeline shows only the elapsed time; without a timeline, nothing', async () => {
    const monitor = await open(fixture, { width: 400 });
    const page = monitor.page;
    await page.clock.install({ time: NOW });
    await monitor.send({ type: 'snapshot', model: creatingModel() });
    assert.ok(!(await page.locator('#timeline').isVisible()));
    await monitor.send({ type: 'snapshot', model: monitoring({ startedAt: NOW - 5_000, basis: 'defaults' }) });
    assert.equal(await page.textContent('#timeline-elapsed'), '5 s elapsed');
    assert.equal(await page.textContent('#timeline-eta'), '');
    assert.equal(await page.getAttribute('#timeline-bar', 'aria-valuenow'), null, 'no value: indeterminate');
    assert.equal(await page.getAttribute('#timeline-bar', 'aria-valuetext'), '5 s elapsed');
    assert.equal(await filled(page), 0);
    await page.clock.runFor(2_000);
    assert.equal(await page.textContent('#timeline-elapsed'), '7 s elapsed');
    // Readable at 400 px: an estimate wraps inside the panel instead of running off it.
    await monitor.send({ type: 'snapshot', model: monitoring({ startedAt: NOW - 65_000, expectedEndAt: NOW + 3_600_000, basis: 'defaults' }) });
    const fits = await page.$eval('#timeline', (el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().right <= window.innerWidth);
    assert.ok(fits, 'the timeline fits a 400 px panel');
  });

  it('a 500-row list draws every row with its expected time, and a status delta replaces only its own row', async () => {
    const monitor = await open(fixture, { timezoneId: 'UTC' });
    const page = monitor.page;
    const big = bigMonitoringModel(500, NOW);
    await monitor.send({ type: 'snapshot', model: big });
    assert.equal(await page.locator('#change-table tbody tr.change-row').count(), 500);
    assert.equal(await page.locator('#change-table tbody tr.change-row:visible').count(), 25);
    assert.equal((await page.textContent('#show-more'))?.trim(), 'Show more (475)');
    const pendingRole = big.changes.find((row) => row.status === 'pending' && row.resourceType === 'AWS::IAM::Role');
    assert.ok(pendingRole);
    const expected = page.locator(`tr[data-id="${pendingRole.logicalId}"] .col-time .expected`);
    assert.equal(await expected.textContent(), 'expected ~15 s', 'read as "expected", shown as "~15 s"');
    assert.match((await expected.getAttribute('title')) ?? '', /about 15 s/);
    const settled = big.changes.find((row) => row.status === 'succeeded' && row.expectedMs !== undefined);
    assert.ok(settled);
    assert.equal(await page.locator(`tr[data-id="${settled.logicalId}"] .expected`).count(), 0, 'a settled row shows what it took, not a guess');

    await page.$$eval('#change-table tbody tr', (rows) => rows.forEach((row) => ((row as HTMLElement & { __tag?: boolean }).__tag = true)));
    const index = big.changes.findIndex((row) => row.status === 'inProgress');
    const delta = statusDelta(big, index, NOW);
    assert.equal(delta.rows.length, 1);
    await monitor.send({ type: 'delta', delta });
    const untagged = await page.$$eval('#change-table tbody tr', (rows) =>
      rows.filter((row) => !(row as HTMLElement & { __tag?: boolean }).__tag).map((row) => row.getAttribute('data-id')),
    );
    assert.deepEqual(untagged, [big.changes[index].logicalId], 'one new row; the other 499 are the same nodes');
    assert.equal(await page.getAttribute(`tr[data-id="${big.changes[index].logicalId}"]`, 'data-status'), 'succeeded');
    assert.equal(await page.textContent('#status-line'), '201/500 done, 1 error; stack state: CREATE_IN_PROGRESS');
  });
  it('the time column is headed "Expected" until the first row starts, then "Started", also when a delta starts it', async () => {
    const monitor = await open(fixture, { timezoneId: 'UTC' });
    const big = bigMonitoringModel(6, NOW);
    const waiting: MonitorViewModel = {
      ...big,
      changes: big.changes.map((row) => ({ ...row, status: 'pending', startedAt: undefined, endedAt: undefined, reason: undefined, expectedMs: 15_000 })),
    };
    await monitor.send({ type: 'snapshot', model: waiting });
    assert.equal((await monitor.page.textContent('#col-time'))?.trim(), 'Expected');
    await monitor.send({ type: 'delta', delta: statusDelta(waiting, 0, NOW) });
    assert.equal(await monitor.page.getAttribute(`tr[data-id="${waiting.changes[0].logicalId}"]`, 'data-status'), 'inProgress');
    assert.equal((await monitor.page.textContent('#col-time'))?.trim(), 'Started');
  });
});
