/** The change list: status icons and their reasons, greyed cancellations, badges, Show more, and deltas. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChangeRow, MonitorViewModel, ViewModelDelta } from '../../src/shared/viewModel';
import { diffViewModel } from '../../src/shared/viewModelDelta';
import { QUEUE_REASON, creatingModel, manyRows, model, reviewModel, rollingBackModel } from './models';
import type { Page } from 'playwright-core';
import { open, useHarness } from './setup';

/** True when each corner of the tooltip is the topmost thing on screen there: shown whole, nothing clipping it. */
function tooltipUnclipped(page: Page, selector: string): Promise<boolean> {
  return page.$eval(selector, (tooltip) => {
    const box = tooltip.getBoundingClientRect();
    const inset = 2;
    const corners: [number, number][] = [
      [box.left + inset, box.top + inset],
      [box.right - inset, box.top + inset],
      [box.left + inset, box.bottom - inset],
      [box.right - inset, box.bottom - inset],
    ];
    return box.height > 0 && corners.every(([x, y]) => tooltip.contains(document.elementFromPoint(x, y)));
  });
}

describe('webview change list', () => {
  const fixture = useHarness();

  it('shows Action, Logical ID, Type, Physical ID and the Replacement / PolicyAction badges', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: reviewModel() });
    const headers = await monitor.page.$$eval('#change-table thead th', (cells) => cells.map((cell) => (cell.textContent ?? '').trim()));
    assert.deepEqual(headers, ['Status', 'Details', 'Action', 'Logical ID', 'Type', 'Physical ID', 'Replacement and policy']);
    const bucket = monitor.page.locator('tr[data-id="Bucket"]');
    assert.equal(await bucket.locator('.col-action').textContent(), 'Modify');
    assert.equal(await bucket.locator('.col-physical').textContent(), 'demo-bucket-1h60k5zv18');
    assert.equal(await bucket.locator('.badge').textContent(), 'Replacement');
    assert.equal(await monitor.page.locator('tr[data-id="Queue"] .badge').textContent(), 'May replace');
    assert.equal(await monitor.page.locator('tr[data-id="OldTable"] .badge').textContent(), 'Retain');
    assert.equal(await monitor.page.locator('tr[data-id="Topic"] .badge').count(), 0);
    // Change details open from the keyboard.
    // Change details (a row with only detail lines) open from the keyboard, in a row of their own below.
    const details = monitor.page.locator('tr[data-detail-for="Bucket"] .change-details');
    assert.equal(await details.count(), 0);
    await bucket.locator('.details-toggle').focus();
    await monitor.page.keyboard.press('Enter');
    assert.equal(await details.textContent(), 'Properties.BucketName (requires replacement)');
    assert.equal(await monitor.page.locator('tr[data-id="Topic"] .details-toggle').count(), 0, 'nothing to show, nothing to open');
  });

  it('status icons: spinner, check, pending, with accessible names', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: creatingModel() });
    const icons = await monitor.page.$$eval('#change-table tbody tr', (rows) =>
      rows.map((row) => {
        const icon = row.querySelector('.status-icon');
        return [row.getAttribute('data-id'), icon?.querySelector('.codicon')?.className, icon?.getAttribute('aria-label')];
      }),
    );
    assert.deepEqual(icons.slice(0, 3), [
      ['ApiFunction', 'codicon codicon-check', 'Succeeded'],
      ['ApiFunctionRole', 'codicon codicon-check', 'Succeeded'],
      ['Bucket', 'codicon codicon-loading codicon-modifier-spin', 'In progress'],
    ]);
    assert.deepEqual(icons[4], ['OldTable', 'codicon codicon-circle-outline', 'Pending']);
    assert.equal(await monitor.page.getAttribute('#overall-status .codicon', 'class'), 'codicon codicon-loading codicon-modifier-spin');
    assert.equal(await monitor.page.textContent('#status-line'), '2/6 done, 0 errors; stack state: CREATE_IN_PROGRESS');
    assert.deepEqual(
      await monitor.page.$eval('#progress-bar', (bar) => [(bar as HTMLElement & { value: number }).value, (bar as HTMLElement & { max: number }).max]),
      [2, 6],
    );
  });

  it('a failed row shows its reason on hover and on keyboard focus; cancelled rows are greyed with theirs', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: rollingBackModel() });
    const icon = monitor.page.locator('tr[data-id="Queue"] .status-icon');
    const tooltip = icon.locator('[role="tooltip"]');
    assert.equal(await icon.getAttribute('title'), null, 'no native title: it would show the reason a second time');
    assert.equal(await icon.getAttribute('aria-label'), `Failed: ${QUEUE_REASON}`);
    assert.equal(await icon.locator('.codicon').getAttribute('class'), 'codicon codicon-error');
    assert.ok(!(await tooltip.isVisible()));
    await icon.hover();
    assert.ok(await tooltip.isVisible());
    assert.equal(await tooltip.textContent(), QUEUE_REASON);
    assert.ok(await tooltipUnclipped(monitor.page, 'tr[data-id="Queue"] .tooltip'), 'the whole tooltip is on top, not cut off by the table');
    await monitor.page.mouse.move(0, 0);
    assert.ok(!(await tooltip.isVisible()));
    await icon.focus();
    assert.ok(await tooltip.isVisible(), 'the tooltip also shows on keyboard focus');

    // The last row's tooltip reaches past the table's bottom edge, where a scrolling table clips.
    await icon.blur();
    await monitor.page.locator('tr[data-id="Topic"] .status-icon').hover();
    assert.ok(await tooltipUnclipped(monitor.page, 'tr[data-id="Topic"] .tooltip'), "the last row's tooltip is not cut off by the table either");

    const cancelled = monitor.page.locator('tr[data-id="Bucket"]');
    assert.equal(await cancelled.locator('.codicon').first().getAttribute('class'), 'codicon codicon-circle-slash');
    assert.equal(await cancelled.locator('.status-icon').getAttribute('aria-label'), 'Cancelled: Resource update cancelled');
    const looks = await monitor.page.evaluate(() => {
      const look = (id: string) => {
        const cell = getComputedStyle(document.querySelector(`tr[data-id="${id}"] .col-id`) as Element);
        const action = getComputedStyle(document.querySelector(`tr[data-id="${id}"] .action`) as Element);
        return { fontStyle: cell.fontStyle, weight: cell.fontWeight, actionBorder: action.borderTopStyle };
      };
      return { cancelled: look('Bucket'), normal: look('OldTable') };
    });
    assert.deepEqual(
      looks.cancelled,
      { fontStyle: 'italic', weight: '400', actionBorder: 'dashed' },
      'cancelled rows are greyed: italic, not bold, a dashed label',
    );
    assert.deepEqual(looks.normal, { fontStyle: 'normal', weight: '600', actionBorder: 'solid' });
    assert.equal(await monitor.page.getAttribute('tr[data-id="OldTable"] .codicon', 'class'), 'codicon codicon-circle-outline');
    assert.equal(await monitor.page.getAttribute('tr[data-id="ApiFunctionRole"] .codicon', 'class'), 'codicon codicon-discard');
  });

  it('collapses long lists after 25 rows behind "Show more (N)"', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: model({ changes: manyRows(40) }) });
    const visibleRows = () => monitor.page.locator('#change-table tbody tr:visible').count();
    assert.equal(await visibleRows(), 25);
    assert.equal((await monitor.page.textContent('#show-more'))?.trim(), 'Show more (15)');
    assert.equal(await monitor.page.getAttribute('#show-more', 'aria-expanded'), 'false');
    await monitor.page.click('#show-more');
    assert.equal(await visibleRows(), 40);
    assert.equal((await monitor.page.textContent('#show-more'))?.trim(), 'Show less');
    await monitor.page.click('#show-more');
    assert.equal(await visibleRows(), 25);
    // A short list has no Show more at all.
    await monitor.send({ type: 'snapshot', model: reviewModel() });
    assert.ok(!(await monitor.page.locator('#show-more').isVisible()));
  });

  it('a delta rebuilds only the row that changed and updates the status line', async () => {
    const monitor = await open(fixture);
    const before = creatingModel();
    await monitor.send({ type: 'snapshot', model: before });
    // Tag every row node: a re-rendered row loses its tag.
    await monitor.page.$$eval('#change-table tbody tr', (rows) => rows.forEach((row) => ((row as HTMLElement & { __tag?: boolean }).__tag = true)));
    const changes = before.changes.map((row): ChangeRow => (row.logicalId === 'Bucket' ? { ...row, status: 'succeeded' } : row));
    const after: MonitorViewModel = {
      ...before,
      changes,
      progress: { ...before.progress, done: 3 },
      statusLine: '3/6 done, 0 errors; stack state: CREATE_IN_PROGRESS',
    };
    const delta = diffViewModel(before, after);
    assert.ok(delta);
    assert.equal(delta.rows.length, 1);
    await monitor.send({ type: 'delta', delta: JSON.parse(JSON.stringify(delta)) as ViewModelDelta });
    const tagged = await monitor.page.$$eval('#change-table tbody tr', (rows) =>
      rows.map((row) => [row.getAttribute('data-id'), Boolean((row as HTMLElement & { __tag?: boolean }).__tag)]),
    );
    assert.deepEqual(tagged, [
      ['ApiFunction', true],
      ['ApiFunctionRole', true],
      ['Bucket', false],
      ['Queue', true],
      ['OldTable', true],
      ['Topic', true],
    ]);
    assert.equal(await monitor.page.getAttribute('tr[data-id="Bucket"] .codicon', 'class'), 'codicon codicon-check');
    assert.equal(await monitor.page.textContent('#status-line'), '3/6 done, 0 errors; stack state: CREATE_IN_PROGRESS');
    // Host and webview applied the same delta: the saved state is the host's next model.
    await monitor.page.waitForFunction(() =>
      (window as unknown as { __state?: { model: { statusLine: string } } }).__state?.model.statusLine.startsWith('3/6'),
    );
    assert.deepEqual(await monitor.savedState(), { model: after });
  });

  it('a delta that fails a row announces it in the live region; added and removed rows follow the order', async () => {
    const monitor = await open(fixture);
    const before = creatingModel();
    await monitor.send({ type: 'snapshot', model: before });
    const failed = before.changes.map((row): ChangeRow => (row.logicalId === 'Queue' ? { ...row, status: 'failed', reason: 'Queue name taken' } : row));
    await monitor.send({ type: 'delta', delta: JSON.parse(JSON.stringify(diffViewModel(before, { ...before, changes: failed }))) as ViewModelDelta });
    assert.equal(await monitor.page.textContent('#announcer'), 'Queue failed: Queue name taken');
    const reordered = [{ logicalId: 'NewAlarm', action: 'Add', resourceType: 'AWS::CloudWatch::Alarm', status: 'pending' } as ChangeRow, ...failed.slice(0, 2)];
    await monitor.send({
      type: 'delta',
      delta: JSON.parse(JSON.stringify(diffViewModel({ ...before, changes: failed }, { ...before, changes: reordered }))) as ViewModelDelta,
    });
    const ids = await monitor.page.$$eval('#change-table tbody tr', (rows) => rows.map((row) => row.getAttribute('data-id')));
    assert.deepEqual(ids, ['NewAlarm', 'ApiFunction', 'ApiFunctionRole']);
  });

  it('a hidden and restored panel paints the saved model before the host answers', async () => {
    const monitor = await open(fixture, { state: { model: rollingBackModel() } });
    assert.ok(!(await monitor.page.locator('#loading').isVisible()));
    assert.equal(await monitor.page.locator('#change-table tbody tr').count(), 6);
    assert.deepEqual(await monitor.posted(), [{ type: 'ready' }]);
  });
});
