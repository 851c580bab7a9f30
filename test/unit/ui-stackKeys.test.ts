import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { sessionKey } from '../../src/deployment/session';
import { stackKeyFromState, targetFromKey } from '../../src/app/stackKeys';

describe('stack keys', () => {
  it('round-trips a target through its session key', () => {
    const target = { provider: 'aws' as const, name: 'orders-api', region: 'eu-west-1' };
    assert.deepEqual(targetFromKey(sessionKey(target)), target);
    assert.deepEqual(targetFromKey('gcp::dep'), { provider: 'gcp', name: 'dep', region: undefined });
  });

  it('rejects keys that are not ours', () => {
    for (const key of ['', 'azure:r:n', 'aws:us-east-1', 'aws:us-east-1:']) assert.equal(targetFromKey(key), undefined, key);
  });

  it('finds the stack in the state the webview saved, or in an explicit key', () => {
    assert.equal(stackKeyFromState({ model: { provider: 'aws', stackName: 'orders-api', region: 'us-east-1', changes: [] } }), 'aws:us-east-1:orders-api');
    assert.equal(stackKeyFromState({ stackKey: 'aws:us-east-1:x' }), 'aws:us-east-1:x');
  });

  it('ignores state it cannot trust', () => {
    for (const state of [undefined, null, 'aws:us-east-1:x', {}, { stackKey: 'nope' }, { model: { provider: 'evil', stackName: 'x' } }, { model: { provider: 'aws', stackName: 42 } }]) {
      assert.equal(stackKeyFromState(state), undefined, JSON.stringify(state));
    }
  });
});
