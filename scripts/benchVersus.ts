/**
 * Stackwatch and the AWS CDK side by side (issue 13): in each round both deploy their own stack
 * from the same template at the same time, each in its own child process, against one simulator
 * at real speed in this process, whose durations are fractional and jittered per round (the same
 * for both stacks). The simulator attributes every call to its caller's access key, so each tool
 * is charged only its own calls; a third "admin" key sets up and clears the stacks between rounds.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCfnSim, type CfnSim, type CallRecord } from '../tools/cfn-sim/index';
import { BenchAdmin } from './benchAdmin';
import { toolFigures, toolRound, type ToolFigures, type ToolRound } from './benchFigures';
import type { Window } from './benchBound';
import { JITTER, SCENARIOS, baseSeconds, seedFor, templateFor, type Scenario } from './benchScenarios';
import type { DeployOrder, DeployReport, Tool, WorkerMessage } from './benchWorkerProtocol';

const KEYS: Record<Tool, string> = { stackwatch: 'bench-stackwatch', cdk: 'bench-cdk' };
const WORKERS: Record<Tool, string> = { stackwatch: 'scripts/benchWorkerStackwatch.ts', cdk: 'scripts/benchWorkerCdk.ts' };

export interface ScenarioFigures {
  scenario: Scenario;
  stackwatch: ToolFigures;
  cdk: ToolFigures;
  learned: string;
}

/** A worker process and its one-at-a-time conversation. */
class Worker {
  private pending?: { resolve: (report: DeployReport) => void; reject: (error: Error) => void };
  private readonly ready: Promise<void>;

  private constructor(
    readonly tool: Tool,
    private readonly child: ChildProcess,
  ) {
    let markReady: () => void = () => undefined;
    let failEarly: (error: Error) => void = () => undefined;
    this.ready = new Promise((resolve, reject) => {
      markReady = resolve;
      failEarly = reject;
    });
    child.on('message', (message: WorkerMessage) => {
      if (message.kind === 'ready') markReady();
      else if (message.kind === 'report') this.settle((p) => p.resolve(message));
      else this.settle((p) => p.reject(new Error(`${tool} worker: ${message.message}`)));
    });
    child.on('exit', (code) => {
      const error = new Error(`${tool} worker exited (code ${code})`);
      failEarly(error);
      this.settle((p) => p.reject(error));
    });
  }

  static async start(tool: Tool, env: NodeJS.ProcessEnv): Promise<Worker> {
    const child = fork(WORKERS[tool], [], { execArgv: ['--import', 'tsx'], env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const worker = new Worker(tool, child);
    await worker.ready;
    return worker;
  }

  deploy(order: DeployOrder): Promise<DeployReport> {
    if (this.pending) throw new Error(`${this.tool} worker is busy`);
    const report = new Promise<DeployReport>((resolve, reject) => (this.pending = { resolve, reject }));
    this.child.send(order);
    return report;
  }

  stop(): void {
    if (this.child.connected) this.child.send({ kind: 'exit' });
  }

  private settle(how: (pending: { resolve: (report: DeployReport) => void; reject: (error: Error) => void }) => void): void {
    const pending = this.pending;
    this.pending = undefined;
    if (pending) how(pending);
  }
}

function workerEnv(sim: CfnSim, tool: Tool): NodeJS.ProcessEnv {
  const { AWS_PROFILE: _profile, AWS_SESSION_TOKEN: _token, AWS_CONFIG_FILE: _config, ...rest } = process.env;
  return {
    ...rest,
    AWS_ENDPOINT_URL: sim.url,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: KEYS[tool],
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_EC2_METADATA_DISABLED: 'true',
    // The SDK's note that newer versions will want Node 22 is noise on every worker's stderr.
    NODE_NO_WARNINGS: '1',
  };
}

function stackNameFor(tool: Tool, scenario: Scenario): string {
  // Stackwatch's stack keeps its name across rounds: what it learns is kept per target.
  return `bench-${tool === 'stackwatch' ? 'sw' : 'cdk'}-${scenario.id}`;
}

/** The live stack of that name right after its deploy, and its events. */
function stackEvents(sim: CfnSim, stackName: string): ReturnType<CfnSim['eventLog']> {
  const live = sim.stacks().find((s) => s.name === stackName && !s.deleted);
  if (!live) return [];
  return sim.eventLog().filter((e) => e.stackId === live.id);
}

interface RunContext {
  sim: CfnSim;
  admin: BenchAdmin;
  workers: Record<Tool, Worker>;
  workDir: string;
  learnedPath: string;
}

async function runRound(ctx: RunContext, scenario: Scenario, round: number): Promise<Record<Tool, ToolRound>> {
  const tools: Tool[] = ['stackwatch', 'cdk'];
  for (const tool of tools) await ctx.admin.remove(stackNameFor(tool, scenario));
  if (scenario.touched) for (const tool of tools) await ctx.admin.create(stackNameFor(tool, scenario), templateFor(scenario, 'base'));
  ctx.sim.configure({ durationSeed: seedFor(scenario, round) });
  const clockOffsetMs = ctx.sim.now() - Date.now();
  const firstCall = ctx.sim.calls().length;
  const template = templateFor(scenario);
  const order = (tool: Tool): DeployOrder => ({
    kind: 'deploy',
    round,
    scenario: scenario.id,
    stackName: stackNameFor(tool, scenario),
    template,
    workDir: join(ctx.workDir, tool),
    learnedPath: tool === 'stackwatch' ? ctx.learnedPath : undefined,
  });
  // Both at once: the same simulated minutes, the same machine load.
  const [stackwatch, cdk] = await Promise.all([ctx.workers.stackwatch.deploy(order('stackwatch')), ctx.workers.cdk.deploy(order('cdk'))]);
  const calls = ctx.sim.calls().slice(firstCall);
  const reports: Record<Tool, DeployReport> = { stackwatch, cdk };
  const result = {} as Record<Tool, ToolRound>;
  dumpRound(scenario, round, reports, calls, (tool) => stackEvents(ctx.sim, stackNameFor(tool, scenario)), clockOffsetMs);
  for (const tool of tools) {
    const events = stackEvents(ctx.sim, stackNameFor(tool, scenario));
    result[tool] = toolRound({
      report: reports[tool],
      calls: calls.filter((c) => c.accessKeyId === KEYS[tool]),
      events,
      clockOffsetMs,
      completionWindows: completionWindows(events, reports[tool].startedAt, clockOffsetMs),
    });
  }
  return result;
}

/**
 * Each queue's completion window this round, from its start (the first in-progress event of the
 * deploy) and its usual duration ± JITTER: what a poller that knew the usual durations exactly
 * could expect (benchBound.ts). Wall-clock ms.
 */
function completionWindows(events: ReturnType<CfnSim['eventLog']>, startedAt: number, clockOffsetMs: number): Window[] {
  const starts = new Map<string, number>();
  const windows: Window[] = [];
  for (const e of events) {
    const at = e.at - clockOffsetMs;
    const index = /^Queue(\d+)$/.exec(e.logicalId)?.[1];
    if (at < startedAt || index === undefined) continue;
    if (e.status.endsWith('_IN_PROGRESS') && !starts.has(e.logicalId)) starts.set(e.logicalId, at);
    const start = starts.get(e.logicalId);
    if (e.status.endsWith('_COMPLETE') && start !== undefined) {
      const usual = baseSeconds(Number(index)) * 1000;
      windows.push([start + usual * (1 - JITTER), start + usual * (1 + JITTER)]);
    }
  }
  return windows;
}

/**
 * With STACKWATCH_BENCH_DUMP set to a file, every round's events (when each happened and when each
 * tool showed it) and calls are appended to it as one JSON line, relative to the deploy's start:
 * what the summary figures hide (which events are late, and where the polls landed).
 */
function dumpRound(
  scenario: Scenario,
  round: number,
  reports: Record<Tool, DeployReport>,
  calls: readonly CallRecord[],
  eventsOf: (tool: Tool) => ReturnType<CfnSim['eventLog']>,
  clockOffsetMs: number,
): void {
  const path = process.env.STACKWATCH_BENCH_DUMP;
  if (!path) return;
  for (const tool of ['stackwatch', 'cdk'] as const) {
    const start = reports[tool].startedAt;
    const line = {
      scenario: scenario.id,
      round,
      tool,
      events: eventsOf(tool).map((e) => {
        const seen = reports[tool].sightings[e.eventId];
        const at = e.at - clockOffsetMs - start;
        return { logicalId: e.logicalId, status: e.status, at, seenAt: seen === undefined ? null : seen - start };
      }),
      calls: calls
        .filter((c) => c.accessKeyId === KEYS[tool])
        .map((c) => ({
          action: c.action,
          at: Date.parse(c.at) - start,
          answeredAt: c.answeredAt ? Date.parse(c.answeredAt) - start : null,
          news: c.news ?? null,
        })),
    };
    appendFileSync(path, `${JSON.stringify(line)}\n`);
  }
}

export interface VersusOptions {
  rounds: number;
  /** Called after each round, for progress on a long run. */
  onRound?: (scenario: Scenario, round: number, result: Record<Tool, ToolRound>) => void;
}

export async function benchVersus(options: VersusOptions): Promise<ScenarioFigures[]> {
  const sim = await startCfnSim({ speed: 1, durationJitter: JITTER });
  const workDir = mkdtempSync(join(tmpdir(), 'stackwatch-bench-versus-'));
  const admin = new BenchAdmin(sim);
  const started: Worker[] = [];
  try {
    const [stackwatch, cdk] = await Promise.all([Worker.start('stackwatch', workerEnv(sim, 'stackwatch')), Worker.start('cdk', workerEnv(sim, 'cdk'))]);
    started.push(stackwatch, cdk);
    // Empty at the start of every bench run; the Stackwatch worker reads and writes it each round.
    const ctx: RunContext = { sim, admin, workers: { stackwatch, cdk }, workDir, learnedPath: join(workDir, 'learned-durations.json') };
    const figures: ScenarioFigures[] = [];
    for (const scenario of SCENARIOS) {
      const rounds: Record<Tool, ToolRound[]> = { stackwatch: [], cdk: [] };
      for (let round = 1; round <= options.rounds; round++) {
        const result = await runRound(ctx, scenario, round);
        rounds.stackwatch.push(result.stackwatch);
        rounds.cdk.push(result.cdk);
        options.onRound?.(scenario, round, result);
      }
      for (const tool of ['stackwatch', 'cdk'] as const) await admin.remove(stackNameFor(tool, scenario));
      const status = rounds.stackwatch[0]?.learned ?? 'not available';
      const known = rounds.stackwatch.map((r) => r.learnedResources ?? 0).join(', ');
      const learned = status === 'wired' ? `wired (resource durations known at each round's start: ${known})` : status;
      figures.push({ scenario, stackwatch: toolFigures(rounds.stackwatch), cdk: toolFigures(rounds.cdk), learned });
    }
    return figures;
  } finally {
    for (const worker of started) worker.stop();
    admin.dispose();
    await sim.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}
