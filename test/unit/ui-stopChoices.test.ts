/**
 * Stop from the Command Palette on Google Cloud: the quick pick opens on Keep Deploying (so Enter
 * keeps deploying), and the question says the apply ends cancelled with nothing rolled back. The
 * monitor's own Stop carries the same question in the model, and AWS's Stop (a rollback) none.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { descriptorOf } from '../../src/providers/registry';
import { stopChoices } from '../../src/ui/stopChoices';
import { toViewModel } from '../../src/ui/viewModel';
import { snapshotIn } from '../support/uiSnapshots';

const OPERATION = { token: 'op-1', startedAt: '2026-11-22T10:00:00.000Z', kind: 'update' } as const;

describe('the stop question', () => {
  it('lists Keep first, so the quick pick opens on it', () => {
    const question = descriptorOf('gcp').stop.confirmation('orders');
    assert.ok(question);
    const choices = stopChoices(question);
    assert.deepEqual(
      choices.map((choice) => [choice.label, choice.stops]),
      [
        ['$(debug-continue) Keep Deploying', false],
        ['$(debug-stop) Cancel the Apply', true],
      ],
    );
    assert.match(question.detail, /the apply ends cancelled/);
    assert.doesNotMatch(`${question.message} ${question.detail}`, /FAILED|\bfail/i);
  });

  it('is in the model while Stop can be pressed, on Google Cloud only', () => {
    for (const provider of ['gcp', 'aws'] as const) {
      const context = { target: { provider, name: 'orders', region: 'r' }, executed: true, operation: OPERATION, providerStatus: 'UPDATING' };
      const stop = toViewModel(snapshotIn('monitoring', context)).controls.stop;
      assert.equal(stop.enabled, true);
      assert.equal(stop.confirm?.keep, provider === 'gcp' ? 'Keep Deploying' : undefined);
    }
  });
});
