/**
 * Every transition of the deployment machine, from xstate/graph's adjacency map, each on a path
 * from the start to a final state and replayed against a real actor whose provider answers each call as the path says. Each replay checks that the
 * actor takes exactly the path's states, ends where the path ends, and reports a status that
 * matches independent expectations about that ending.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { SimulatedClock, createActor, type AnyEventObject } from 'xstate';
import { getAdjacencyMap, type StatePath } from 'xstate/graph';
import { createDeploymentMachine, type DeploymentSnapshot } from '../../src/deployment/machine';
import type { DeploymentOptionSpec } from '../../src/providers/descriptor';
import { providerActors } from '../../src/deployment/providerActors';
import { shownStatus } from '../../src/deployment/status';
import { summarizeFailures } from '../../src/deployment/resources';
import { CallGate, gatedProvider, gatedWorkspace } from './gatedProvider';
import {
  INITIALIZED,
  OUTPUTS,
  ROOT_CAUSE,
  deploymentInput,
  described,
  errors,
  executed,
  found,
  polls,
  recovered,
  recoveryPlans,
  staged,
  stagedResults,
  stopped,
} from './deploymentFixtures';

interface Outcome {
  label: string;
  output?: unknown;
  error?: () => unknown;
}

/** What each actor may answer. Retryable errors appear once per call site, enough to walk every backoff state. */
const OUTCOMES: Record<string, Outcome[]> = {
  preflight: [{ label: 'ok' }, { label: 'build failed', error: errors.preflight }, { label: 'cancelled by the user', error: errors.preflightCancelled }],
  initialize: [
    { label: 'ok', output: INITIALIZED },
    { label: 'bad template', error: errors.validation },
    { label: 'throttled', error: errors.throttled },
  ],
  describeTarget: [
    { label: 'missing', output: described.missing },
    { label: 'ready', output: described.ready },
    { label: 'in progress', output: described.inProgress },
    { label: 'being deleted', output: described.deleting },
    { label: 'unrecoverable', output: described.unrecoverable },
    { label: 'throttled', error: errors.throttled },
  ],
  stage: [
    { label: 'ok', output: staged },
    { label: 'rejected', error: errors.validation },
    { label: 'throttled', error: errors.throttled },
  ],
  describeStaged: [
    { label: 'pending', output: stagedResults.pending },
    { label: 'ready', output: stagedResults.ready },
    { label: 'empty', output: stagedResults.empty },
    { label: 'failed', output: stagedResults.failed },
    { label: 'throttled', error: errors.throttled },
  ],
  execute: [
    { label: 'ok', output: executed },
    { label: 'rejected', error: errors.validation },
    { label: 'throttled', error: errors.throttled },
  ],
  findExecution: [
    { label: 'executed', output: found.executed },
    { label: 'not executed', output: found.notExecuted },
    { label: 'gone', output: found.gone },
    { label: 'expired credentials', error: errors.credentials },
  ],
  abortStaged: [{ label: 'ok' }, { label: 'rejected', error: errors.validation }],
  poll: [
    { label: 'in progress', output: polls.inProgress },
    { label: 'rolling back', output: polls.rollingBack },
    { label: 'succeeded', output: polls.succeeded },
    { label: 'failed', output: polls.failed },
    { label: 'rolled back', output: polls.rolledBack },
    { label: 'throttled', error: errors.throttled },
    { label: 'expired credentials', error: errors.credentials },
  ],
  stop: [
    { label: 'ok', output: stopped },
    { label: 'unsupported', error: errors.unsupported },
  ],
  recover: [
    { label: 'ok', output: recovered },
    { label: 'rejected', error: errors.validation },
  ],
  outputs: [
    { label: 'ok', output: OUTPUTS },
    { label: 'rejected', error: errors.validation },
  ],
  describeRecovery: [
    { label: 'planning', output: recoveryPlans.planning },
    { label: 'planned', output: recoveryPlans.planned },
    { label: 'throttled', error: errors.throttled },
    { label: 'rejected', error: errors.validation },
  ],
  discardRecoveryPlan: [{ label: 'ok' }, { label: 'throttled', error: errors.throttled }, { label: 'rejected', error: errors.validation }],
};

const USER_EVENTS: AnyEventObject[] = [
  { type: 'EXECUTE' },
  { type: 'ABORT' },
  { type: 'STOP' },
  { type: 'CONSENT', action: 'delete' },
  { type: 'DECLINE' },
  { type: 'WATCH_OTHER' },
  { type: 'CHECK_AGAIN' },
  { type: 'DISMISS' },
  // A changed deployment option in the review: it stages again (one value, so it is taken once).
  { type: 'SET_OPTION', id: 'fast', value: true },
];

/** The one option the walks offer, so the review's re-staging is on the paths too. */
const OPTION_SPECS: readonly DeploymentOptionSpec[] = [{ id: 'fast', label: 'Fast', description: '', kind: 'flag', default: false, appliesTo: 'always' }];

const DONE = 'xstate.done.actor.';
const ERROR = 'xstate.error.actor.';

interface StateNodeLike {
  after: Array<{ eventType: string }>;
}

function eventsFor(snapshot: DeploymentSnapshot): AnyEventObject[] {
  const events: AnyEventObject[] = [...USER_EVENTS];
  for (const id of Object.keys(snapshot.children)) {
    for (const outcome of OUTCOMES[id] ?? []) {
      events.push(
        outcome.error
          ? { type: `${ERROR}${id}`, error: outcome.error(), label: outcome.label }
          : { type: `${DONE}${id}`, output: outcome.output, label: outcome.label },
      );
    }
  }
  // Delayed transitions (backoff, polling waits) are events too; the replay fires them with the clock.
  // Deadlines are left out: a deadline behaves as a retryable error at the same call site (which
  // the throttled outcomes walk), and machine-timing.test.ts drives every deadline with the clock.
  for (const node of (snapshot as unknown as { _nodes: StateNodeLike[] })._nodes) {
    for (const delayed of node.after) if (!delayed.eventType.includes('Deadline')) events.push({ type: delayed.eventType });
  }
  return events;
}

/**
 * The parts of context that change where the deployment can go. Retry counters are left out on
 * purpose: with them every call site doubles the path count (over a million paths); a retry
 * then shows up here as a loop back to an already-visited state, and the backoff behaviour
 * has its own clock-driven tests (machine-retry.test.ts).
 */
function serializeState(snapshot: DeploymentSnapshot): string {
  const c = snapshot.context;
  return JSON.stringify([
    snapshot.value,
    c.stopRequested,
    c.phase,
    c.recoveries,
    c.abortRequested,
    c.exitRequested,
    c.executed,
    c.lostFrom,
    c.ending,
    c.recoveryPlanSent,
    c.stageSent,
    // Not the options: a re-staged review behaves as the first one, and one path takes SET_OPTION once.
    c.resumeStaging === true,
  ]);
}

interface AdjacencyEntry {
  state: DeploymentSnapshot;
  transitions: Record<string, { event: AnyEventObject; state: DeploymentSnapshot }>;
}

/**
 * Every transition of the machine, each on a path from the start to a final state: the shortest
 * way to the transition's source, the transition, then the shortest way from its target to an end.
 * (All simple paths grew past a million with the lost-contact, other-operation and cleanup
 * states; covering every transition keeps every decision tested, and checks on the way that
 * every reachable state can still end.)
 */
function finalPaths(autoExecute: boolean): Array<StatePath<DeploymentSnapshot, AnyEventObject>> {
  const machine = createDeploymentMachine({ random: () => 0.5, deploymentOptions: OPTION_SPECS });
  const adjacency = getAdjacencyMap(machine, {
    input: deploymentInput({ autoExecute }),
    events: (snapshot) => eventsFor(snapshot as DeploymentSnapshot) as never,
    serializeState: (snapshot) => serializeState(snapshot as DeploymentSnapshot),
    serializeEvent: (event) => JSON.stringify([event.type, (event as { label?: string }).label, (event as { action?: string }).action]),
  }) as unknown as Record<string, AdjacencyEntry>;
  const keys = Object.keys(adjacency);
  const start = keys[0];
  const keyOf = (snapshot: DeploymentSnapshot): string => serializeState(snapshot);

  // Shortest way in, from the start.
  const into = new Map<string, Array<{ event: AnyEventObject; state: DeploymentSnapshot }>>([[start, []]]);
  for (const queue = [start]; queue.length > 0;) {
    const key = queue.shift() as string;
    for (const next of Object.values(adjacency[key]?.transitions ?? {})) {
      const target = keyOf(next.state);
      if (into.has(target)) continue;
      into.set(target, [...(into.get(key) ?? []), next]);
      queue.push(target);
    }
  }
  // Shortest way out, to any final state (backwards from the ends).
  const out = new Map<string, Array<{ event: AnyEventObject; state: DeploymentSnapshot }>>();
  for (const key of keys) if (adjacency[key]?.state.status === 'done') out.set(key, []);
  for (let grew = true; grew;) {
    grew = false;
    for (const key of keys) {
      if (out.has(key)) continue;
      for (const next of Object.values(adjacency[key]?.transitions ?? {})) {
        const rest = out.get(keyOf(next.state));
        if (rest === undefined) continue;
        out.set(key, [next, ...rest]);
        grew = true;
        break;
      }
    }
  }
  const stuck = keys.filter((key) => !out.has(key));
  assert.deepEqual(stuck, [], 'every reachable state can still reach an end');

  const paths: Array<StatePath<DeploymentSnapshot, AnyEventObject>> = [];
  const seen = new Set<string>();
  for (const key of keys) {
    const prefix = into.get(key) ?? [];
    for (const next of Object.values(adjacency[key]?.transitions ?? {})) {
      const target = keyOf(next.state);
      // An event the state ignores changes nothing; there is nothing to replay.
      if (target === key) continue;
      const steps = [...prefix, next, ...(out.get(target) ?? [])];
      const id = steps.map((step) => `${step.event.type}:${(step.event as { label?: string }).label ?? ''}`).join('|');
      if (seen.has(id)) continue;
      seen.add(id);
      const last = steps[steps.length - 1] as { state: DeploymentSnapshot };
      paths.push({ state: last.state, steps, weight: steps.length });
    }
  }
  return paths;
}

function describePath(path: StatePath<DeploymentSnapshot, AnyEventObject>): string {
  return path.steps
    .map((s) => {
      const e = s.event as AnyEventObject & { label?: string };
      if (e.type === 'SET_OPTION') return 'SET_OPTION';
      if (e.type.startsWith(DONE)) return `${e.type.slice(DONE.length)}:${e.label}`;
      if (e.type.startsWith(ERROR)) return `${e.type.slice(ERROR.length)}!${e.label}`;
      if (e.type.startsWith('xstate.after.')) return 'wait';
      if (e.type === 'xstate.init') return 'start';
      return e.type;
    })
    .join(' → ');
}

async function settle(): Promise<void> {
  // One macrotask turn drains every microtask, which is where promise actors report back.
  await new Promise((resolve) => setImmediate(resolve));
}

/** Replays one path against a real actor; returns the final snapshot. */
/** One machine for all replays; each replay points it at a fresh gate. */
let currentGate = new CallGate();
const delegatingGate = new Proxy({} as CallGate, {
  get: (_target, property: keyof CallGate) => {
    // Bound to the current gate just below, so no method loses its `this`.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const value = currentGate[property];
    return typeof value === 'function' ? value.bind(currentGate) : value;
  },
});
const replayMachine = createDeploymentMachine({ random: () => 0.5, deploymentOptions: OPTION_SPECS }).provide({
  actors: providerActors(gatedProvider(delegatingGate, { recoveryPlans: true }), gatedWorkspace(delegatingGate)),
});

async function replay(path: StatePath<DeploymentSnapshot, AnyEventObject>, autoExecute: boolean): Promise<{ snapshot: DeploymentSnapshot; gate: CallGate }> {
  const gate = (currentGate = new CallGate());
  const clock = new SimulatedClock();
  const machine = replayMachine;
  const actor = createActor(machine, { input: deploymentInput({ autoExecute }), clock });
  actor.start();
  try {
    for (const step of path.steps) {
      const event = step.event as AnyEventObject & { output?: unknown; error?: unknown };
      if (event.type === 'xstate.init') continue;
      if (event.type.startsWith(DONE) || event.type.startsWith(ERROR)) {
        const isDone = event.type.startsWith(DONE);
        const name = event.type.slice(isDone ? DONE.length : ERROR.length);
        const call = await gate.next(name);
        if (isDone) call.resolve(event.output);
        else call.reject(event.error);
      } else if (event.type.startsWith('xstate.after.')) {
        clock.increment(60 * 60_000);
      } else {
        actor.send(event as never);
      }
      await settle();
      assert.deepEqual(actor.getSnapshot().value, step.state.value, `after ${event.type} on path ${describePath(path)}`);
    }
    return { snapshot: actor.getSnapshot(), gate };
  } finally {
    actor.stop();
  }
}

function checkEnding(path: StatePath<DeploymentSnapshot, AnyEventObject>, snapshot: DeploymentSnapshot, gate: CallGate): void {
  const where = describePath(path);
  const { status, error } = snapshot.context;
  const final = snapshot.value as string;
  assert.equal(status.activity, final, where);
  assert.ok(gate.pending.length === 0, `no call left hanging: ${where}`);

  const steps = path.steps.map((s) => s.event.type);
  const consented = steps.includes('CONSENT');
  // The promise of the whole product: nothing is deleted without explicit consent.
  assert.ok(!gate.log.includes('recover') || consented, `recover only after consent: ${where}`);
  // A consent leads to the recovery, unless the person aborted while the delete preview was being removed.
  if (consented && !gate.log.includes('recover')) assert.ok(steps.lastIndexOf('ABORT') > steps.indexOf('CONSENT'), `consent, then recover: ${where}`);
  // What listing the destruction started (a delete preview) is removed: before the recovery runs, and by the end.
  if (gate.log.includes('describeRecovery')) {
    assert.ok(gate.log.lastIndexOf('discardRecoveryPlan') > gate.log.lastIndexOf('describeRecovery'), `the delete preview is removed: ${where}`);
    if (gate.log.includes('recover'))
      assert.ok(gate.log.indexOf('discardRecoveryPlan') < gate.log.indexOf('recover'), `the delete preview is removed before the recovery: ${where}`);
  }
  // Only an accepted execute (or reattaching to a running operation) makes the target 'deployed'.
  const executedSomething = snapshot.context.operation !== undefined;
  // Whatever was staged and not executed is removed before the end, whatever the end.
  if (gate.log.includes('stage')) {
    assert.ok(gate.log.lastIndexOf('abortStaged') > gate.log.lastIndexOf('stage'), `cleanup after staging: ${where}`);
  }
  // An execute whose answer was lost is asked about, never simply repeated.
  for (let i = 1; i < gate.log.length; i++) {
    if (gate.log[i] === 'execute' && gate.log[i - 1] === 'execute') {
      const previous = path.steps.find((s) => s.event.type === `${ERROR}execute` && (s.event as { label?: string }).label === 'throttled');
      assert.ok(previous, `a second execute only after a throttled first one (same token): ${where}`);
    }
  }

  switch (final) {
    case 'succeeded':
      assert.equal(status.error, 'none', where);
      assert.equal(status.target, 'deployed', where);
      assert.equal(shownStatus(status), 'succeeded', where);
      break;
    case 'noChanges':
    case 'aborted':
      assert.equal(status.error, 'none', where);
      assert.equal(status.target, 'archived', where);
      assert.equal(snapshot.context.executed, false, `nothing executed: ${where}`);
      break;
    case 'unknown':
      // A lost read never decides: not failed, not succeeded, and it says why.
      assert.equal(status.error, 'none', where);
      assert.equal(shownStatus(status), 'unknown', where);
      assert.ok(error && error.message.length > 0, `an unknown outcome says why: ${where}`);
      assert.ok(steps.includes('DISMISS'), `unknown only when the person stops asking: ${where}`);
      break;
    case 'failed':
      assert.equal(status.error, 'failed', where);
      assert.equal(shownStatus(status), 'failed', where);
      assert.ok(error && error.message.length > 0, `a failure says why: ${where}`);
      assert.equal(status.target, executedSomething ? 'deployed' : 'archived', where);
      break;
    case 'rolledBack': {
      assert.equal(status.target, 'deployed', where);
      const root = summarizeFailures(snapshot.context.events, snapshot.context.target.name).rootCause;
      if (snapshot.context.stopRequested || !root) {
        assert.equal(status.error, 'none', `a stop is a clean rollback: ${where}`);
      } else {
        assert.equal(status.error, 'failed', where);
        assert.ok(error?.message.includes(ROOT_CAUSE), `root cause, not the cancellation: ${where}`);
      }
      break;
    }
    default:
      assert.fail(`unexpected final state ${final}`);
  }
}

export function definePathSuite(autoExecute: boolean): void {
  describe(`deployment machine, every transition on a path to an end (autoExecute ${autoExecute})`, () => {
    const paths = finalPaths(autoExecute);

    it('has paths to every final state', () => {
      const finals = new Set(paths.map((p) => p.state.value as string));
      assert.deepEqual([...finals].sort(), ['aborted', 'failed', 'noChanges', 'rolledBack', 'succeeded', 'unknown']);
      console.log(`  ${paths.length} paths through every transition to a final state (autoExecute ${autoExecute})`);
    });

    it('replays every path against a real actor and ends with the right status', async () => {
      for (const path of paths) {
        const { snapshot, gate } = await replay(path, autoExecute);
        checkEnding(path, snapshot, gate);
      }
    });
  });
}
