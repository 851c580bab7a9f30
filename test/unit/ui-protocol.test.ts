/**
 * The webview is untrusted: only well-formed messages become machine events. Every message type
 * is tried with fields missing, extra, of the wrong type and oversized, and with types the host
 * does not know; each must be rejected (parseWebviewMessage returns undefined), never half-read.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isHostMessage, parseWebviewMessage } from '../../src/shared/protocol';

/** Messages without fields: the type is the whole message. */
const SIMPLE_TYPES = [
  'ready',
  'execute',
  'abort',
  'stop',
  'saveTemplate',
  'showLogs',
  'done',
  'decline',
  'watchOther',
  'checkAgain',
  'dismiss',
  'openErrorLocation',
  'compareWithDeployed',
  'deployAgain',
];

/** Messages with one field: a good value, and values of every other kind that must be refused. */
const WITH_FIELD: { type: string; field: string; good: unknown[]; bad: unknown[] }[] = [
  {
    type: 'consent',
    field: 'action',
    good: ['delete', 'forceDelete', 'continueRollback', 'rollback', 'unlock'],
    bad: ['deleteEverything', 'DELETE', ' delete', 'toString', '__proto__', '', 42, true, null, ['delete'], { action: 'delete' }, 'x'.repeat(1_000_000)],
  },
  {
    type: 'setAutoExecute',
    field: 'value',
    good: [true, false],
    bad: ['true', 'false', 1, 0, null, [true], { value: true }, ''],
  },
  {
    type: 'copyOutput',
    field: 'key',
    good: ['ApiUrl', 'x'.repeat(255)],
    bad: ['', 'x'.repeat(256), 'x'.repeat(1_000_000), 42, null, true, ['ApiUrl'], { key: 'ApiUrl' }],
  },
  ...['openResource', 'openConsole'].map((type) => ({
    type,
    field: 'logicalId',
    good: ['Bucket', 'Network/Subnet', 'x'.repeat(512)],
    bad: ['', 'x'.repeat(513), 'x'.repeat(1_000_000), 42, null, true, ['Bucket'], { logicalId: 'Bucket' }],
  })),
  {
    type: 'openLink',
    field: 'url',
    good: ['https://console.cloud.google.com/cloud-build/builds;region=us-central1/b0b9?project=orders-prod', `https://example.com/${'x'.repeat(2000)}`],
    bad: [
      'http://example.com/',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'https://',
      // Not in its normal form: the webview sends the href it drew, and nothing else matches the host's list.
      'HTTPS://example.com/',
      `https://example.com/${'x'.repeat(2100)}`,
      '',
      42,
      null,
      ['https://example.com/'],
    ],
  },
  {
    type: 'openFinding',
    field: 'index',
    good: [0, 1, 9_999],
    bad: [-1, 10_000, 1.5, NaN, Infinity, -0.5, '0', null, true, [0], { index: 0 }, 2 ** 53],
  },
];

/** Kinds of value for fields a message does not have. */
const EXTRA_VALUES: unknown[] = [1, 'x', null, true, {}, [], 'x'.repeat(1_000_000)];

function rejected(message: unknown, why: string): void {
  assert.equal(parseWebviewMessage(message), undefined, `${why}: ${JSON.stringify(message)?.slice(0, 120)}`);
}

describe('messages from the webview', () => {
  it('accepts every message the host understands, exactly as sent, as a new object', () => {
    const good = [
      ...SIMPLE_TYPES.map((type) => ({ type })),
      ...WITH_FIELD.flatMap(({ type, field, good: values }) => values.map((value) => ({ type, [field]: value }))),
    ];
    for (const message of good) {
      const parsed = parseWebviewMessage(message);
      assert.deepEqual(parsed, message);
      assert.notEqual(parsed, message, 'the host keeps its own copy, not the webview’s object');
    }
  });

  it('rejects what is not a message at all', () => {
    for (const value of [undefined, null, 'execute', 42, true, [], [{ type: 'execute' }], {}, { kind: 'execute' }]) rejected(value, 'not a message');
  });

  it('rejects types it does not know: misspelt, other case, padded, prototype names, oversized', () => {
    const types: unknown[] = [
      'EXECUTE',
      'Execute',
      ' execute',
      'execute ',
      'exec',
      'snapshot',
      'delta',
      'copied',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      '',
      'x'.repeat(1_000_000),
    ];
    for (const type of types) rejected({ type }, 'unknown type');
  });

  it('rejects a type that is not a string', () => {
    for (const type of [1, true, null, ['execute'], { toString: 'execute' }]) rejected({ type }, 'type of the wrong kind');
  });

  it('rejects any extra field on a message without fields, whatever its value', () => {
    for (const type of SIMPLE_TYPES) {
      for (const value of EXTRA_VALUES) rejected({ type, extra: value }, 'extra field');
      rejected({ type, stack: 'aws:us-east-1:other' }, 'a field naming another stack');
    }
  });

  it("stop: 'confirmed' is true or absent; the page sets it only after its own question", () => {
    assert.deepEqual(parseWebviewMessage({ type: 'stop', confirmed: true }), { type: 'stop', confirmed: true });
    assert.deepEqual(parseWebviewMessage({ type: 'stop' }), { type: 'stop' });
    for (const value of [false, 'true', 1, null, {}, [true]]) rejected({ type: 'stop', confirmed: value }, 'confirmed that is not true');
  });

  it('rejects an own __proto__ field, as JSON.parse makes one', () => {
    for (const type of SIMPLE_TYPES) rejected(JSON.parse(`{"type":"${type}","__proto__":{"action":"delete"}}`), 'own __proto__');
    rejected(JSON.parse('{"type":"consent","action":"delete","__proto__":{}}'), 'own __proto__ beside a good field');
  });

  for (const { type, field, good, bad } of WITH_FIELD) {
    describe(type, () => {
      it(`rejects it without ${field}`, () => rejected({ type }, 'missing field'));

      it(`rejects ${field} of the wrong kind, unknown or oversized`, () => {
        for (const value of bad) rejected({ type, [field]: value }, `bad ${field}`);
      });

      it('rejects an extra field beside a good one', () => {
        for (const value of EXTRA_VALUES) rejected({ type, [field]: good[0], extra: value }, 'extra field');
      });

      it(`rejects ${field} under another name`, () => rejected({ type, [`${field}s`]: good[0] }, 'misnamed field'));
    });
  }
});

describe('setOption', () => {
  const good = [
    { type: 'setOption', id: 'express', value: true },
    { type: 'setOption', id: 'onStackFailure', value: 'DO_NOTHING' },
    { type: 'setOption', id: 'a'.repeat(64), value: 'x'.repeat(64) },
    { type: 'setOption', id: 'X1', value: false },
  ];

  it('accepts an id and a boolean or short string, as a new object', () => {
    for (const message of good) {
      const parsed = parseWebviewMessage(message);
      assert.deepEqual(parsed, message);
      assert.notEqual(parsed, message);
    }
  });

  it('rejects an id that is missing, not a word, oversized or of the wrong kind', () => {
    for (const id of [undefined, '', '1express', 'ex-press', 'ex press', '__proto__', 'a'.repeat(65), 42, null, true, ['express'], { id: 'express' }])
      rejected(id === undefined ? { type: 'setOption', value: true } : { type: 'setOption', id, value: true }, 'bad id');
  });

  it('rejects a value that is missing, oversized or of the wrong kind', () => {
    for (const value of [undefined, 'x'.repeat(65), 1, 0, null, [true], { value: true }])
      rejected(value === undefined ? { type: 'setOption', id: 'express' } : { type: 'setOption', id: 'express', value }, 'bad value');
  });

  it('rejects an extra field, or a field under another name', () => {
    for (const extra of EXTRA_VALUES) rejected({ ...good[0], extra }, 'extra field');
    rejected({ type: 'setOption', ids: 'express', value: true }, 'misnamed id');
    rejected({ type: 'setOption', id: 'express', values: true }, 'misnamed value');
  });
});

describe('messages from the host', () => {
  it('recognises snapshots, deltas and copy acknowledgements', () => {
    assert.ok(isHostMessage({ type: 'snapshot', model: { changes: [] } }));
    assert.ok(isHostMessage({ type: 'delta', delta: { fields: {}, rows: [] } }));
    assert.ok(isHostMessage({ type: 'copied', key: 'ApiUrl' }));
  });

  it('rejects malformed ones', () => {
    const bad: unknown[] = [
      null,
      [],
      { type: 'snapshot' },
      { type: 'snapshot', model: null },
      { type: 'snapshot', model: { changes: {} } },
      { type: 'delta', delta: { rows: [] } },
      { type: 'delta', delta: { fields: {}, rows: {} } },
      { type: 'delta', delta: [] },
      { type: 'copied' },
      { type: 'copied', key: 42 },
      { type: 'other' },
      { type: 'ready' },
    ];
    for (const message of bad) assert.equal(isHostMessage(message), false, JSON.stringify(message));
  });
});
