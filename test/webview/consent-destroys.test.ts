/**
 * The consent's list of what the destructive way out destroys: shown while it is read, bounded
 * ("and K more"), saying what it rests on, replaced by the planned delete without taking the
 * focus away from the answers, and readable at 400 px.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConsentDestroys, MonitorViewModel } from '../../src/shared/viewModel';
import { consentModel } from './models';
import { open, useHarness } from './setup';

const LONG_ADDRESS = 'module.orders_pipeline_with_a_very_long_name.google_storage_bucket_object.exported_archive_for_nightly_reports';

function withDestroys(destroys: ConsentDestroys): MonitorViewModel {
  const model = consentModel();
  return { ...model, consent: { ...(model.consent as NonNullable<MonitorViewModel['consent']>), destroys } };
}

const recorded: ConsentDestroys = {
  state: 'listed',
  actionLabel: 'Delete and redeploy',
  basis: "from the deployment's last recorded state",
  planning: true,
  items: [
    { logicalId: 'google_storage_bucket.data', resourceType: 'google_storage_bucket', physicalId: 'orders-data' },
    { logicalId: LONG_ADDRESS, resourceType: 'google_storage_bucket_object' },
  ],
  total: 12,
  more: 10,
};

describe('webview consent: what the recovery destroys', () => {
  const fixture = useHarness();

  it('says it is listing, then shows the first resources, the basis and how many more, while the answers work', async () => {
    const monitor = await open(fixture);
    await monitor.send({
      type: 'snapshot',
      model: withDestroys({ state: 'listing', actionLabel: 'Delete and redeploy', planning: false, items: [], total: 0, more: 0 }),
    });
    assert.match((await monitor.page.textContent('#consent-destroys')) ?? '', /What Delete and redeploy destroys.*Listing the resources it destroys/);

    await monitor.send({ type: 'snapshot', model: withDestroys(recorded) });
    const items = await monitor.page.$$eval('#consent-destroys-list li', (lis) => lis.map((li) => li.textContent));
    assert.deepEqual(items, ['google_storage_bucket.data google_storage_bucket', `${LONG_ADDRESS} google_storage_bucket_object`]);
    assert.equal(await monitor.page.textContent('#consent-destroys-basis'), "12 resources, from the deployment's last recorded state:");
    assert.equal(await monitor.page.textContent('#consent-destroys-more'), 'and 10 more');
    assert.match((await monitor.page.textContent('#consent-destroys-planning')) ?? '', /Planning the delete.*You can answer now/);
    await monitor.clearPosted();
    await monitor.page.click('#consent-decline');
    assert.deepEqual(await monitor.posted(), [{ type: 'decline' }]);
  });

  it('the planned delete replaces the list in place: the focused answer keeps its focus, and it is announced', async () => {
    const monitor = await open(fixture);
    const first = withDestroys(recorded);
    await monitor.send({ type: 'snapshot', model: first });
    await monitor.page.focus('#consent-forceDelete');
    const planned: ConsentDestroys = { ...recorded, basis: 'planned by a delete preview', planning: false, total: 2, more: 0 };
    await monitor.send({ type: 'delta', delta: { fields: { consent: withDestroys(planned).consent }, rows: [] } });
    assert.equal(await monitor.page.textContent('#consent-destroys-basis'), '2 resources, planned by a delete preview:');
    assert.equal(await monitor.page.locator('#consent-destroys-more').count(), 0);
    assert.equal(await monitor.page.locator('#consent-destroys-planning').count(), 0);
    assert.equal(await monitor.page.evaluate(() => document.activeElement?.id), 'consent-forceDelete', 'the update did not move the focus');
    assert.match((await monitor.page.textContent('#announcer')) ?? '', /Delete and redeploy destroys 2 resources, planned by a delete preview/);
  });

  it('an unavailable list says so and why', async () => {
    const monitor = await open(fixture);
    await monitor.send({
      type: 'snapshot',
      model: withDestroys({
        state: 'unavailable',
        actionLabel: 'Delete and redeploy',
        planning: false,
        items: [],
        total: 0,
        more: 0,
        note: 'The security token included in the request is expired',
      }),
    });
    assert.match((await monitor.page.textContent('#consent-destroys-unavailable')) ?? '', /could not be listed/);
    assert.equal(await monitor.page.textContent('#consent-destroys-note'), 'The security token included in the request is expired');
  });

  it('an empty list says "nothing to destroy" only when a planned delete says so; otherwise it says it is not known', async () => {
    const monitor = await open(fixture);
    const empty = { state: 'listed' as const, actionLabel: 'Delete and redeploy', planning: false, items: [], total: 0, more: 0 };
    await monitor.send({ type: 'snapshot', model: withDestroys({ ...empty, basis: "from the deployment's last recorded state" }) });
    const recordedText = (await monitor.page.textContent('#consent-destroys')) ?? '';
    assert.doesNotMatch(recordedText, /No resources,|Nothing to destroy/, 'an empty record is not knowledge');
    assert.equal(await monitor.page.textContent('#consent-destroys-basis'), 'No resources were listed, so what it destroys is not known.');

    await monitor.send({ type: 'snapshot', model: withDestroys(empty) });
    assert.equal(
      await monitor.page.textContent('#consent-destroys-basis'),
      'No resources were listed, so what it destroys is not known.',
      'never "No resources, ." without a basis',
    );

    await monitor.send({ type: 'snapshot', model: withDestroys({ ...empty, basis: 'planned by a delete preview', planned: true }) });
    assert.equal(await monitor.page.textContent('#consent-destroys-basis'), 'Nothing to destroy, planned by a delete preview.');
  });

  it('a list that could not be listed while the delete is still planned says both, and the answers work', async () => {
    const monitor = await open(fixture);
    await monitor.send({
      type: 'snapshot',
      model: withDestroys({
        state: 'unavailable',
        actionLabel: 'Delete and redeploy',
        planning: true,
        items: [],
        total: 0,
        more: 0,
        note: 'The latest revision (r-1) records no resources.',
      }),
    });
    assert.match((await monitor.page.textContent('#consent-destroys-unavailable')) ?? '', /could not be listed/);
    assert.equal(await monitor.page.textContent('#consent-destroys-note'), 'The latest revision (r-1) records no resources.');
    assert.match((await monitor.page.textContent('#consent-destroys-planning')) ?? '', /Planning the delete/);
    assert.equal(await monitor.page.locator('#consent-destroys-basis').count(), 0, 'no count is claimed');
    await monitor.clearPosted();
    await monitor.page.click('#consent-decline');
    assert.deepEqual(await monitor.posted(), [{ type: 'decline' }]);
  });

  it('at 400 px the list wraps, long addresses included, and nothing scrolls sideways', async () => {
    const monitor = await open(fixture, { width: 400 });
    await monitor.send({ type: 'snapshot', model: withDestroys(recorded) });
    const sizes = await monitor.page.evaluate(() => {
      const panel = document.querySelector('#consent') as HTMLElement;
      const overflowing = [...panel.querySelectorAll('*'), panel]
        .filter((element) => element.getBoundingClientRect().right > panel.getBoundingClientRect().right + 0.5)
        .map((element) => element.id || element.className || element.tagName);
      return { panel: [panel.scrollWidth, panel.clientWidth], page: [document.documentElement.scrollWidth, document.documentElement.clientWidth], overflowing };
    });
    assert.ok(sizes.panel[0] <= sizes.panel[1], `the consent scrolls sideways (${sizes.panel.join(' > ')})`);
    assert.deepEqual(sizes.overflowing, [], 'nothing sticks out of the consent');
    assert.ok(sizes.page[0] <= sizes.page[1], `the page scrolls sideways (${sizes.page.join(' > ')})`);
  });
});
