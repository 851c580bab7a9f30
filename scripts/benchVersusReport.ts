/**
 * Prints the side-by-side figures: one table per scenario, each figure for Stackwatch, for the CDK
 * and as Stackwatch ÷ CDK (below 1 means Stackwatch is quicker, cheaper or calls less).
 */
import { clairvoyantReads, LATENCY_TARGETS, windowCoverReads } from './benchBound';
import type { ToolFigures, ToolRound } from './benchFigures';
import type { ScenarioFigures } from './benchVersus';
import type { Scenario } from './benchScenarios';
import type { Tool } from './benchWorkerProtocol';

const LABEL = 58;
const COLUMN = 14;

function ms(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '-' : `${Math.round(value)} ms`;
}

function times(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : '-';
}

function row(label: string, stackwatch: string, cdk: string, ratio = ''): string {
  return `  ${label.padEnd(LABEL)}${stackwatch.padStart(COLUMN)}${cdk.padStart(COLUMN)}${ratio.padStart(10)}`;
}

function numbers(label: string, stackwatch: number | undefined, cdk: number | undefined, format: (v: number | undefined) => string): string {
  const ratio = stackwatch === undefined || cdk === undefined ? NaN : stackwatch / cdk;
  return row(label, format(stackwatch), format(cdk), times(ratio));
}

function perPage(pages: number, withNews: number): string {
  return `${pages}/${withNews} = ${(pages / Math.max(1, withNews)).toFixed(2)}`;
}

function actions(byAction: Record<string, number>): string {
  return Object.entries(byAction)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([action, n]) => `${action} ${n}`)
    .join(', ');
}

/**
 * The reads a clairvoyant poller needs for each latency target over all rounds, beside the event
 * reads Stackwatch made and those the call target leaves it (the CDK's calls less Stackwatch's
 * other calls): see benchBound.ts.
 */
function boundLine(sw: ToolFigures, cdk: ToolFigures): string {
  // Stackwatch's own events (its stack draws the same durations), all rounds on one timeline: the
  // percentiles are over all rounds' events together.
  const pooled = poolRounds(sw.eventTimesByRound, Math.max(cdk.p50Ms, cdk.p95Ms));
  const p50 = clairvoyantReads(pooled, LATENCY_TARGETS.p50 * cdk.p50Ms, 0.5);
  const p95 = clairvoyantReads(pooled, LATENCY_TARGETS.p95 * cdk.p95Ms, 0.95);
  const knowing = sum(sw.completionWindowsByRound.map((windows) => windowCoverReads(windows, LATENCY_TARGETS.p95 * cdk.p95Ms)));
  const swReads = sw.callsByAction.DescribeStackEvents ?? 0;
  const left = cdk.calls - (sw.calls - swReads);
  return [
    `  reads needed, clairvoyant poller: p50 ≤ ${LATENCY_TARGETS.p50}× ${p50}, p95 ≤ ${LATENCY_TARGETS.p95}× ${p95}; knowing each usual duration, every completion within ${LATENCY_TARGETS.p95}× the CDK's p95: ${knowing}`,
    `  event reads: Stackwatch ${swReads}; left by the call target (the CDK's calls less Stackwatch's others) ${left}`,
  ].join('\n');
}

/** The rounds' event times one after another, far enough apart that no read could see two rounds. */
function poolRounds(rounds: readonly (readonly number[])[], gapMs: number): number[] {
  const pooled: number[] = [];
  let offset = 0;
  for (const times of rounds) {
    if (times.length === 0) continue;
    const first = Math.min(...times);
    const last = Math.max(...times);
    for (const t of times) pooled.push(t - first + offset);
    offset += last - first + gapMs + 1;
  }
  return pooled;
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

export function printScenario({ scenario, stackwatch: sw, cdk, learned }: ScenarioFigures): void {
  console.log(`\n${scenario.title}: ${sw.rounds} round(s), both tools at once against one simulator at 1x`);
  console.log(row('', 'Stackwatch', 'CDK', 'SW ÷ CDK'));
  console.log(numbers('status change reaches the user, p50', sw.p50Ms, cdk.p50Ms, ms));
  console.log(numbers('status change reaches the user, p95', sw.p95Ms, cdk.p95Ms, ms));
  console.log(row('  events shown / events the deploy caused', `${sw.eventsShown}/${sw.eventsHappened}`, `${cdk.eventsShown}/${cdk.eventsHappened}`));
  console.log(numbers("completion after the stack's final event (median)", sw.completionMs, cdk.completionMs, ms));
  console.log(numbers('CPU of the tool process (all rounds)', sw.cpuMs, cdk.cpuMs, ms));
  // cfn-lint runs in a Python child process, which process.cpuUsage() does not count: shown with it too.
  if (sw.childCpuMs !== undefined && cdk.childCpuMs !== undefined)
    console.log(numbers('CPU with its child processes (cfn-lint)', sw.cpuMs + sw.childCpuMs, cdk.cpuMs + cdk.childCpuMs, ms));
  console.log(numbers('API calls (all, by access key)', sw.calls, cdk.calls, (v) => String(v ?? '-')));
  console.log(
    row(
      'DescribeStackEvents pages fetched / with news',
      perPage(sw.pages, sw.pagesWithNews),
      perPage(cdk.pages, cdk.pagesWithNews),
      times(sw.pages / Math.max(1, sw.pagesWithNews) / (cdk.pages / Math.max(1, cdk.pagesWithNews))),
    ),
  );
  if (scenario.id === 'create20') {
    console.log(numbers('deploy → reviewable change set, round 1 (cold)', sw.reviewableColdMs, cdk.reviewableColdMs, ms));
    console.log(numbers('deploy → reviewable change set, rounds 2+ (median)', sw.reviewableWarmMs, cdk.reviewableWarmMs, ms));
  }
  console.log(boundLine(sw, cdk));
  console.log(`  calls, Stackwatch: ${actions(sw.callsByAction)}`);
  console.log(`  calls, CDK:        ${actions(cdk.callsByAction)}`);
  console.log(`  learned durations carried between rounds: ${learned}`);
  for (const [tool, failed] of [
    ['Stackwatch', sw.failed],
    ['CDK', cdk.failed],
  ] as const)
    if (failed.length) console.log(`  ${tool} FAILED ${failed.length} round(s): ${failed.join(' | ')}`);
}

/** One line per round as it ends, so a long run shows progress. */
export function printRound(scenario: Scenario, round: number, result: Record<Tool, ToolRound>): void {
  const line = (r: ToolRound): string => `${r.ok ? 'ok' : 'FAILED'} ${r.eventsShown}/${r.eventsHappened} events, end +${ms(r.completionMs)}, ${r.calls} calls`;
  console.log(`  ${scenario.id} round ${round}: Stackwatch ${line(result.stackwatch)}; CDK ${line(result.cdk)}`);
}
