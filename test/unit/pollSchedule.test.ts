/**
 * The poll schedule, on a simulated clock: simulated deployments (chains of resources with
 * durations and jitter, as a provider runs them) are followed by the schedule and, beside it, by
 * a CDK-like poller (a read every 2 s after the last one answered). The properties are computed
 * from the simulation, against the schedule's own constants and the other poller's figures.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { durationTargetKey, emptyLearnedDurations, learnFromDeployment, type LearnedDurations } from '../../src/deployment/durations/learnedDurations';
import { initialContext, type DeploymentContext } from '../../src/deployment/machine';
import { scheduleStateOf } from '../../src/deployment/machine/pollTiming';
import {
  BASELINE_MS,
  FIRST_WAVE_MS,
  IDLE_POLL_CAP_MS,
  MARGIN_MS,
  MERGE_MS,
  MAX_DEBT,
  MIN_GAP_MS,
  POLL_BUDGET_BURST,
  POLL_BUDGET_REFILL_MS,
  POLL_BUDGET_START,
  UNWATCHED_FLOOR_MS,
  UNWATCHED_POLL_CAP_MS,
  nextPollAt,
  nextPollDelay,
  notePoll,
  windowPoll,
  type ScheduleState,
} from '../../src/deployment/pollSchedule';
import { applyEvents } from '../../src/deployment/resources';
import type { Change, DeploymentEvent, ResourceStatus, TargetRef } from '../../src/providers/provider';

const TARGET: TargetRef = { provider: 'aws', name: 'sim-stack', region: 'us-east-1' };
const QUEUE = 'AWS::SQS::Queue';
/** Local epoch ms of the execute. */
const T0 = Date.parse('2026-05-01T12:00:00.000Z');
const RTT_MS = 80;
const CDK_INTERVAL_MS = 2_000;
/** The CDK also reads the stack itself this often while it deploys. */
const CDK_STACK_READ_MS = 5_000;

/** mulberry32: the same draws every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Scenario {
  chains: number;
  perChain: number;
  /** Each resource's usual duration (ms) by its index. */
  baseMs: (index: number) => number;
  /** ± this fraction per round. */
  jitter: number;
  /** The first resources start this long after the execute. */
  firstWaveMs: number;
}

interface SimEvent {
  /** Local epoch ms it happened. */
  at: number;
  event: DeploymentEvent;
}

const idOf = (chain: number, step: number) => `Queue${step}x${chain}`;

function changesOf(s: Scenario): Change[] {
  const changes: Change[] = [];
  for (let chain = 0; chain < s.chains; chain++)
    for (let step = 0; step < s.perChain; step++) changes.push({ logicalId: idOf(chain, step), action: 'Add', resourceType: QUEUE });
  return changes;
}

/**
 * One round as the provider runs it: each chain's resources one after another (a dependent starts
 * as its dependency completes), each with a start, an "initiated" event a second in (or halfway)
 * and a completion. Timestamps are on the provider's clock, `skewMs` behind the local one.
 */
function runRound(s: Scenario, seed: number, skewMs: number): SimEvent[] {
  const random = seeded(seed);
  const events: SimEvent[] = [];
  let n = 0;
  const push = (at: number, logicalId: string, providerStatus: string, status: ResourceStatus) =>
    events.push({
      at,
      event: { id: `ev${n++}`, timestamp: new Date(at - skewMs).toISOString(), logicalId, resourceType: QUEUE, providerStatus, status, isCancellation: false },
    });
  for (let chain = 0; chain < s.chains; chain++) {
    let at = T0 + s.firstWaveMs;
    for (let step = 0; step < s.perChain; step++) {
      const index = chain * s.perChain + step;
      const duration = Math.round(s.baseMs(index) * (1 + s.jitter * (2 * random() - 1)));
      push(at, idOf(chain, step), 'CREATE_IN_PROGRESS', 'inProgress');
      push(at + Math.min(1_000, duration / 2), idOf(chain, step), 'CREATE_IN_PROGRESS', 'inProgress');
      push(at + duration, idOf(chain, step), 'CREATE_COMPLETE', 'succeeded');
      at += duration;
    }
  }
  return events.sort((a, b) => a.at - b.at);
}

function learnedFrom(rounds: SimEvent[][]): LearnedDurations {
  let learned = emptyLearnedDurations();
  for (const round of rounds)
    learned = learnFromDeployment(learned, { targetKey: durationTargetKey(TARGET), targetName: TARGET.name, events: round.map((e) => e.event) });
  return learned;
}

function contextFor(changes: Change[]): DeploymentContext {
  return {
    ...initialContext({ deploymentId: 'sim', target: TARGET, autoExecute: true }),
    contacted: true,
    stageSent: true,
    changes,
    executed: true,
    operation: { startedAt: new Date(T0).toISOString(), kind: 'create' },
    phase: 'inProgress',
  };
}

interface Followed {
  /** Local ms (from the execute) each poll was sent. */
  sent: number[];
  /** How late each event was seen (ms). */
  latencies: number[];
  /** Each completion's local time and when the first poll after it was sent. */
  completions: { at: number; polledAt: number }[];
}

/** Follows the round with the poll schedule: a poll reads the provider halfway through its round trip. */
function followWithSchedule(round: SimEvent[], changes: Change[], learned: LearnedDurations, watched = true): Followed {
  let context = { ...contextFor(changes), watched };
  const result: Followed = { sent: [], latencies: [], completions: [] };
  let seen = 0;
  let t = T0;
  while (seen < round.length) {
    assert.ok(result.sent.length < 10_000, 'the simulation ends');
    result.sent.push(t - T0);
    const readAt = t + RTT_MS / 2;
    const answeredAt = t + RTT_MS;
    const fresh: SimEvent[] = [];
    while (seen < round.length && round[seen].at <= readAt) fresh.push(round[seen++]);
    for (const e of fresh) result.latencies.push(answeredAt - e.at);
    const events = fresh.map((e) => e.event);
    context = {
      ...context,
      resources: applyEvents(context.resources, events, TARGET.name),
      idleStreak: events.length > 0 ? 0 : context.idleStreak + 1,
      pollTiming: notePoll(context.pollTiming, answeredAt, { eventTimestamps: events.map((e) => e.timestamp), pagesRead: 1 }),
    };
    t = answeredAt + nextPollDelay(answeredAt, scheduleStateOf(context, learned, answeredAt));
  }
  for (const e of round)
    if (e.event.status === 'succeeded') result.completions.push({ at: e.at - T0, polledAt: result.sent.find((s) => s + RTT_MS / 2 >= e.at - T0)! });
  return result;
}

/** A CDK-like poller: a read right after the execute, then 2 s after each answer. */
function followLikeCdk(round: SimEvent[]): Followed {
  const result: Followed = { sent: [], latencies: [], completions: [] };
  let seen = 0;
  let t = T0;
  while (seen < round.length) {
    result.sent.push(t - T0);
    const readAt = t + RTT_MS / 2;
    while (seen < round.length && round[seen].at <= readAt) result.latencies.push(t + RTT_MS - round[seen++].at);
    t += RTT_MS + CDK_INTERVAL_MS;
  }
  return result;
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function gaps(sent: readonly number[]): number[] {
  return sent.slice(1).map((at, i) => at - sent[i]);
}

/** Like the bench: chains of queues in waves, each with its own 2–9 s, jittered ±20% per round. */
const benchLike = (chains: number): Scenario => ({
  chains,
  perChain: 4,
  baseMs: (i) => Math.round(2_000 + 7_000 * ((i * 0.6180339887) % 1)),
  jitter: 0.2,
  firstWaveMs: 300,
});

describe('poll schedule: pieces', () => {
  const base: ScheduleState = { watched: true, idleStreak: 0, expected: [], awaitingFirstWave: false };
  const timing = (lastPollAt: number, extra: Partial<NonNullable<ScheduleState['timing']>> = {}) => ({
    lastPollAt,
    lastNewsAt: lastPollAt,
    budget: POLL_BUDGET_BURST,
    ...extra,
  });

  it('polls just after an expected event, and once more at the end of its spread', () => {
    const expected = { at: 10_000, spreadMs: 100 };
    assert.deepEqual(windowPoll(expected, 0), { at: 10_000 + MARGIN_MS, likeliest: true }, 'a narrow window: its expected moment first');
    assert.deepEqual(windowPoll(expected, 10_000 + MARGIN_MS), { at: 10_000 + 100 + MARGIN_MS, likeliest: true }, 'then its far end');
    assert.deepEqual(windowPoll({ at: 10_000, spreadMs: 0 }, 0), { at: 10_000 + MARGIN_MS, likeliest: true });
    assert.equal(windowPoll(expected, 10_000 + 100 + MARGIN_MS), undefined, 'past the window nothing is expected');
    // A wide window is polled on a grid through its expected moment, a spread either side.
    const wide = { at: 10_000, spreadMs: 4_000 };
    assert.deepEqual(windowPoll(wide, 0), { at: 10_000 - 4_000 + MARGIN_MS, likeliest: false });
    assert.deepEqual(windowPoll(wide, 10_000 - 4_000 + MARGIN_MS), { at: 10_000 - 2_000 + MARGIN_MS, likeliest: false });
    assert.deepEqual(windowPoll(wide, 10_000 - 1), { at: 10_000 + MARGIN_MS, likeliest: true });
  });

  it('merges expected events close together into one poll, the later one', () => {
    // Both before the baseline poll (BASELINE_MS after the last), so the merge decides.
    const first = 4_000 + MIN_GAP_MS;
    const state: ScheduleState = {
      ...base,
      timing: timing(4_000),
      expected: [
        { at: first, spreadMs: 0 },
        { at: first + MERGE_MS - 50, spreadMs: 0 },
      ],
    };
    assert.ok(first + MERGE_MS - 50 + MARGIN_MS < 4_000 + BASELINE_MS, 'the test needs both before the baseline poll');
    assert.equal(nextPollAt(4_000, state), first + MERGE_MS - 50 + MARGIN_MS);
    const apart: ScheduleState = {
      ...state,
      expected: [
        { at: first, spreadMs: 0 },
        { at: first + MERGE_MS + 50, spreadMs: 0 },
      ],
    };
    assert.equal(nextPollAt(4_000, apart), first + MARGIN_MS, 'further apart, each has its own');
    // Nothing expected within the baseline: the baseline poll comes first.
    assert.equal(nextPollAt(0, { ...state, timing: timing(0) }), BASELINE_MS);
  });

  it('never polls closer than the floor, nor beyond the budget', () => {
    const soon: ScheduleState = { ...base, timing: timing(1_000), expected: [{ at: 1_000, spreadMs: 0 }] };
    assert.equal(nextPollDelay(1_000, soon), MIN_GAP_MS);
    const spent: ScheduleState = { ...soon, timing: timing(1_000, { budget: 0.25 }) };
    assert.equal(nextPollDelay(1_000, spent), Math.round(0.75 * POLL_BUDGET_REFILL_MS));
  });

  it('with nothing expected, waits the baseline, longer after a long quiet spell, up to the cap', () => {
    assert.equal(nextPollDelay(0, { ...base, timing: timing(0) }), BASELINE_MS);
    const quietFor = (ms: number) => nextPollDelay(ms, { ...base, timing: timing(ms, { lastNewsAt: 0 }) });
    assert.ok(quietFor(20_000) > BASELINE_MS);
    assert.ok(quietFor(40_000) >= quietFor(20_000));
    assert.equal(quietFor(10 * 60_000), IDLE_POLL_CAP_MS);
  });

  it('right after the execute, polls quickly for the first wave', () => {
    assert.equal(nextPollDelay(0, { ...base, timing: timing(0), awaitingFirstWave: true }), FIRST_WAVE_MS);
  });

  it('nobody watching: the gentler backoff, whatever is expected', () => {
    const unwatched: ScheduleState = { ...base, watched: false, timing: timing(0), expected: [{ at: 500, spreadMs: 0 }] };
    assert.equal(nextPollDelay(0, unwatched), UNWATCHED_FLOOR_MS);
    assert.equal(nextPollDelay(0, { ...unwatched, idleStreak: 30 }), UNWATCHED_POLL_CAP_MS);
  });

  it('measures the provider’s clock from the quickest sighting, and charges the budget per page', () => {
    const first = notePoll(undefined, 100_000, { eventTimestamps: [new Date(40_000).toISOString(), new Date(99_000).toISOString()], pagesRead: 1 });
    assert.equal(first.clockOffsetMs, 1_000);
    assert.equal(first.budget, POLL_BUDGET_START - 1);
    const later = notePoll(first, 100_500, { eventTimestamps: [new Date(99_900).toISOString()], pagesRead: 3 });
    assert.equal(later.clockOffsetMs, 600);
    assert.equal(later.budget, Math.min(POLL_BUDGET_BURST, first.budget + 500 / POLL_BUDGET_REFILL_MS) - 3);
    const quiet = notePoll(later, 101_000, { eventTimestamps: [], pagesRead: 1 });
    assert.equal(quiet.lastNewsAt, 100_500);
    // A catch-up read of many pages owes at most MAX_DEBT: an expected event is still polled for soon.
    const catchUp = notePoll(quiet, 102_000, { eventTimestamps: [], pagesRead: 15 });
    assert.equal(catchUp.budget, -MAX_DEBT);
    const expecting: ScheduleState = { ...base, timing: catchUp, expected: [{ at: 103_000, spreadMs: 0 }] };
    assert.ok(nextPollAt(102_000, expecting) - 102_000 <= (1 + MAX_DEBT) * POLL_BUDGET_REFILL_MS, 'the debt is paid off within two refills');
  });
});

describe('poll schedule: simulated deployments', () => {
  it('with exact expectations, every event is seen within the margin and the merge window of when it happened', () => {
    // Sparse enough for the budget to afford a poll at every expected moment.
    const scenario: Scenario = { chains: 1, perChain: 4, baseMs: (i) => 8_000 + 1_300 * i, jitter: 0, firstWaveMs: 300 };
    const earlier = runRound(scenario, 1, 0);
    const round = runRound(scenario, 2, 0);
    const followed = followWithSchedule(round, changesOf(scenario), learnedFrom([earlier]));
    // The first wave is polled for every FIRST_WAVE_MS; everything after it is expected to the ms.
    const bound = Math.max(FIRST_WAVE_MS, MARGIN_MS + MERGE_MS) + RTT_MS + 2 * RTT_MS;
    for (const latency of followed.latencies) assert.ok(latency <= bound, `seen ${latency} ms late (bound ${bound}): ${followed.latencies.join(', ')}`);
    // The polls land just after each completion, where the next resource starts too.
    for (const c of followed.completions) assert.ok(c.polledAt > c.at - RTT_MS && c.polledAt <= c.at + MARGIN_MS + MERGE_MS + RTT_MS, JSON.stringify(c));
  });

  for (const chains of [5, 25]) {
    it(`a bench-like create (${chains} chains of 4, ±20% jitter, learned from two earlier rounds): sooner than a 2 s poller, with no more calls`, () => {
      const scenario = benchLike(chains);
      const learned = learnedFrom([runRound(scenario, 11, 0), runRound(scenario, 12, 0)]);
      const round = runRound(scenario, 13, 0);
      const ours = followWithSchedule(round, changesOf(scenario), learned);
      const cdk = followLikeCdk(round);
      const figures = `ours p50 ${quantile(ours.latencies, 0.5)} p95 ${quantile(ours.latencies, 0.95)} polls ${ours.sent.length}; 2 s poller p50 ${quantile(cdk.latencies, 0.5)} p95 ${quantile(cdk.latencies, 0.95)} polls ${cdk.sent.length}`;
      // Its calls: an event read per poll, and a stack read every 5 s while it runs. Ours may spend
      // the budget's start on top: the CDK's own reads before the execute (its stack lookups,
      // GetTemplate, GetCallerIdentity), which `npm run bench` counts, are not simulated here.
      const cdkCalls = cdk.sent.length + Math.floor(cdk.sent.at(-1)! / CDK_STACK_READ_MS);
      assert.ok(ours.sent.length <= cdkCalls + POLL_BUDGET_START, `no more calls (${cdkCalls} + ${POLL_BUDGET_START}): ${figures}`);
      assert.ok(quantile(ours.latencies, 0.5) < quantile(cdk.latencies, 0.5), `seen sooner at the median: ${figures}`);
      for (const gap of gaps(ours.sent)) assert.ok(gap >= MIN_GAP_MS + RTT_MS, `no two polls closer than the floor: ${gap}`);
      // The budget: never more polls in a stretch than the burst plus what the stretch refills.
      for (let i = 0; i < ours.sent.length; i++)
        for (let j = i + 1; j < ours.sent.length; j++)
          assert.ok(j - i <= POLL_BUDGET_BURST + (ours.sent[j] - ours.sent[i]) / POLL_BUDGET_REFILL_MS, `polls ${i}..${j} overspend the budget`);
    });
  }

  it('a long change polls sparsely while nothing is expected, and closely around its expected end', () => {
    const scenario: Scenario = { chains: 1, perChain: 1, baseMs: () => 120_000, jitter: 0.02, firstWaveMs: 300 };
    const learned = learnedFrom([runRound(scenario, 21, 0), runRound(scenario, 22, 0), runRound(scenario, 23, 0)]);
    const round = runRound(scenario, 24, 0);
    const ours = followWithSchedule(round, changesOf(scenario), learned);
    const end = round.at(-1)!.at - T0;
    const middle = ours.sent.filter((at) => at > 5_000 && at < end - 10_000);
    assert.ok(middle.length > 0);
    for (const gap of gaps(middle))
      assert.ok(gap >= BASELINE_MS && gap <= IDLE_POLL_CAP_MS + RTT_MS, `sparse gaps within the baseline and the cap: ${gaps(middle).join(', ')}`);
    const nearEnd = ours.sent.filter((at) => at >= end - 10_000);
    assert.ok(nearEnd.length >= 2, 'the expected end is polled closely');
    assert.ok(
      ours.latencies.at(-1)! < quantile(followLikeCdk(round).latencies, 0.5) + RTT_MS,
      'the long change’s end is seen no later than a 2 s poller’s typical sighting',
    );
    assert.ok(ours.sent.length < followLikeCdk(round).sent.length / 2, 'far fewer polls than a 2 s poller on a long change');
  });

  it('a skewed provider clock does not move a single poll', () => {
    const scenario = benchLike(5);
    const changes = changesOf(scenario);
    const plain = followWithSchedule(runRound(scenario, 31, 0), changes, learnedFrom([runRound(scenario, 30, 0)]));
    const hourOff = 3_600_000;
    const skewed = followWithSchedule(runRound(scenario, 31, hourOff), changes, learnedFrom([runRound(scenario, 30, hourOff)]));
    assert.deepEqual(skewed.sent, plain.sent);
  });

  it('nobody watching: no more polls than when watched, never closer than the unwatched floor', () => {
    const scenario = benchLike(5);
    const learned = learnedFrom([runRound(scenario, 41, 0)]);
    const round = runRound(scenario, 42, 0);
    const watched = followWithSchedule(round, changesOf(scenario), learned);
    const unwatched = followWithSchedule(round, changesOf(scenario), learned, false);
    assert.ok(unwatched.sent.length <= watched.sent.length);
    for (const gap of gaps(unwatched.sent)) assert.ok(gap >= UNWATCHED_FLOOR_MS);
  });
});
