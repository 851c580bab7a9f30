import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  appendHistory,
  formatDuration,
  historyEntry,
  historyMarkdown,
  HistoryStore,
  HISTORY_LIMIT,
  type HistoryEntry,
  type StateStore,
} from '../../src/app/history';
import { event, finishedIn, snapshotIn, withEvents } from '../support/uiSnapshots';

const START = '2026-11-22T10:00:00.000Z';
const END = '2026-11-22T10:01:05.000Z';

/** VS Code's Memento, in memory: a platform object, not one of ours. */
class MemoryState implements StateStore {
  readonly map = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.map.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    this.map.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
  keys(): readonly string[] {
    return [...this.map.keys()];
  }
}

function entry(id: string, finishedAt = END): HistoryEntry {
  const made = historyEntry(finishedIn('succeeded', false), START, finishedAt);
  assert.ok(made);
  return { ...made, deploymentId: id };
}

describe('deployment history', () => {
  it('records nothing while the deployment runs', () => {
    assert.equal(historyEntry(snapshotIn('monitoring'), START, END), undefined);
  });

  it('records status, duration, changes, outputs and masks sensitive outputs', () => {
    const made = historyEntry(
      finishedIn('succeeded', false, {
        outputs: [
          { key: 'ApiUrl', value: 'https://x.test' },
          { key: 'Secret', value: 'hunter2', sensitive: true },
        ],
        providerStatus: 'CREATE_COMPLETE',
      }),
      START,
      END,
    );
    assert.ok(made);
    assert.equal(made.status, 'succeeded');
    assert.equal(made.failed, false);
    assert.equal(made.durationMs, 65_000);
    assert.equal(made.changeCount, 2);
    assert.deepEqual(
      made.changes.map((c) => c.logicalId),
      ['Bucket', 'Queue'],
    );
    assert.deepEqual(
      made.outputs.map((o) => o.value),
      ['https://x.test', '****'],
    );
  });

  it('puts the root cause first and cancellations apart', () => {
    const events = [
      event('Bucket', 'CREATE_FAILED', 'cancelled', 'Resource creation cancelled'),
      event('Queue', 'CREATE_FAILED', 'failed', 'Queue name already exists'),
    ];
    const made = historyEntry(finishedIn('rolledBack', true, withEvents(events)), START, END);
    assert.ok(made);
    assert.equal(made.failed, true);
    assert.equal(made.failures.rootCause?.logicalId, 'Queue');
    assert.deepEqual(
      made.failures.cancellations.map((c) => c.logicalId),
      ['Bucket'],
    );
    const md = historyMarkdown(made);
    assert.match(md, /# demo-stack: Failed, rolled back/);
    assert.ok(md.indexOf('root cause') < md.indexOf('_cancelled_'));
    assert.match(md, /Queue name already exists/);
  });

  it('keeps the newest first, one entry per deployment, bounded', () => {
    let list: HistoryEntry[] = [];
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) list = appendHistory(list, entry(`d${i}`));
    assert.equal(list.length, HISTORY_LIMIT);
    assert.ok(HISTORY_LIMIT >= 20);
    assert.equal(list[0].deploymentId, `d${HISTORY_LIMIT + 4}`);
    list = appendHistory(list, entry(`d${HISTORY_LIMIT + 4}`));
    assert.equal(list.filter((e) => e.deploymentId === `d${HISTORY_LIMIT + 4}`).length, 1);
  });

  it('escapes table cells so a pipe in a reason cannot break the table', () => {
    const md = historyMarkdown({ ...entry('x'), outputs: [{ key: 'K', value: 'a|b', description: 'line1\nline2' }] });
    assert.match(md, /`a\\\|b` \| line1 line2 \|/);
  });

  it('says an outcome is unknown (contact lost) instead of calling it failed', () => {
    const lost = { ...entry('lost'), status: 'unknown' as const, failed: false };
    assert.match(historyMarkdown(lost), /^# demo-stack: Outcome unknown \(contact lost\)$/m);
    assert.match(historyMarkdown(entry('now'), [lost]), /\| Outcome unknown \(contact lost\) \| 1 min 5 s \|/);
  });

  it('stores the masked value of an output marked sensitive, and the secret in no other field', async () => {
    const state = new MemoryState();
    const made = historyEntry(
      finishedIn('failed', true, {
        initialized: {
          template: { path: 't.yaml', body: '', format: 'yaml', sizeBytes: 0 },
          parameters: [{ key: 'Pw', value: 'pa55word-xyz', secret: true }],
          capabilities: [],
          warnings: [],
        },
        outputs: [{ key: 'Pw', value: 'pa55word-xyz', sensitive: true }],
        error: { code: 'Validation', message: 'Parameter Pw value pa55word-xyz is too short', retryable: false },
      }),
      START,
      END,
    );
    assert.ok(made);
    await new HistoryStore(state).record('aws:us-east-1:demo-stack', made);
    const stored = JSON.stringify([...state.map]);
    assert.ok(!stored.includes('pa55word-xyz'), stored);
    assert.match(stored, /Parameter Pw value \*+ is too short/);
  });

  it('formats durations for people', () => {
    assert.equal(formatDuration(4_400), '4 s');
    assert.equal(formatDuration(125_000), '2 min 5 s');
  });

  it('persists per stack and finds the latest across stacks', async () => {
    const store = new HistoryStore(new MemoryState());
    await store.record('aws:us-east-1:a', entry('a1', '2026-11-22T10:00:00.000Z'));
    await store.record('aws:us-east-1:b', entry('b1', '2026-11-22T11:00:00.000Z'));
    await store.record('aws:us-east-1:a', entry('a2', '2026-11-22T09:00:00.000Z'));
    assert.deepEqual(
      store.list('aws:us-east-1:a').map((e) => e.deploymentId),
      ['a2', 'a1'],
    );
    assert.equal(store.latest()?.stackKey, 'aws:us-east-1:b');
  });
});
