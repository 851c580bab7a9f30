/** Backoff, retry budget, polling cadence and resume, driven by xstate's SimulatedClock. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { SimulatedClock, createActor } from 'xstate';
import { BACKOFF_CAP_MS, FIRST_CONTACT_ATTEMPTS, RETRY_BUDGET_MS, backoffCeiling } from '../../src/deployment/backoff';
import { createDeploymentMachine, type DeploymentActor } from '../../src/deployment/machine';
import { BASELINE_MS, IDLE_POLL_CAP_MS, MIN_GAP_MS, UNWATCHED_FLOOR_MS, UNWATCHED_POLL_CAP_MS } from '../../src/deployment/pollSchedule';
import { providerActors } from '../../src/deployment/providerActors';
import { DeploymentSession, type SnapshotStore } from '../../src/deployment/session';
import { shownStatus } from '../../src/deployment/status';
import { ProviderError, type PollResult } from '../../src/providers/provider';
import { CallGate, gatedProvider, gatedWorkspace } from '../support/gatedProvider';
import { INITIALIZED, TARGET, deploymentInput, described, executed, found, polls, staged, stagedResults } from '../support/deploymentFixtures';

const tick = () => new Promise((resolve) => setImmediate(resolve));

function startActor(options: { random?: () => number; autoExecute?: boolean } = {}) {
  const gate = new CallGate();
  const clock = new SimulatedClock();
  // The poll schedule reads the same simulated clock the timers run on.
  const machine = createDeploymentMachine({ random: options.random ?? (() => 0.999), now: () => clock.now() }).provide({
    actors: providerActors(gatedProvider(gate), gatedWorkspace(gate)),
  });
  const actor: DeploymentActor = createActor(machine, { input: deploymentInput({ autoExecute: options.autoExecute ?? true }), clock });
  actor.start();
  return { gate, clock, actor };
}

async function answer(gate: CallGate, name: string, value?: unknown): Promise<unknown> {
  const call = await gate.next(name);
  call.resolve(value);
  await tick();
  return call.request;
}

async function fail(gate: CallGate, name: string, error: unknown): Promise<void> {
  const call = await gate.next(name);
  call.reject(error);
  await tick();
}

/** Drives a fresh deployment up to its first poll. */
async function toMonitoring(gate: CallGate): Promise<void> {
  await answer(gate, 'preflight');
  await answer(gate, 'initialize', INITIALIZED);
  await answer(gate, 'describeTarget', described.missing);
  await answer(gate, 'stage', staged);
}

async function afterStagingWait(gate: CallGate, clock: SimulatedClock): Promise<void> {
  clock.increment(10_000);
  await tick();
  await answer(gate, 'describeStaged', stagedResults.ready);
  await answer(gate, 'execute', executed);
}

const quietPoll: PollResult = { ...polls.inProgress, events: [], cursor: 'e1' };

describe('retrying with exponential backoff and full jitter', () => {
  it('shows retrying, waits no longer than the ceiling, then clears the error on success', async () => {
    const { gate, clock, actor } = startActor({ random: () => 0.999 });
    await toMonitoring(gate);
    await afterStagingWait(gate, clock);
    await answer(gate, 'poll', polls.inProgress);

    clock.increment(BASELINE_MS);
    await tick();
    for (let attempt = 0; attempt < 7; attempt++) {
      await fail(gate, 'poll', new ProviderError('Throttling', 'Rate exceeded'));
      const { retry, status } = actor.getSnapshot().context;
      assert.equal(shownStatus(status), 'retrying');
      assert.equal(retry.lastError?.code, 'Throttling');
      assert.equal(retry.delayMs, Math.floor(0.999 * backoffCeiling(attempt)));
      assert.ok(retry.delayMs <= BACKOFF_CAP_MS);
      // One millisecond early: still waiting, no call made.
      clock.increment(retry.delayMs - 1);
      await tick();
      assert.equal(gate.pending.length, 0);
      clock.increment(1);
      await tick();
    }
    assert.equal(actor.getSnapshot().context.retry.delayMs, Math.floor(0.999 * BACKOFF_CAP_MS), 'the wait is capped at 30 s');
    await answer(gate, 'poll', polls.succeeded);
    await answer(gate, 'outputs', []);
    // Every end passes through cleanup; an executed change set is CloudFormation's now.
    const cleanup = (await answer(gate, 'abortStaged')) as { executed: boolean };
    assert.equal(cleanup.executed, true);
    const { status, retry } = actor.getSnapshot().context;
    assert.equal(status.activity, 'succeeded');
    assert.equal(status.error, 'none');
    assert.equal(retry.attempt, 0);
    actor.stop();
  });

  it('full jitter spreads waits between zero and the ceiling', async () => {
    const delays: number[] = [];
    for (const r of [0, 0.25, 0.5, 0.75]) {
      const { gate, actor } = startActor({ random: () => r });
      await toMonitoring(gate);
      // stage answered; the first describeStaged needs a clock tick, so fail the next poll-free call instead
      actor.stop();
      const second = startActor({ random: () => r });
      await answer(second.gate, 'preflight');
      await answer(second.gate, 'initialize', INITIALIZED);
      await answer(second.gate, 'describeTarget', described.missing);
      await fail(second.gate, 'stage', new ProviderError('Transient', 'socket hang up'));
      delays.push(second.actor.getSnapshot().context.retry.delayMs);
      second.actor.stop();
    }
    assert.deepEqual(delays, [50, 250, 500, 750], 'never zero, otherwise random · 1 s on the first retry');
  });

  it('after the execute, a spent retry budget loses contact with the last error; it never fails', async () => {
    const { gate, clock, actor } = startActor({ random: () => 0.999 });
    await toMonitoring(gate);
    await afterStagingWait(gate, clock);
    await answer(gate, 'poll', polls.inProgress);
    clock.increment(BASELINE_MS);
    await tick();
    let attempts = 0;
    while (actor.getSnapshot().value !== 'lostContact') {
      await fail(gate, 'poll', new ProviderError('Transient', `HTTP 503 number ${attempts + 1}`));
      attempts++;
      assert.notEqual(actor.getSnapshot().status, 'done', 'a failed read never ends the deployment');
      clock.increment(BACKOFF_CAP_MS);
      await tick();
      assert.ok(attempts < 100, 'the budget must end the loop');
    }
    const { context, status } = actor.getSnapshot();
    assert.equal(status, 'active');
    assert.equal(context.status.error, 'lostContact');
    assert.equal(shownStatus(context.status), 'lostContact');
    assert.equal(context.lostFrom, 'monitoring');
    assert.equal(context.error?.message, `HTTP 503 number ${attempts}`);
    assert.ok(!gate.log.includes('abortStaged'), 'nothing is cleaned up while the outcome is unknown');
    // The budget is ten minutes of waiting: at ~30 s a wait that is about 25 tries after the cap is reached.
    assert.ok(context.retry.waitedMs >= RETRY_BUDGET_MS);
    assert.ok(context.retry.waitedMs < RETRY_BUDGET_MS + BACKOFF_CAP_MS);
    actor.stop();
  });

  it('gives up quickly when no call has ever succeeded (a wrong endpoint is a setting, not a blip)', async () => {
    const { gate, clock, actor } = startActor();
    await answer(gate, 'preflight');
    for (let i = 0; i < FIRST_CONTACT_ATTEMPTS; i++) {
      await fail(gate, 'initialize', new ProviderError('Transient', 'connect ECONNREFUSED 127.0.0.1:1', { hint: 'Check stackwatch.aws.endpoint' }));
      clock.increment(BACKOFF_CAP_MS);
      await tick();
    }
    const { context, value } = actor.getSnapshot();
    assert.equal(value, 'failed');
    assert.equal(context.error?.hint, 'Check stackwatch.aws.endpoint');
    assert.equal(gate.log.filter((c) => c === 'initialize').length, FIRST_CONTACT_ATTEMPTS);
    assert.ok(!gate.log.includes('stage'), 'nothing deployed');
  });

  it('does not retry errors that are not transient', async () => {
    const { gate, actor } = startActor();
    await answer(gate, 'preflight');
    await fail(gate, 'initialize', new ProviderError('Credentials', 'The security token included in the request is expired'));
    assert.equal(actor.getSnapshot().value, 'failed');
    assert.equal(gate.log.filter((c) => c === 'initialize').length, 1);
  });
});

describe('adaptive polling', () => {
  async function pollDelays(watched: boolean, results: PollResult[]): Promise<number[]> {
    const { gate, clock, actor } = startActor();
    if (!watched) actor.send({ type: 'SET_WATCHED', watched: false });
    await toMonitoring(gate);
    await afterStagingWait(gate, clock);
    const delays: number[] = [];
    for (const result of results) {
      await answer(gate, 'poll', result);
      // Find the wait by stepping the clock until the next poll is asked for.
      let waited = 0;
      while (!gate.pending.some((p) => p.name === 'poll')) {
        clock.increment(250);
        waited += 250;
        await tick();
        assert.ok(waited <= 60_000, 'a poll must come');
      }
      delays.push(waited);
    }
    actor.stop();
    return delays;
  }

  it('polls again soon after news, backs off with the quiet time, and comes back when news arrives', async () => {
    const quiet = Array.from({ length: 24 }, () => quietPoll);
    const delays = await pollDelays(true, [polls.inProgress, ...quiet, polls.inProgress]);
    assert.ok(delays[0] <= BASELINE_MS, `after news the next poll comes within the baseline: ${delays.join(', ')}`);
    for (const delay of delays) assert.ok(delay >= MIN_GAP_MS && delay <= IDLE_POLL_CAP_MS, `every wait within the floor and the cap: ${delays.join(', ')}`);
    // Once the expected moments are past, a long quiet spell stretches the waits, up to the cap.
    assert.ok(delays[24] > BASELINE_MS, `a long quiet spell backs off: ${delays.join(', ')}`);
    assert.ok(delays[24] >= delays[23], `quiet waits do not shrink: ${delays.join(', ')}`);
    assert.ok(delays[25] <= BASELINE_MS, `news brings the waits back: ${delays.join(', ')}`);
  });

  it('polls less when nobody is watching the monitor', async () => {
    const delays = await pollDelays(false, [polls.inProgress, quietPoll, quietPoll, quietPoll, quietPoll, quietPoll, quietPoll, quietPoll, quietPoll]);
    assert.equal(delays[0], UNWATCHED_FLOOR_MS);
    assert.ok(delays[8] <= UNWATCHED_POLL_CAP_MS && delays[8] > IDLE_POLL_CAP_MS);
  });

  it('reads events incrementally: each poll passes on the previous cursor', async () => {
    const { gate, clock, actor } = startActor();
    await toMonitoring(gate);
    await afterStagingWait(gate, clock);
    const first = (await answer(gate, 'poll', polls.inProgress)) as { cursor?: string };
    clock.increment(1_000);
    await tick();
    const second = (await answer(gate, 'poll', polls.succeeded)) as { cursor?: string };
    assert.equal(first.cursor, undefined);
    assert.equal(second.cursor, polls.inProgress.cursor);
    actor.stop();
  });
});

class MemoryStore implements SnapshotStore {
  readonly data = new Map<string, string>();
  async load(key: string) {
    const text = this.data.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  }
  async save(key: string, persisted: unknown) {
    // Through JSON, as VS Code's workspace state stores it.
    this.data.set(key, JSON.stringify(persisted));
  }
  async remove(key: string) {
    this.data.delete(key);
  }
}

describe('persisted snapshots', () => {
  function sessionOptions(gate: CallGate, store: MemoryStore, clock: SimulatedClock) {
    return { provider: gatedProvider(gate), workspace: gatedWorkspace(gate), store, clock, random: () => 0.5 };
  }

  it('resume mid-monitoring carries on polling from the same cursor, with the change list intact', async () => {
    const store = new MemoryStore();
    const gate = new CallGate();
    const clock = new SimulatedClock();
    const first = DeploymentSession.start(deploymentInput({ autoExecute: true }), sessionOptions(gate, store, clock));
    await toMonitoring(gate);
    await afterStagingWait(gate, clock);
    await answer(gate, 'poll', polls.inProgress);
    await first.flush();
    assert.deepEqual(first.snapshot.value, { monitoring: 'waiting' });
    // The window reloads: the actor goes away, the persisted JSON stays.
    first.dispose();

    const gate2 = new CallGate();
    const resumed = await DeploymentSession.restore(TARGET, sessionOptions(gate2, store, new SimulatedClock()));
    assert.ok(resumed, 'a running deployment is restorable');
    const request = (await answer(gate2, 'poll', polls.succeeded)) as { cursor?: string; operation: { token?: string } };
    assert.equal(request.cursor, polls.inProgress.cursor, 'no events re-read');
    assert.equal(request.operation.token, executed.operation.token);
    await answer(gate2, 'outputs', [{ key: 'Url', value: 'https://x' }]);
    await answer(gate2, 'abortStaged');
    const done = await resumed.finished;
    assert.equal(done.value, 'succeeded');
    assert.equal(done.context.changes.length, stagedResults.ready.changes.length);
    assert.equal(done.context.outputs[0]?.value, 'https://x');
    await resumed.flush();
    assert.equal(store.data.size, 0, 'a finished deployment leaves nothing to resume');
    assert.deepEqual(gate2.log, ['poll', 'outputs', 'abortStaged'], 'resume makes no other calls');
  });

  /** A session cut off while its execute was in flight, restored into a fresh gate. */
  async function executeCutOffByReload(): Promise<{ resumed: DeploymentSession; gate2: CallGate; lost: { stagedId: string; deploymentId: string } }> {
    const store = new MemoryStore();
    const gate = new CallGate();
    const clock = new SimulatedClock();
    const first = DeploymentSession.start(deploymentInput({ autoExecute: true }), sessionOptions(gate, store, clock));
    await toMonitoring(gate);
    clock.increment(10_000);
    await tick();
    await answer(gate, 'describeStaged', stagedResults.ready);
    const lost = await gate.next('execute'); // in flight, never answered
    await first.flush();
    first.dispose();

    const gate2 = new CallGate();
    const resumed = await DeploymentSession.restore(TARGET, sessionOptions(gate2, store, new SimulatedClock()));
    assert.ok(resumed);
    return { resumed, gate2, lost: lost.request as { stagedId: string; deploymentId: string } };
  }

  it('an execute cut off by a reload is not repeated: the provider is asked, and the execution it found is followed', async () => {
    const { resumed, gate2, lost } = await executeCutOffByReload();
    const asked = (await answer(gate2, 'findExecution', found.executed)) as { stagedId: string; deploymentId: string };
    assert.deepEqual([asked.stagedId, asked.deploymentId], [lost.stagedId, lost.deploymentId]);
    assert.deepEqual(resumed.snapshot.value, { monitoring: 'polling' });
    const poll = (await answer(gate2, 'poll', polls.succeeded)) as { operation: { token?: string } };
    assert.equal(poll.operation.token, found.executed.operation.token, 'the execution found is the one monitored');
    await answer(gate2, 'outputs', []);
    await answer(gate2, 'abortStaged');
    const done = await resumed.finished;
    assert.equal(done.value, 'succeeded');
    assert.equal(done.context.executed, true);
    assert.deepEqual(gate2.log, ['findExecution', 'poll', 'outputs', 'abortStaged'], 'never executed, prepared or staged again');
  });

  it('an execute cut off before it reached the provider is sent once more, with the same request', async () => {
    const { resumed, gate2, lost } = await executeCutOffByReload();
    await answer(gate2, 'findExecution', found.notExecuted);
    const again = (await answer(gate2, 'execute', executed)) as { stagedId: string; deploymentId: string };
    assert.deepEqual([again.stagedId, again.deploymentId], [lost.stagedId, lost.deploymentId]);
    assert.deepEqual(resumed.snapshot.value, { monitoring: 'polling' });
    assert.deepEqual(gate2.log, ['findExecution', 'execute', 'poll']);
    assert.ok(!gate2.log.some((c) => ['initialize', 'describeTarget', 'stage', 'describeStaged'].includes(c)), 'never preparing or staging again');
    resumed.dispose();
  });

  it('a session waiting for review resumes waiting for review', async () => {
    const store = new MemoryStore();
    const gate = new CallGate();
    const clock = new SimulatedClock();
    const first = DeploymentSession.start(deploymentInput({ autoExecute: false }), sessionOptions(gate, store, clock));
    await toMonitoring(gate);
    clock.increment(10_000);
    await tick();
    await answer(gate, 'describeStaged', stagedResults.ready);
    await first.flush();
    first.dispose();
    const gate2 = new CallGate();
    const resumed = await DeploymentSession.restore(TARGET, sessionOptions(gate2, store, new SimulatedClock()));
    assert.ok(resumed);
    assert.equal(resumed.snapshot.value, 'reviewing');
    resumed.send({ type: 'EXECUTE' });
    const request = (await answer(gate2, 'execute', executed)) as { stagedId: string };
    assert.equal(request.stagedId, staged.stagedId);
    resumed.dispose();
  });
});
