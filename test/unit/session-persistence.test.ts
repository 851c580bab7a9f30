/**
 * What a session persists and how it comes back: every write carries the snapshot version; a
 * snapshot that can't be used (unversioned, older, damaged) is refused with UnusableSnapshotError
 * and removed from the store, never resumed into a crashed view; a stage cut off by a reload reads
 * the template again, then stages the same attempt without preparing again.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { DeploymentSession, SNAPSHOT_VERSION, UnusableSnapshotError, prepareForResume, sessionKey } from '../../src/deployment/session';
import type { StageRequest } from '../../src/providers/provider';
import { INITIALIZED, MemorySnapshotStore, TARGET, deploymentInput, described, executed, polls, recovered, stagedResults } from '../support/deploymentFixtures';
import { CallGate, answerCall, settle, stallCall } from '../support/gatedProvider';
import { initialized, throughStaging } from '../support/gatedPaths';
import { gatedSessionOptions, startGatedSession } from '../support/gatedSession';

const KEY = sessionKey(TARGET);

/** A session polling its operation, persisted and disposed as on a window reload. */
async function persistedWhileMonitoring(): Promise<{ store: MemorySnapshotStore; stored: { stackwatchSnapshot: number; snapshot: Record<string, unknown> } }> {
  const { session, store, gate, clock } = startGatedSession(deploymentInput({ autoExecute: true }));
  await throughStaging({ gate, clock }, { condition: described.missing, result: stagedResults.ready });
  await answerCall(gate, 'execute', executed);
  await answerCall(gate, 'poll', polls.inProgress);
  await session.flush();
  session.dispose();
  return { store, stored: JSON.parse(store.data.get(KEY) ?? 'null') as { stackwatchSnapshot: number; snapshot: Record<string, unknown> } };
}

describe('persisted snapshots carry a version', () => {
  it('every write is versioned, and a finished deployment leaves nothing behind', async () => {
    const { store, stored } = await persistedWhileMonitoring();
    assert.ok(store.writes.length > 5);
    for (const write of store.writes) assert.equal((JSON.parse(write) as { stackwatchSnapshot?: unknown }).stackwatchSnapshot, SNAPSHOT_VERSION);
    assert.equal(stored.snapshot.status, 'active');

    const gate = new CallGate();
    const resumed = await DeploymentSession.restore(TARGET, gatedSessionOptions(gate, store));
    assert.ok(resumed);
    await answerCall(gate, 'poll', polls.succeeded);
    await answerCall(gate, 'outputs', []);
    await answerCall(gate, 'abortStaged');
    await resumed.finished;
    await resumed.flush();
    assert.equal(store.data.size, 0);
  });
});

describe('a snapshot that cannot be used is dropped with a clear error', () => {
  const unusable: Array<{ name: string; stored: (valid: { stackwatchSnapshot: number; snapshot: Record<string, unknown> }) => unknown }> = [
    { name: 'an unversioned snapshot (the format before versions)', stored: (valid) => valid.snapshot },
    { name: 'a version no provider upgrades', stored: (valid) => ({ ...valid, stackwatchSnapshot: 1 }) },
    { name: 'a newer version', stored: (valid) => ({ ...valid, stackwatchSnapshot: SNAPSHOT_VERSION + 1 }) },
    { name: 'a string', stored: () => 'garbage' },
    { name: 'null', stored: () => null },
    { name: 'a version without a snapshot', stored: () => ({ stackwatchSnapshot: SNAPSHOT_VERSION }) },
    {
      name: 'a context missing what every view reads',
      stored: (valid) => ({ ...valid, snapshot: { ...valid.snapshot, context: { deploymentId: 'dep-1' } } }),
    },
    {
      name: 'events that are not a list',
      stored: (valid) => ({ ...valid, snapshot: { ...valid.snapshot, context: { ...(valid.snapshot.context as object), events: 'oops' } } }),
    },
    { name: 'a state this version does not have', stored: (valid) => ({ ...valid, snapshot: { ...valid.snapshot, value: { monitoring: 'noSuchState' } } }) },
  ];

  for (const { name, stored } of unusable) {
    it(`${name}: restore rejects with UnusableSnapshotError and removes it from the store`, async () => {
      const { stored: valid } = await persistedWhileMonitoring();
      const store = new MemorySnapshotStore();
      store.data.set(KEY, JSON.stringify(stored(valid)));
      const gate = new CallGate();
      await assert.rejects(DeploymentSession.restore(TARGET, gatedSessionOptions(gate, store)), (error: unknown) => {
        assert.ok(error instanceof UnusableSnapshotError, String(error));
        assert.match(error.message, /demo-stack/);
        assert.match(error.message, /discarded/);
        return true;
      });
      assert.equal(store.data.has(KEY), false, 'dropped, so it never comes back');
      assert.deepEqual(store.removed, [KEY]);
      assert.deepEqual(gate.log, [], 'nothing is asked of the provider');
    });
  }

  it('a finished snapshot is removed without an error', async () => {
    const { stored: valid } = await persistedWhileMonitoring();
    const store = new MemorySnapshotStore();
    store.data.set(KEY, JSON.stringify({ ...valid, snapshot: { ...valid.snapshot, status: 'done' } }));
    assert.equal(await DeploymentSession.restore(TARGET, gatedSessionOptions(new CallGate(), store)), undefined);
    assert.equal(store.data.size, 0);
  });

  it('nothing stored, nothing restored', async () => {
    const store = new MemorySnapshotStore();
    assert.equal(await DeploymentSession.restore(TARGET, gatedSessionOptions(new CallGate(), store)), undefined);
    assert.deepEqual(store.removed, []);
  });
});

describe('a stage cut off by a reload', () => {
  it('reads the template again, then stages the same attempt, without preparing again', async () => {
    const { session: first, store, gate, clock } = startGatedSession(deploymentInput({ autoExecute: false }));
    // A recovery first, so the attempt is 1, not a default 0.
    await initialized({ gate });
    await answerCall(gate, 'describeTarget', described.unrecoverable);
    first.send({ type: 'CONSENT', action: 'delete' });
    await answerCall(gate, 'recover', recovered);
    clock.increment(3_000);
    await settle();
    await answerCall(gate, 'describeTarget', described.missing);
    await answerCall(gate, 'initialize', INITIALIZED);
    await answerCall(gate, 'describeTarget', described.missing);
    const lost = (await stallCall(gate, 'stage')).request as StageRequest;
    assert.equal(lost.attempt, 1);
    await first.flush();
    first.dispose();

    const gate2 = new CallGate();
    const resumed = await DeploymentSession.restore(TARGET, gatedSessionOptions(gate2, store));
    assert.ok(resumed);
    const initialize = await answerCall(gate2, 'initialize', INITIALIZED);
    assert.equal((initialize.request as { round: number }).round, 1);
    const again = (await stallCall(gate2, 'stage')).request as StageRequest;
    assert.equal(again.attempt, lost.attempt, 'the same attempt: its change set is adopted, not made twice');
    assert.equal(again.deploymentId, lost.deploymentId);
    assert.equal(again.condition, lost.condition, 'the condition read before, not the stack our own stage created');
    assert.deepEqual(gate2.log, ['initialize', 'stage'], 'never preflight or describeTarget (preparing) again');
    assert.deepEqual(resumed.snapshot.value, { staging: 'creating' });
    assert.equal(resumed.snapshot.context.resumeStaging, false);
    assert.equal(resumed.snapshot.context.status.round, 1);
    resumed.dispose();
  });

  it('prepareForResume sends an interrupted stage, or a read of what it staged, through initializing, flagged', () => {
    // The read too: the provider forgot the secret values, and only the stage gives them back.
    for (const staging of ['creating', 'creatingBackoff', 'waiting', 'checking', 'checkingBackoff']) {
      const prepared = prepareForResume({ status: 'active', value: { staging }, children: { stage: {} }, context: { deploymentId: 'd' } }) as {
        value: unknown;
        children: unknown;
        context: { resumeStaging?: boolean };
      };
      assert.deepEqual(prepared.value, { initializing: 'runBackoff' });
      assert.deepEqual(prepared.children, {}, 'the interrupted call is not re-run from its persisted input');
      assert.equal(prepared.context.resumeStaging, true);
    }
    for (const executing of ['run', 'runBackoff']) {
      const prepared = prepareForResume({ status: 'active', value: { executing }, children: { execute: {} }, context: {} }) as {
        value: unknown;
        children: unknown;
      };
      assert.deepEqual(prepared.value, { executing: 'resumed' });
      assert.deepEqual(prepared.children, {});
    }
    const waiting = { status: 'active', value: { monitoring: 'waiting' }, context: {} };
    assert.equal(prepareForResume(waiting), waiting);
  });
});
