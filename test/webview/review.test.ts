/**
 * The review at property depth: each changed property with its path, change type, replacement,
 * source and values; long JSON as a line diff; secrets as "hidden (secret)" only; a whole-resource
 * diff when only contexts are known; drift's column and values. In every theme.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Theme } from './harness';
import { SECRET_SENTINEL, driftReviewModel, propertyReviewModel } from './depthModels';
import { reviewModel } from './models';
import { open, useHarness } from './setup';

const THEMES: Theme[] = ['light', 'dark', 'hc-dark', 'hc-light'];

describe('webview property review', () => {
  const fixture = useHarness();

  for (const theme of THEMES) {
    it(`an expanded row lists its properties with before → after, long JSON as a marked line diff (${theme})`, async () => {
      const monitor = await open(fixture, { theme });
      await monitor.send({ type: 'snapshot', model: propertyReviewModel() });
      const table = monitor.page.locator('tr[data-id="Table"]');
      const toggle = table.locator('.details-toggle');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      assert.equal(await monitor.page.locator('tr[data-detail-for="Table"]').count(), 0, 'details are built only when opened');
      const columnsBefore = await monitor.page.$$eval('#change-table thead th', (cells) => cells.map((cell) => Math.round(cell.getBoundingClientRect().width)));
      // From the keyboard.
      await toggle.focus();
      await monitor.page.keyboard.press('Enter');
      const detail = monitor.page.locator('tr[data-detail-for="Table"]');
      assert.ok(await detail.isVisible());
      assert.equal(await table.locator('.details-toggle').getAttribute('aria-expanded'), 'true');
      assert.equal(await table.locator('.details-toggle').getAttribute('aria-controls'), await detail.getAttribute('id'));
      assert.ok(await monitor.page.evaluate(() => document.activeElement?.classList.contains('details-toggle')), 'focus stays on the toggle');
      const columnsAfter = await monitor.page.$$eval('#change-table thead th', (cells) => cells.map((cell) => Math.round(cell.getBoundingClientRect().width)));
      assert.deepEqual(columnsAfter, columnsBefore, 'opening the details moves no column');

      const keySchema = detail.locator('.property[data-path="Properties.KeySchema"]');
      assert.equal(await keySchema.locator('.property-path').textContent(), 'Properties.KeySchema');
      assert.equal(await keySchema.locator('.property-change').textContent(), 'Modify');
      assert.equal(await keySchema.locator('.property-recreation').textContent(), 'requires replacement');
      assert.equal(await keySchema.locator('.property-source').textContent(), 'DirectModification');
      // Pretty-printed, then diffed line by line: one line removed, one added, the rest kept.
      const lines = await keySchema
        .locator('.diff-line')
        .evaluateAll((nodes: Element[]) => nodes.map((node): [string, string | null] => [node.className.replace('diff-line ', ''), node.textContent]));
      assert.deepEqual(
        lines.filter(([kind]) => kind !== 'diff-same'),
        [
          ['diff-removed', '-removed:     "AttributeName": "Id",'],
          ['diff-added', '+added:     "AttributeName": "TenantId",'],
          ['diff-skipped', '⋯ 4 unchanged lines'],
        ],
      );
      assert.deepEqual(
        lines.filter(([kind]) => kind === 'diff-same').map(([, text]) => text),
        [' [', '   {', '     "KeyType": "HASH"', '   },', '   {'],
      );
      // Colour is not the only sign: added and removed lines differ in colour AND carry + / -.
      const look = await keySchema.evaluate((item) => {
        const style = (selector: string) => getComputedStyle(item.querySelector(selector) as Element);
        return {
          added: style('.diff-added').borderLeftColor,
          removed: style('.diff-removed').borderLeftColor,
          addedSign: style('.diff-added .diff-sign').color,
          removedSign: style('.diff-removed .diff-sign').color,
        };
      });
      assert.notEqual(look.added, look.removed);
      assert.notEqual(look.addedSign, look.removedSign);
      for (const colour of Object.values(look)) assert.notEqual(colour, 'rgba(0, 0, 0, 0)');

      const billing = detail.locator('.property[data-path="Properties.BillingMode"]');
      assert.equal(await billing.locator('.property-recreation').textContent(), 'may require replacement');
      assert.equal(await billing.locator('.property-source').textContent(), 'ParameterReference, caused by BillingModeParam');
      assert.equal(await billing.locator('.property-values').textContent(), 'PROVISIONED → PAY_PER_REQUEST');
      assert.equal(await billing.locator('.value-diff').count(), 0, 'short values stay inline');
    });

    it(`secret values read "hidden (secret)" and nothing else; a row with only contexts shows them as a diff (${theme})`, async () => {
      const monitor = await open(fixture, { theme });
      await monitor.send({ type: 'snapshot', model: propertyReviewModel() });
      await monitor.page.click('tr[data-id="Database"] .details-toggle');
      await monitor.page.click('tr[data-id="Bucket"] .details-toggle');
      const database = monitor.page.locator('tr[data-detail-for="Database"]');
      assert.equal(
        await database.locator('.property[data-path="Properties.MasterUserPassword"] .property-values').textContent(),
        'hidden (secret) → hidden (secret)',
      );
      assert.equal(await database.locator('.property[data-path="Properties.Tags[0].Value"] .property-values').textContent(), '(not set) → hidden (secret)');
      const bucket = monitor.page.locator('tr[data-detail-for="Bucket"]');
      assert.equal(await bucket.locator('.detail-caption').textContent(), 'The resource before and after:');
      const changedLines = await bucket.locator('.diff-added, .diff-removed').allTextContents();
      assert.ok(changedLines.includes('-removed:         "Value": "web"'), changedLines.join('\n'));
      assert.ok(changedLines.includes('+added:         "Value": "platform"'), changedLines.join('\n'));
      assert.ok(changedLines.includes('+added:     "Token": "hidden (secret)"'), changedLines.join('\n'));
      const text = (await monitor.page.textContent('body')) ?? '';
      assert.ok(!text.includes('****'), 'the mask itself is never shown');
      assert.ok(!text.includes(SECRET_SENTINEL), 'a value marked secret is never shown');
    });

    it(`drift: a Drift column when any row has drift, and each property's last deployed and live values (${theme})`, async () => {
      const monitor = await open(fixture, { theme });
      await monitor.send({ type: 'snapshot', model: reviewModel() });
      assert.equal(await monitor.page.locator('#col-drift').count(), 0, 'no drift, no column');
      await monitor.send({ type: 'snapshot', model: driftReviewModel() });
      assert.equal(await monitor.page.textContent('#col-drift'), 'Drift');
      const cells = await monitor.page.$$eval('#change-table tbody tr.change-row', (rows) =>
        rows.map((row) => [
          row.getAttribute('data-id'),
          row.querySelector('.col-drift')?.textContent,
          row.querySelector('.col-drift')?.getAttribute('title') ?? null,
        ]),
      );
      assert.deepEqual(cells, [
        ['Queue', 'Modified', 'MODIFIED'],
        ['Topic', 'In sync', 'IN_SYNC'],
        ['Role', '', null],
      ]);
      const tones = await monitor.page.$$eval('#change-table tbody .col-drift', (nodes) => nodes.slice(0, 2).map((node) => getComputedStyle(node).color));
      assert.notEqual(tones[0], tones[1], 'modified and in sync read differently');
      await monitor.page.click('tr[data-id="Queue"] .details-toggle');
      assert.equal(await monitor.page.textContent('tr[data-detail-for="Queue"] .property-drift'), 'Drift: last deployed 30, live now 45');
    });
  }

  it('an open row stays open when a delta rebuilds it, and its details follow the new row', async () => {
    const monitor = await open(fixture);
    const first = propertyReviewModel();
    await monitor.send({ type: 'snapshot', model: first });
    await monitor.page.click('tr[data-id="Table"] .details-toggle');
    const rows = first.changes.map((row) => (row.logicalId === 'Table' ? { ...row, status: 'inProgress' as const } : row));
    await monitor.send({ type: 'delta', delta: { fields: {}, rows: rows.filter((row) => row.logicalId === 'Table') } });
    assert.equal(await monitor.page.getAttribute('tr[data-id="Table"]', 'data-status'), 'inProgress');
    assert.equal(await monitor.page.getAttribute('tr[data-id="Table"] .details-toggle', 'aria-expanded'), 'true');
    assert.equal(await monitor.page.locator('tr[data-detail-for="Table"]').count(), 1);
    const order = await monitor.page.$$eval('#change-table tbody tr', (trs) =>
      trs.map((tr) => tr.getAttribute('data-id') ?? `detail:${tr.getAttribute('data-detail-for')}`),
    );
    assert.deepEqual(order, ['Table', 'detail:Table', 'Database', 'Bucket', 'Topic']);
    // Closing removes the details.
    await monitor.page.click('tr[data-id="Table"] .details-toggle');
    assert.equal(await monitor.page.locator('tr[data-detail-for="Table"]').count(), 0);
  });
});
