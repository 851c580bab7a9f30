import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { sessionKey } from '../../src/deployment/session';
import { stackKeyFromSavedPanel, targetFromKey } from '../../src/app/stackKeys';

describe('stack keys', () => {
  it('round-trips a target through its session key', () => {
    const target = { provider: 'aws' as const, name: 'orders-api', region: 'eu-west-1' };
    assert.deepEqual(targetFromKey(sessionKey(target)), target);
    assert.deepEqual(targetFromKey('gcp::dep'), { provider: 'gcp', name: 'dep', region: undefined });
  });

  it('rejects keys that are not ours', () => {
    for (const key of ['', 'azure:r:n', 'aws:us-east-1', 'aws:us-east-1:']) assert.equal(targetFromKey(key), undefined, key);
  });

  it('finds the stack in the model the webview saved', () => {
    assert.equal(stackKeyFromSavedPanel({ model: { provider: 'aws', stackName: 'orders-api', region: 'us-east-1', changes: [] } }), 'aws:us-east-1:orders-api');
    assert.equal(stackKeyFromSavedPanel({ model: { provider: 'gcp', stackName: 'orders', changes: [] } }), 'gcp::orders');
  });

  it('ignores state it cannot trust', () => {
    // The webview saves only { model } (SavedPanelState): a bare key is not something it wrote.
    for (const state of [
      undefined,
      null,
      'aws:us-east-1:x',
      {},
      { stackKey: 'aws:us-east-1:x' },
      { model: 'aws:us-east-1:x' },
      { model: { provider: 'evil', stackName: 'x' } },
      { model: { provider: 'aws', stackName: 42 } },
    ]) {
      assert.equal(stackKeyFromSavedPanel(state), undefined, JSON.stringify(state));
    }
  });
});
