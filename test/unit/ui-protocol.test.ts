/** The webview is untrusted: only well-formed messages become machine events. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isHostMessage, parseWebviewMessage } from '../../src/protocol';

describe('messages from the webview', () => {
  it('accepts every message the host understands, exactly as sent', () => {
    const good = [
      { type: 'ready' },
      { type: 'execute' },
      { type: 'abort' },
      { type: 'stop' },
      { type: 'saveTemplate' },
      { type: 'showLogs' },
      { type: 'done' },
      { type: 'decline' },
      { type: 'openErrorLocation' },
      { type: 'consent', action: 'delete' },
      { type: 'consent', action: 'continueRollback' },
      { type: 'setAutoExecute', value: true },
      { type: 'copyOutput', key: 'ApiUrl' },
    ];
    for (const message of good) assert.deepEqual(parseWebviewMessage(message), message);
  });

  it('drops anything else', () => {
    const bad: unknown[] = [
      undefined,
      null,
      'execute',
      [],
      {},
      { type: 'EXECUTE' },
      { type: 'execute', extra: 1 },
      { type: 'consent' },
      { type: 'consent', action: 'deleteEverything' },
      { type: 'consent', action: 'delete', stack: 'other' },
      { type: 'setAutoExecute', value: 'yes' },
      { type: 'copyOutput', key: '' },
      { type: 'copyOutput', key: 'x'.repeat(256) },
      { type: 'copyOutput', key: 42 },
      { type: '__proto__' },
      { type: 'constructor' },
    ];
    for (const message of bad) assert.equal(parseWebviewMessage(message), undefined, JSON.stringify(message));
  });
});

describe('messages from the host', () => {
  it('recognises snapshots, deltas and copy acknowledgements', () => {
    assert.ok(isHostMessage({ type: 'snapshot', model: { changes: [] } }));
    assert.ok(isHostMessage({ type: 'delta', delta: { fields: {}, rows: [] } }));
    assert.ok(isHostMessage({ type: 'copied', key: 'ApiUrl' }));
    assert.ok(!isHostMessage({ type: 'snapshot' }));
    assert.ok(!isHostMessage({ type: 'delta', delta: { rows: [] } }));
    assert.ok(!isHostMessage({ type: 'other' }));
  });
});
