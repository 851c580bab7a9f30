/**
 * Replays the poll schedule over the events a bench run recorded (STACKWATCH_BENCH_DUMP, see
 * benchVersus.ts), without a simulator or a clock: the events happen when they happened, and each
 * poll sees those before it. Minutes of bench become milliseconds, so a schedule change can be
 * judged against many rounds before the real bench confirms it. Not part of `npm run bench`.
 *
 *   node --import tsx scripts/pollReplay.ts dump.jsonl
 *
 * The model: a poll's answer comes ANSWER_MS after it leaves; an event is in the answer when it
 * happened before the poll left. Learned durations carry from round to round as in the bench.
 */
import { readFileSync } from 'node:fs';
import type { Change, DeploymentEvent } from '../src/providers/provider';
import { applyEvents, type ResourceMap } from '../src/deployment/resources';
import { runningChanges } from '../src/deployment/durations/expectations';
import { emptyLearnedDurations, learnFromDeployment, type LearnedDurations } from '../src/deployment/durations/learnedDurations';
import { FIRST_WAVE_LIMIT_MS, nextPollAt, notePoll, type Expectation, type PollTiming } from '../src/deployment/pollSchedule';
import { percentile } from './benchFigures';

const ANSWER_MS = 12;
const TARGET_KEY = 'aws|replay';

interface DumpEvent {
  logicalId: string;
  status: string;
  at: number;
  seenAt: number | null;
}
interface DumpCall {
  action: string;
  at: number;
}
interface DumpLine {
  scenario: string;
  round: number;
  tool: 'stackwatch' | 'cdk';
  events: DumpEvent[];
  calls: DumpCall[];
}

function resourceStatus(status: string): DeploymentEvent['status'] {
  if (status.endsWith('_COMPLETE')) return 'succeeded';
  if (status.endsWith('_FAILED')) return 'failed';
  return 'inProgress';
}

function toEvent(e: DumpEvent, index: number): DeploymentEvent {
  return {
    id: `e${index}`,
    timestamp: new Date(e.at).toISOString(),
    logicalId: e.logicalId,
    resourceType: e.logicalId.startsWith('Queue') ? 'AWS::SQS::Queue' : 'AWS::CloudFormation::Stack',
    providerStatus: e.status,
    status: resourceStatus(e.status),
    isCancellation: false,
  };
}

interface Replayed {
  latencies: number[];
  reads: number;
}

function replayRound(line: DumpLine, learned: LearnedDurations): Replayed {
  const events = line.events.filter((e) => e.status !== 'REVIEW_IN_PROGRESS' && e.at >= 0).map(toEvent);
  const stackName = line.events[0]?.logicalId ?? '';
  const executeAt = Date.parse(events[0]?.timestamp ?? '0');
  const lastAt = Date.parse(events.at(-1)?.timestamp ?? '0');
  const changes: Change[] = [...new Set(events.filter((e) => e.logicalId !== stackName).map((e) => e.logicalId))].map((logicalId) => ({
    logicalId,
    resourceType: 'AWS::SQS::Queue',
    action: line.scenario.startsWith('update') ? 'Modify' : 'Add',
  }));
  let resources: ResourceMap = {};
  let timing: PollTiming | undefined;
  let seen = 0;
  const latencies: number[] = [];
  let pollAt = executeAt + 4;
  let reads = 0;
  for (;;) {
    reads++;
    const answeredAt = pollAt + ANSWER_MS;
    const fresh: DeploymentEvent[] = [];
    while (seen < events.length && Date.parse(events[seen].timestamp) <= pollAt) fresh.push(events[seen++]);
    for (const e of fresh) latencies.push(answeredAt - Date.parse(e.timestamp));
    resources = applyEvents(resources, fresh, stackName);
    timing = notePoll(timing, answeredAt, { eventTimestamps: fresh.map((e) => e.timestamp), pagesRead: 1 });
    if (seen >= events.length || answeredAt > lastAt + 60_000) break;
    const running = runningChanges({ changes, resources, learned, targetKey: TARGET_KEY, clockOffsetMs: timing.clockOffsetMs ?? 0 });
    const expected: Expectation[] = [];
    for (const change of running) {
      expected.push({ at: change.startedAt + change.duration.ms, spreadMs: change.duration.spreadMs });
      if (change.progressAt !== undefined) expected.push({ at: change.progressAt, spreadMs: change.progressSpreadMs ?? 0 });
    }
    const awaitingFirstWave =
      answeredAt - executeAt <= FIRST_WAVE_LIMIT_MS && changes.every((c) => (resources[c.logicalId]?.status ?? 'pending') === 'pending');
    pollAt = nextPollAt(answeredAt, { watched: true, idleStreak: 0, timing, expected, awaitingFirstWave });
  }
  return { latencies, reads };
}

function main(): void {
  const path = process.argv[2];
  if (!path) throw new Error('Give the dump a bench run wrote: STACKWATCH_BENCH_DUMP=dump.jsonl npm run bench -- --only aws, then pollReplay.ts dump.jsonl');
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as DumpLine);
  const scenarios = [...new Set(lines.map((l) => l.scenario))];
  for (const scenario of scenarios) {
    let learned = emptyLearnedDurations();
    const all: number[] = [];
    const cdk: number[] = [];
    let reads = 0;
    let cdkReads = 0;
    const rows = lines.filter((l) => l.scenario === scenario);
    for (const line of rows.filter((l) => l.tool === 'stackwatch').sort((a, b) => a.round - b.round)) {
      const result = replayRound(line, learned);
      all.push(...result.latencies);
      reads += result.reads;
      const events = line.events.filter((e) => e.status !== 'REVIEW_IN_PROGRESS' && e.at >= 0).map(toEvent);
      learned = learnFromDeployment(learned, { targetKey: TARGET_KEY, targetName: line.events[0]?.logicalId ?? '', events });
      const peer = rows.find((l) => l.tool === 'cdk' && l.round === line.round);
      if (peer) {
        const firstAt = Math.min(...peer.events.filter((e) => e.status !== 'REVIEW_IN_PROGRESS').map((e) => e.at));
        for (const e of peer.events) if (e.seenAt !== null && e.status !== 'REVIEW_IN_PROGRESS' && e.at >= 0) cdk.push(e.seenAt - e.at);
        cdkReads += peer.calls.filter((c) => (c.action === 'DescribeStackEvents' || c.action === 'DescribeStacks') && c.at >= firstAt - 50).length;
      }
    }
    const p50 = percentile(all, 0.5);
    const p95 = percentile(all, 0.95);
    const c50 = percentile(cdk, 0.5);
    const c95 = percentile(cdk, 0.95);
    console.log(
      `${scenario.padEnd(10)} replay p50 ${p50.toFixed(0).padStart(5)} ms (${(p50 / c50).toFixed(2)}×)  p95 ${p95.toFixed(0).padStart(5)} ms (${(p95 / c95).toFixed(2)}×)  reads ${reads} (CDK monitoring reads ${cdkReads})`,
    );
  }
}

main();
