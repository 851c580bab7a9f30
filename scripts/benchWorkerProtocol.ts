/**
 * The side-by-side bench's two workers (benchWorkerCdk.ts, benchWorkerStackwatch.ts) are child
 * processes, one per tool, so each tool's CPU is its own process's: they live for the whole run
 * (as a VS Code extension host does; a CDK CLI would even pay its start-up on every deploy), take
 * one deploy at a time from the parent, and answer with what they saw and when.
 */
import { readFileSync } from 'node:fs';

export type Tool = 'stackwatch' | 'cdk';

export interface DeployOrder {
  kind: 'deploy';
  round: number;
  scenario: string;
  stackName: string;
  /** The CloudFormation template, as an object; each worker writes it where its tool reads it. */
  template: object;
  /** A folder the worker may write in for this deploy. */
  workDir: string;
  /** Stackwatch: the learned durations the earlier rounds left (JSON), read before and written after the deploy. */
  learnedPath?: string;
}

export interface DeployReport {
  kind: 'report';
  tool: Tool;
  /** The deploy ended in success (CREATE_COMPLETE / UPDATE_COMPLETE). */
  ok: boolean;
  /** How it ended, in the tool's words (a final state, an error message). */
  outcome: string;
  /** Epoch ms: the tool was asked to deploy / said it was done. */
  startedAt: number;
  endedAt: number;
  /** process.cpuUsage() user + system between those moments, ms. */
  cpuMs: number;
  /** CPU of child processes that ended in that window (cfn-lint), ms; undefined off Linux. */
  childCpuMs?: number;
  /** EventId → epoch ms when the tool first showed it to the user. */
  sightings: Record<string, number>;
  /** Stackwatch: epoch ms when the staged change list first reached the user. */
  reviewableAt?: number;
  /** Stackwatch: whether the learned durations were loaded and saved. */
  learned?: 'wired' | 'not available';
  /** Stackwatch: how many resources' own durations it knew when this deploy started. */
  learnedResources?: number;
}

export type ParentMessage = DeployOrder | { kind: 'exit' };
export type WorkerMessage = DeployReport | { kind: 'ready' } | { kind: 'failed'; message: string };

/** User + system CPU since `since`, ms. */
export function cpuMsSince(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/**
 * CPU time of this process's ended and waited-for children (fields 16 and 17 of /proc/self/stat,
 * in clock ticks of 1/100 s on Linux), ms. cfn-lint runs in such a child; process.cpuUsage() does
 * not count it. Undefined where /proc is missing.
 */
export function childCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[13]) + Number(fields[14]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

function send(message: WorkerMessage): void {
  process.send?.(message);
}

/** The worker's loop: announce readiness, run each order in turn, exit when told to or when the parent goes. */
export function serveDeploys(deploy: (order: DeployOrder) => Promise<DeployReport>): void {
  if (!process.send) throw new Error('a bench worker runs as a child process forked by scripts/bench.ts');
  let queue: Promise<void> = Promise.resolve();
  process.on('message', (message: ParentMessage) => {
    if (message.kind === 'exit') {
      void queue.then(() => process.exit(0));
      return;
    }
    queue = queue.then(() =>
      deploy(message).then(send, (error: unknown) =>
        send({ kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      ),
    );
  });
  process.on('disconnect', () => process.exit(0));
  send({ kind: 'ready' });
}
