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
import type { Change, DeploymentEvent, TargetRef } from '../src/providers/provider';
import { applyEvents } from '../src/deployment/resources';
import { durationTargetKey, emptyLearnedDurations, learnFromDeployment, type LearnedDurations } from '../src/deployment/durations/learnedDurations';
import { initialContext, type DeploymentContext } from '../src/deployment/machine';
import { scheduleStateOf } from '../src/deployment/machine/pollTiming';
import { nextPollAt, notePoll } from '../src/deployment/pollSchedule';
import { percentile } from './benchFigures';

const ANSWER_MS = 12;

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

function targetOf(line: DumpLine): TargetRef {
  return { provider: 'aws', name: line.events[0]?.logicalId ?? '', region: 'us-east-1' };
}

/** The deploy's events as the monitor gets them: from the execute on. */
function eventsOf(line: DumpLine): DeploymentEvent[] {
  return line.events.filter((e) => e.status !== 'REVIEW_IN_PROGRESS' && e.at >= 0).map(toEvent);
}

/** The machine's context while it monitors, as the machine keeps it: the schedule reads it as it reads the real one. */
function monitoringContext(target: TargetRef, changes: Change[], executeAt: number, kind: 'create' | 'update'): DeploymentContext {
  return {
    ...initialContext({ deploymentId: 'replay', target, autoExecute: true }),
    contacted: true,
    stageSent: true,
    changes,
    executed: true,
    operation: { startedAt: new Date(executeAt).toISOString(), kind },
    phase: 'inProgress',
  };
}

function replayRound(line: DumpLine, events: readonly DeploymentEvent[], learned: LearnedDurations): Replayed {
  const target = targetOf(line);
  const executeAt = Date.parse(events[0]?.timestamp ?? '0');
  const lastAt = Date.parse(events.at(-1)?.timestamp ?? '0');
  const kind = line.scenario.startsWith('update') ? 'update' : 'create';
  const changes: Change[] = [...new Set(events.filter((e) => e.logicalId !== target.name).map((e) => e.logicalId))].map((logicalId) => ({
    logicalId,
    resourceType: 'AWS::SQS::Queue',
    action: kind === 'update' ? 'Modify' : 'Add',
  }));
  let context = monitoringContext(target, changes, executeAt, kind);
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
    context = {
      ...context,
      resources: applyEvents(context.resources, fresh, target.name),
      pollTiming: notePoll(context.pollTiming, answeredAt, { eventTimestamps: fresh.map((e) => e.timestamp), pagesRead: 1 }),
    };
    if (seen >= events.length || answeredAt > lastAt + 60_000) break;
    pollAt = nextPollAt(answeredAt, scheduleStateOf(context, learned, answeredAt));
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
      const events = eventsOf(line);
      const result = replayRound(line, events, learned);
      all.push(...result.latencies);
      reads += result.reads;
      const target = targetOf(line);
      learned = learnFromDeployment(learned, { targetKey: durationTargetKey(target), targetName: target.name, events });
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
