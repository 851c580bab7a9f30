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
  BASELINE_BUDGET,
  BUDGET_COMFORT,
  MARGIN_MS,
  MAX_DEBT,
  MIN_WINDOW_MS,
  OVERDUE_WINDOW_MS,
  MIN_GAP_MS,
  POLL_BUDGET_BURST,
  POLL_BUDGET_REFILL_MS,
  POLL_BUDGET_START,
  UNWATCHED_FLOOR_MS,
  UNWATCHED_POLL_CAP_MS,
  WAITED_MS,
  nextPollAt,
  nextPollDelay,
  notePoll,
  waitingCost,
  waitedThreshold,
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

  /** The search settles within this much of the exact moment (pollSchedule's SEARCH_STEP_MS). */
  const PRECISION_MS = 10;
  const near = (actual: number, expected: number, what: string) =>
    assert.ok(actual >= expected && actual <= expected + PRECISION_MS, `${what}: ${actual}, expected ${expected} (+${PRECISION_MS})`);

  it('polls an event certain at a moment the threshold after it (and its listing margin)', () => {
    const state: ScheduleState = { ...base, timing: timing(4_000), expected: [{ at: 4_500, spreadMs: 0 }] };
    near(nextPollAt(4_000, state), 4_500 + MARGIN_MS + WAITED_MS, 'one certain event');
    // Two certain at the same moment have waited twice as long by then: polled sooner.
    const two: ScheduleState = { ...state, expected: [state.expected[0], state.expected[0]] };
    near(nextPollAt(4_000, two), 4_500 + MARGIN_MS + WAITED_MS / 2, 'two certain events');
    // Nothing expected before the baseline poll: the baseline poll comes first.
    assert.equal(nextPollAt(0, { ...state, timing: timing(0), expected: [{ at: 5_000, spreadMs: 0 }] }), BASELINE_MS);
  });

  it('polls a wide window inside it, where enough of its chance has gone by', () => {
    const spreadMs = 2_000;
    // Quiet for a minute: the baseline poll waits 15 s, so the window decides.
    const state: ScheduleState = { ...base, timing: timing(0, { lastNewsAt: -60_000 }), expected: [{ at: 3_000, spreadMs }] };
    const from = 3_000 + MARGIN_MS - spreadMs;
    // A triangle over 2 × spread: by its peak the waiting cost is (t − from)³ / (6 × spread²).
    near(nextPollAt(0, state), Math.ceil(from + Math.cbrt(6 * spreadMs * spreadMs * WAITED_MS)), 'inside the window');
    assert.ok(nextPollAt(0, state) < 3_000 + MARGIN_MS, 'before its expected moment');
    assert.equal(waitingCost(state.expected, 0, from), 0, 'no cost before the window opens');
    // Past the window: as long as the whole window on average, since the event's mean is its peak.
    assert.equal(waitingCost(state.expected, 0, 3_000 + MARGIN_MS + spreadMs + 500), spreadMs + 500, 'past it, half its width plus the time since');
  });

  it('treats an event past its window as due over the next moments', () => {
    // Just past its window: due over the next OVERDUE_WINDOW_MS.
    const state: ScheduleState = { ...base, timing: timing(6_200, { lastNewsAt: -60_000 }), expected: [{ at: 5_000, spreadMs: 1_000 }] };
    near(nextPollAt(6_200, state), Math.ceil(6_200 + Math.sqrt(2 * OVERDUE_WINDOW_MS * WAITED_MS)), 'overdue');
    // Long past it: due over as long as it is overdue already, so polled less eagerly.
    const longPast: ScheduleState = { ...state, timing: timing(20_000, { lastNewsAt: -60_000 }) };
    const overdueBy = 20_000 - (5_000 + MARGIN_MS + 1_000);
    near(nextPollAt(20_000, longPast), Math.ceil(20_000 + Math.sqrt(2 * overdueBy * WAITED_MS)), 'long overdue');
    // A window narrower than MIN_WINDOW_MS counts as that wide: a triangle of half-width 50 by its peak.
    assert.equal(waitingCost([{ at: 0, spreadMs: 0 }], -1_000, MARGIN_MS), MIN_WINDOW_MS / 2 / 6);
  });

  it('weighs an event the same whether the last poll came just before its window ended or just after', () => {
    // Window: 100 ± 1000 ms (its expected moment plus the margin), so it ends at 1 100 ms.
    const expected = [{ at: 0, spreadMs: 1_000 }];
    const end = MARGIN_MS + 1_000;
    const waits = [end - 300, end - 100, end - 1, end, end + 1, end + 100].map(
      (last) => nextPollAt(last, { ...base, timing: timing(last, { lastNewsAt: -60_000 }), expected }) - last,
    );
    const overdueWait = Math.sqrt(2 * OVERDUE_WINDOW_MS * WAITED_MS);
    // Just before the end, the overdue wait counts from the end: up to the 100 ms still to go.
    for (const wait of waits) assert.ok(wait <= overdueWait + 100, `polled within the overdue wait (${Math.round(overdueWait)} ms): ${waits.join(', ')}`);
    assert.ok(Math.max(...waits) - Math.min(...waits) <= 100, `no jump across the window's end: ${waits.join(', ')}`);
  });

  it('ignores a broken expectation rather than every other one', () => {
    const good = { at: 4_500, spreadMs: 0 };
    const state: ScheduleState = { ...base, timing: timing(4_000), expected: [{ at: Number.NaN, spreadMs: 0 }, good, { at: 4_500, spreadMs: Infinity }] };
    near(nextPollAt(4_000, state), 4_500 + MARGIN_MS + WAITED_MS, 'the good one decides');
  });

  it('holds a poll on no expectation until the budget is well stocked', () => {
    const low = timing(0, { budget: 1 });
    const wait = nextPollDelay(0, { ...base, timing: low });
    assert.equal(wait, Math.round((BASELINE_BUDGET - 1) * POLL_BUDGET_REFILL_MS));
    assert.ok(wait > BASELINE_MS);
  });

  it('asks more waiting of a poll as the budget runs down', () => {
    assert.equal(waitedThreshold(POLL_BUDGET_BURST), WAITED_MS);
    assert.equal(waitedThreshold(BUDGET_COMFORT), WAITED_MS);
    assert.ok(
      waitedThreshold(0) > waitedThreshold(1) && waitedThreshold(1) > waitedThreshold(BUDGET_COMFORT - 1) && waitedThreshold(BUDGET_COMFORT - 1) > WAITED_MS,
    );
    const expected = [{ at: 4_500, spreadMs: 1_000 }];
    const full = nextPollAt(4_000, { ...base, timing: timing(4_000), expected });
    const low = nextPollAt(4_000, { ...base, timing: timing(4_000, { budget: 1.2 }), expected });
    assert.ok(low > full, `a low budget polls later (${low} vs ${full})`);
  });

  it('never polls closer than the floor, nor beyond the budget', () => {
    // Ten events certain at once have waited the threshold long before the floor allows a poll.
    const soon: ScheduleState = { ...base, timing: timing(1_000), expected: Array.from({ length: 10 }, () => ({ at: 1_000, spreadMs: 0 })) };
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
  it('with exact expectations, every event is seen within the margin and the threshold of when it happened', () => {
    // Sparse enough for the budget to afford a poll at every expected moment.
    const scenario: Scenario = { chains: 1, perChain: 4, baseMs: (i) => 8_000 + 1_300 * i, jitter: 0, firstWaveMs: 300 };
    // Three identical earlier rounds: each window is as narrow as learnedDurations.ts makes one.
    const learned = learnedFrom([runRound(scenario, 1, 0), runRound(scenario, 2, 0), runRound(scenario, 3, 0)]);
    const round = runRound(scenario, 4, 0);
    const followed = followWithSchedule(round, changesOf(scenario), learned);
    // The first wave is polled for every FIRST_WAVE_MS; everything after it comes where expected,
    // polled once it has waited the threshold of a budget at most one poll short of comfortable.
    const bound = Math.max(FIRST_WAVE_MS, MARGIN_MS + waitedThreshold(BUDGET_COMFORT - 1)) + RTT_MS + 2 * RTT_MS;
    for (const latency of followed.latencies) assert.ok(latency <= bound, `seen ${latency} ms late (bound ${bound}): ${followed.latencies.join(', ')}`);
    // The polls land just after each completion, where the next resource starts too.
    for (const c of followed.completions) assert.ok(c.polledAt > c.at - RTT_MS && c.polledAt <= c.at + bound - RTT_MS, JSON.stringify(c));
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
