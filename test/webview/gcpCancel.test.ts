/**
 * Cancel (no rollback) on Google Cloud, as the host's real view model draws it: the page asks
 * first with Keep Deploying focused (Enter and Escape keep deploying), says the apply ends
 * cancelled with nothing rolled back, and the end line shows a stop, not a rollback. AWS's Stop,
 * which rolls back, still acts at once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProviderKind } from '../../src/providers/provider';
import { toViewModel } from '../../src/ui/viewModel';
import { finishedIn, snapshotIn } from '../support/uiSnapshots';
import type { Monitor } from './harness';
import { open, useHarness } from './setup';

const OPERATION = { token: 'op-1', startedAt: '2026-11-22T10:00:00.000Z', kind: 'update' } as const;

function deploying(provider: ProviderKind) {
  const target = { provider, name: 'orders', region: 'us-central1' };
  return toViewModel(snapshotIn('monitoring', { target, executed: true, operation: OPERATION, providerStatus: 'UPDATING' }));
}

const focused = (monitor: Monitor) => monitor.page.evaluate(() => document.activeElement?.id);

async function pressStop(monitor: Monitor): Promise<void> {
  await monitor.page.click('#btn-stop');
}

describe('webview Google Cloud cancel', () => {
  const fixture = useHarness();

  it('asks in the page first, with Keep Deploying focused: Enter and Escape keep deploying', async () => {
    const monitor = await open(fixture);
    const model = deploying('gcp');
    assert.ok(model.controls.stop.enabled, 'Cancel can be pressed');
    await monitor.send({ type: 'snapshot', model });
    await monitor.clearPosted();
    await pressStop(monitor);
    assert.ok(await monitor.page.locator('#stop-confirm').isVisible(), 'the question shows');
    await monitor.page.waitForFunction(() => document.activeElement?.id === 'stop-keep');
    assert.match((await monitor.page.textContent('#stop-keep')) ?? '', /Keep Deploying/);
    assert.equal(await monitor.page.getAttribute('#stop-confirm', 'role'), 'alertdialog');
    assert.deepEqual(await monitor.posted(), [], 'nothing is sent before the answer');

    await monitor.page.keyboard.press('Enter');
    assert.ok(!(await monitor.page.locator('#stop-confirm').isVisible()), 'Enter on Keep closes it');
    assert.equal(await focused(monitor), 'btn-stop', 'focus goes back to the button');
    await pressStop(monitor);
    await monitor.page.waitForFunction(() => document.activeElement?.id === 'stop-keep');
    await monitor.page.keyboard.press('Escape');
    assert.ok(!(await monitor.page.locator('#stop-confirm').isVisible()), 'Escape closes it');
    assert.deepEqual(await monitor.posted(), [], 'Keep and Escape send nothing');

    await pressStop(monitor);
    await monitor.page.click('#stop-confirm-yes');
    assert.deepEqual(await monitor.posted(), [{ type: 'stop', confirmed: true }], 'only the destructive answer cancels, and says the person said yes');
    assert.ok(!(await monitor.page.locator('#stop-confirm').isVisible()));
  });

  it('says what really happens: the apply ends cancelled, nothing is rolled back, and it may not stop', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: deploying('gcp') });
    await pressStop(monitor);
    const text = (await monitor.page.textContent('#stop-confirm')) ?? '';
    assert.match(text, /ends cancelled/);
    assert.match(text, /Nothing is rolled back/);
    assert.match(text, /may refuse/);
    assert.doesNotMatch(text, /FAILED|fail/i, 'a cancel does not end failed');
  });

  it('the question goes when Cancel can no longer be pressed', async () => {
    const monitor = await open(fixture);
    const model = deploying('gcp');
    await monitor.send({ type: 'snapshot', model });
    await pressStop(monitor);
    const requested = { ...model.controls, stop: { ...model.controls.stop, enabled: false, confirm: undefined, reason: 'Cancel requested.' } };
    await monitor.send({ type: 'delta', delta: { fields: { controls: requested }, rows: [] } });
    assert.ok(!(await monitor.page.locator('#stop-confirm').isVisible()));
  });

  it('AWS Stop rolls back, so it asks nothing and acts at once', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: deploying('aws') });
    await monitor.clearPosted();
    await pressStop(monitor);
    assert.deepEqual(await monitor.posted(), [{ type: 'stop' }]);
    assert.ok(!(await monitor.page.locator('#stop-confirm').isVisible()));
  });

  it('the end line of a cancel shows a stop, not a rollback; a stop that rolled back keeps the rollback icon', async () => {
    const monitor = await open(fixture);
    const cancelled = finishedIn('failed', false, {
      target: { provider: 'gcp', name: 'orders', region: 'us-central1' },
      executed: true,
      stopRequested: true,
      providerStatus: 'CANCELLED',
    });
    await monitor.send({ type: 'snapshot', model: toViewModel(cancelled) });
    assert.match((await monitor.page.textContent('#final-status')) ?? '', /nothing was rolled back/);
    assert.equal(await monitor.page.getAttribute('#final-status .codicon', 'class'), 'codicon codicon-debug-stop');
    const rolledBack = finishedIn('rolledBack', false, { executed: true, stopRequested: true, providerStatus: 'UPDATE_ROLLBACK_COMPLETE' });
    await monitor.send({ type: 'snapshot', model: toViewModel(rolledBack) });
    assert.match((await monitor.page.textContent('#final-status')) ?? '', /rolled back/);
    assert.equal(await monitor.page.getAttribute('#final-status .codicon', 'class'), 'codicon codicon-discard');
  });
});
