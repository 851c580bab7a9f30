/**
 * Nested rows as a tree (indented, levels, folding by keyboard), and each row's start time,
 * duration (counting while it runs), "configured, stabilizing", and its template and console links.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Theme } from './harness';
import { NOW, nestedModel, timedModel } from './depthModels';
import { reviewModel } from './models';
import { open, useHarness } from './setup';

const THEMES: Theme[] = ['light', 'dark', 'hc-dark', 'hc-light'];

async function visibleIds(page: import('playwright-core').Page): Promise<string[]> {
  return page.$$eval('#change-table tbody tr.change-row', (rows) =>
    rows.filter((row) => !(row as HTMLElement).hidden).map((row) => row.getAttribute('data-id') ?? ''),
  );
}

describe('webview nested tree and row timing', () => {
  const fixture = useHarness();

  for (const theme of THEMES) {
    it(`nested rows are indented under their parent, named by their last segment, and fold from the keyboard (${theme})`, async () => {
      const monitor = await open(fixture, { theme });
      await monitor.send({ type: 'snapshot', model: nestedModel() });
      const page = monitor.page;
      assert.equal(await page.getAttribute('#change-table', 'role'), 'treegrid');
      const rows = await page.$$eval('#change-table tbody tr.change-row', (trs) =>
        trs.map((tr): [string | null, string | null, string | null, string, number] => {
          const name = tr.querySelector('.resource-name, .resource-link') as HTMLElement;
          const cell = tr.querySelector('.col-id') as HTMLElement;
          return [
            tr.getAttribute('data-id'),
            tr.getAttribute('aria-level'),
            name.textContent,
            name.title.split(':')[0],
            Math.round(name.getBoundingClientRect().left - cell.getBoundingClientRect().left),
          ];
        }),
      );
      assert.deepEqual(
        rows.map(([id, level, name, title]) => [id, level, name, title]),
        [
          ['Api', '1', 'Api', 'Api'],
          ['Network', '1', 'Network', 'Network'],
          ['Network/Vpc', '2', 'Vpc', 'Network/Vpc'],
          ['Network/Subnet', '2', 'Subnet', 'Network/Subnet'],
          ['Network/Inner', '2', 'Inner', 'Network/Inner'],
          ['Network/Inner/Route', '3', 'Route', 'Network/Inner/Route'],
          ['Topic', '1', 'Topic', 'Topic'],
        ],
      );
      const indent = new Map(rows.map(([id, , , , left]) => [id, left]));
      const left = (id: string) => indent.get(id) ?? NaN;
      assert.equal(left('Api'), left('Network'), 'top-level names line up');
      assert.ok(left('Network/Vpc') >= left('Network') + 16, 'a child steps in under its parent');
      assert.ok(left('Network/Inner/Route') >= left('Network/Inner') + 16, 'and a grandchild under the child');
      assert.equal(await page.getAttribute('tr[data-id="Network"]', 'aria-expanded'), 'true');
      assert.equal(await page.getAttribute('tr[data-id="Topic"]', 'aria-expanded'), null, 'a leaf is neither open nor closed');

      // Left folds the parent and everything under it; focus stays on its toggle.
      const toggle = page.locator('tr[data-id="Network"] .tree-toggle');
      assert.equal(await toggle.getAttribute('aria-label'), 'Collapse Network (3 nested)');
      await toggle.focus();
      await page.keyboard.press('ArrowLeft');
      assert.deepEqual(await visibleIds(page), ['Api', 'Network', 'Topic']);
      assert.equal(await page.getAttribute('tr[data-id="Network"]', 'aria-expanded'), 'false');
      assert.equal(await page.locator('tr[data-id="Network"] .tree-toggle').getAttribute('aria-expanded'), 'false');
      assert.ok(await page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-id') === 'Network'), 'focus stays on the parent');
      // Enter unfolds it again (a native button); the inner stack folds on its own.
      await page.keyboard.press('Enter');
      assert.deepEqual(await visibleIds(page), ['Api', 'Network', 'Network/Vpc', 'Network/Subnet', 'Network/Inner', 'Network/Inner/Route', 'Topic']);
      await page.locator('tr[data-id="Network/Inner"] .tree-toggle').focus();
      await page.keyboard.press('Space');
      assert.deepEqual(await visibleIds(page), ['Api', 'Network', 'Network/Vpc', 'Network/Subnet', 'Network/Inner', 'Topic']);
      await page.keyboard.press('ArrowRight');
      assert.ok((await visibleIds(page)).includes('Network/Inner/Route'));
      // A status delta on a folded child keeps it folded away.
      await page.locator('tr[data-id="Network"] .tree-toggle').focus();
      await page.keyboard.press('ArrowLeft');
      const model = nestedModel();
      const subnet = { ...(model.changes.find((row) => row.logicalId === 'Network/Subnet') as (typeof model.changes)[number]), status: 'succeeded' as const };
      await monitor.send({ type: 'delta', delta: { fields: {}, rows: [subnet] } });
      assert.deepEqual(await visibleIds(page), ['Api', 'Network', 'Topic']);
    });

    it(`rows show their local start time and duration, live while in progress; stabilizing reads as such; links post their messages (${theme})`, async () => {
      const monitor = await open(fixture, { theme, timezoneId: 'UTC' });
      const page = monitor.page;
      await page.clock.install({ time: NOW });
      await monitor.send({ type: 'snapshot', model: timedModel(NOW) });
      assert.equal(await page.textContent('#col-time'), 'Started');
      const role = page.locator('tr[data-id="Role"]');
      assert.equal(await role.locator('.col-time .started').textContent(), '14:03:12');
      assert.equal(await role.locator('.col-time .duration').textContent(), '1 min 12 s');
      const cluster = page.locator('tr[data-id="Cluster"]');
      assert.equal(await cluster.locator('.col-time .duration').textContent(), '1 min 5 s');
      assert.equal(await cluster.locator('.stabilizing').textContent(), 'configured, stabilizing');
      assert.equal(await cluster.locator('.status-icon').getAttribute('aria-label'), 'Configured, stabilizing');
      assert.equal(await page.locator('tr[data-id="Topic"] .col-time').textContent(), '', 'not started: no time');
      const widths = await page.$$eval('#change-table thead th', (cells) => cells.map((cell) => Math.round(cell.getBoundingClientRect().width)));
      await page.clock.runFor(10_000);
      assert.equal(await cluster.locator('.col-time .duration').textContent(), '1 min 15 s', 'the running row counts up');
      assert.equal(await role.locator('.col-time .duration').textContent(), '1 min 12 s', 'a settled row does not');
      assert.deepEqual(await page.$$eval('#change-table thead th', (cells) => cells.map((cell) => Math.round(cell.getBoundingClientRect().width))), widths);

      await monitor.clearPosted();
      await role.locator('.resource-link').click();
      await role.locator('.console-link').click();
      assert.equal(await cluster.locator('.resource-link').count(), 0, 'no location, no link');
      await cluster.locator('.resource-name').click();
      assert.equal(await cluster.locator('.console-link').getAttribute('aria-label'), 'Open Cluster in the console');
      await cluster.locator('.console-link').focus();
      await page.keyboard.press('Enter');
      assert.deepEqual(await monitor.posted(), [
        { type: 'openResource', logicalId: 'Role' },
        { type: 'openConsole', logicalId: 'Role' },
        { type: 'openConsole', logicalId: 'Cluster' },
      ]);
    });
  }

  it('a flat list has no tree, no time column and no links', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: reviewModel() });
    assert.equal(await monitor.page.getAttribute('#change-table', 'role'), null);
    assert.equal(await monitor.page.locator('#change-table [aria-level], .tree-toggle, #col-time, .resource-link, .console-link').count(), 0);
  });
});
