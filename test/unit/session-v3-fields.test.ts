/**
 * Snapshots saved (as version 3) before options, findings, failure details and row times existed
 * still resume: in review, the options read as their defaults and a changed option stages again
 * (loading the template afresh, since secret inputs are never persisted); while monitoring, new
 * events bring row times and failure details. Also: the options a person chose are remembered
 * per target, checked against the provider's options when read back.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { rememberOptions, rememberedOptions } from '../../src/app/rememberedOptions';
import { optionsKey } from '../../src/app/stackKeys';
import { DeploymentSession, SNAPSHOT_VERSION, sessionKey } from '../../src/deployment/session';
import type { DeploymentOptionSpec } from '../../src/providers/descriptor';
import type { DeploymentEvent, PollResult, StageRequest } from '../../src/providers/provider';
import { descriptorOf } from '../../src/providers/registry';
import { toViewModel } from '../../src/ui/viewModel';
import { INITIALIZED, MemorySnapshotStore, TARGET, deploymentInput, described, executed, staged, stagedResults } from '../support/deploymentFixtures';
import { CallGate, answerCall, settle } from '../support/gatedProvider';
import { gatedSessionOptions, startGatedSession } from '../support/gatedSession';

const KEY = sessionKey(TARGET);
const SECRET = 'correct-horse-battery';
const WITH_SECRET = { ...INITIALIZED, parameters: [{ key: 'DbPassword', value: SECRET, secret: true }] };

interface Stored {
  stackwatchSnapshot: number;
  snapshot: { value: unknown; context: Record<string, unknown> };
}

/** What a version-3 snapshot from before this change holds: none of the new context fields. */
function asSavedBefore(stored: Stored): Stored {
  const context = { ...stored.snapshot.context };
  delete context.options;
  delete context.findings;
  delete context.failureDetails;
  const resources = context.resources as Record<string, Record<string, unknown>>;
  context.resources = Object.fromEntries(
    Object.entries(resources).map(([id, state]) => {
      const { logicalId, resourceType, status, providerStatus, physicalId, reason, updatedAt } = state;
      return [id, { logicalId, resourceType, status, providerStatus, physicalId, reason, updatedAt }];
    }),
  );
  return { ...stored, snapshot: { ...stored.snapshot, context } };
}

async function savedBefore(monitoring: boolean): Promise<MemorySnapshotStore> {
  const { session, store, gate, clock } = startGatedSession(deploymentInput());
  // The first template step had the secret; the saved snapshot has it blanked.
  await answerCall(gate, 'preflight');
  await answerCall(gate, 'initialize', WITH_SECRET);
  await answerCall(gate, 'describeTarget', described.missing);
  await answerCall(gate, 'stage', staged);
  clock.increment(500);
  await settle();
  await answerCall(gate, 'describeStaged', stagedResults.ready);
  if (monitoring) {
    session.send({ type: 'EXECUTE' });
    await answerCall(gate, 'execute', executed);
    await answerCall(gate, 'poll', { phase: 'inProgress', providerStatus: 'CREATE_IN_PROGRESS', events: [], pagesRead: 1 } satisfies PollResult);
  }
  await session.flush();
  session.dispose();
  const stored = JSON.parse(store.data.get(KEY) ?? 'null') as Stored;
  assert.doesNotMatch(JSON.stringify(stored), new RegExp(SECRET));
  assert.equal(stored.stackwatchSnapshot, 3, 'these fields were added without a new version');
  assert.equal(SNAPSHOT_VERSION, 3);
  const older = new MemorySnapshotStore();
  older.data.set(KEY, JSON.stringify(asSavedBefore(stored)));
  return older;
}

/** The provider's own first option that any staging takes, flipped from its default. */
function anyFlag(): DeploymentOptionSpec {
  const spec = (descriptorOf(TARGET.provider).deploymentOptions ?? []).find((s) => s.kind === 'flag' && s.appliesTo === 'always');
  assert.ok(spec, 'the provider offers an option every staging takes');
  return spec;
}

describe('a version-3 snapshot saved before options, findings and details', () => {
  it('resumes in review, shows the defaults, and stages again with a changed option and the secret loaded afresh', async () => {
    const store = await savedBefore(false);
    const gate = new CallGate();
    const session = await DeploymentSession.restore(TARGET, gatedSessionOptions(gate, store));
    assert.ok(session);
    await settle();
    assert.equal(session.snapshot.value, 'reviewing');
    const model = toViewModel(session.snapshot);
    assert.deepEqual(model.findings, []);
    const flag = anyFlag();
    assert.equal(model.options?.find((o) => o.id === flag.id)?.value, flag.default);

    session.send({ type: 'SET_OPTION', id: flag.id, value: !flag.default });
    await answerCall(gate, 'abortStaged', {});
    await answerCall(gate, 'initialize', WITH_SECRET);
    const stage = (await gate.next('stage')).request as StageRequest;
    assert.deepEqual(stage.options, { [flag.id]: !flag.default });
    assert.equal(stage.attempt, 1);
    assert.equal(stage.parameters[0]?.value, SECRET, 'the secret comes from the template step, not the saved snapshot');
    await session.flush();
    assert.doesNotMatch(store.data.get(KEY) ?? '', new RegExp(SECRET), 'and is not persisted');
    session.dispose();
  });

  it('resumes while monitoring; new events bring row times and failure details', async () => {
    const store = await savedBefore(true);
    const gate = new CallGate();
    const session = await DeploymentSession.restore(TARGET, gatedSessionOptions(gate, store));
    assert.ok(session);
    const failure: DeploymentEvent = {
      id: 'q2',
      timestamp: '2026-11-22T10:00:05.000Z',
      logicalId: 'Queue',
      resourceType: 'AWS::SQS::Queue',
      providerStatus: 'CREATE_FAILED',
      status: 'failed',
      isCancellation: false,
    };
    await answerCall(gate, 'poll', {
      phase: 'inProgress',
      providerStatus: 'CREATE_IN_PROGRESS',
      events: [{ ...failure, id: 'q1', timestamp: '2026-11-22T10:00:01.000Z', providerStatus: 'CREATE_IN_PROGRESS', status: 'inProgress' }, failure],
      failureDetails: [{ ...failure, reason: 'Queue already exists', requestId: 'req-7' }],
      pagesRead: 1,
    } satisfies PollResult);
    const model = toViewModel(session.snapshot);
    const queue = model.changes.find((row) => row.logicalId === 'Queue');
    assert.equal(queue?.startedAt, '2026-11-22T10:00:01.000Z');
    assert.equal(queue?.endedAt, '2026-11-22T10:00:05.000Z');
    assert.equal(model.failures.rootCause?.requestId, 'req-7');
    assert.equal(model.failures.rootCause?.reason, 'Queue already exists');
    session.dispose();
  });
});

describe('remembered options', () => {
  const SPECS: DeploymentOptionSpec[] = [
    { id: 'fast', label: 'Fast', description: '', kind: 'flag', default: false, appliesTo: 'always' },
    { id: 'mode', label: 'Mode', description: '', kind: 'choice', choices: [{ value: 'A', label: 'A' }], default: 'A', appliesTo: 'create' },
  ];

  function memento() {
    const data = new Map<string, unknown>();
    let writes = 0;
    return {
      data,
      writes: () => writes,
      get: (key: string) => data.get(key),
      update: (key: string, value: unknown) => {
        writes++;
        data.set(key, value);
        return Promise.resolve();
      },
    };
  }

  it('per target, checked when read back: unknown ids and invalid values are dropped', async () => {
    const store = memento();
    await rememberOptions(store, TARGET, SPECS, { fast: true, mode: 'A' });
    assert.deepEqual(rememberedOptions(store, TARGET, SPECS), { fast: true, mode: 'A' });
    assert.deepEqual(rememberedOptions(store, { ...TARGET, name: 'other' }, SPECS), {}, 'another target has its own');
    store.data.set(optionsKey(TARGET), { fast: 'yes', mode: 'Z', gone: true });
    assert.deepEqual(rememberedOptions(store, TARGET, SPECS), {});
    store.data.set(optionsKey(TARGET), 'garbage');
    assert.deepEqual(rememberedOptions(store, TARGET, SPECS), {});
  });

  it('writes only when the options changed', async () => {
    const store = memento();
    await rememberOptions(store, TARGET, SPECS, { fast: true });
    await rememberOptions(store, TARGET, SPECS, { fast: true });
    assert.equal(store.writes(), 1);
    await rememberOptions(store, TARGET, SPECS, { fast: false });
    assert.equal(store.writes(), 2);
    assert.deepEqual(store.data.get(optionsKey(TARGET)), { fast: false });
  });
});
