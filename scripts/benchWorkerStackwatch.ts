/**
 * Stackwatch's side of the side-by-side bench, in its own process: the extension's real path
 * without VS Code. The AWS runtime's own steps (src/providers/aws/steps.ts: the AwsProvider, the
 * template initializer and the cfn-lint check beside staging), and a DeploymentSession with auto-execute,
 * against the simulator that AWS_ENDPOINT_URL names. A status change reaches the user when its event first appears in a session snapshot
 * (what the monitor and the status bar render from); the change list is reviewable when the
 * staged changes first do.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DeploymentSession } from '../src/deployment/session';
import type { DeploymentSnapshot } from '../src/deployment/machine';
import type { AwsStackSettings } from '../src/providers/aws/settings';
import { awsSteps } from '../src/providers/aws/steps';
import type { ProviderMemory } from '../src/providers/descriptor';
import { childCpuMs, cpuMsSince, serveDeploys, type DeployOrder, type DeployReport } from './benchWorkerProtocol';
import { loadLearned, saveLearned } from './benchLearned';

function settingsFor(order: DeployOrder, templatePath: string): AwsStackSettings {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!endpoint) throw new Error('the Stackwatch bench worker needs AWS_ENDPOINT_URL (the simulator)');
  return {
    provider: 'aws',
    autoExecute: true,
    templatePath,
    stackName: order.stackName,
    region: process.env.AWS_REGION ?? 'us-east-1',
    endpoint,
    parameters: {},
    capabilities: [],
    cfnLint: 'auto',
  };
}

/** The extension's workspace state (a Memento) for the worker's lifetime: the cfn-lint cache lives in it. */
function workspaceMemory(): ProviderMemory {
  const values = new Map<string, unknown>();
  return {
    get: <T>(key: string) => values.get(key) as T | undefined,
    update: async (key, value) => {
      values.set(key, value);
    },
  };
}

const memory = workspaceMemory();

/** Notes the moment each event first appears; snapshots append events, so only the new tail is read. */
function eventWatcher(sightings: Record<string, number>): (snapshot: DeploymentSnapshot) => void {
  let lastEvents: unknown;
  return (snapshot) => {
    const events = snapshot.context.events;
    if (events === lastEvents) return;
    lastEvents = events;
    const now = Date.now();
    for (let i = events.length - 1; i >= 0; i--) {
      const id = events[i]?.id ?? '';
      if (id in sightings) break;
      sightings[id] = now;
    }
  };
}

async function deploy(order: DeployOrder): Promise<DeployReport> {
  // One folder per scenario, the same every round: an unchanged template is the same file with the same content.
  const folder = join(order.workDir, order.scenario);
  mkdirSync(folder, { recursive: true });
  const templatePath = join(folder, 'template.json');
  writeFileSync(templatePath, JSON.stringify(order.template, null, 1));
  const sightings: Record<string, number> = {};
  let reviewableAt: number | undefined;
  const cpu = process.cpuUsage();
  const children = childCpuMs();
  const startedAt = Date.now();

  const steps = awsSteps(settingsFor(order, templatePath), {
    workspaceFolder: folder,
    displayPath: (p) => basename(p),
    info: () => undefined,
    memory,
  });
  const learned = loadLearned(order.learnedPath);
  const session = DeploymentSession.start(
    {
      deploymentId: `bench-${order.scenario}-${order.round}-${startedAt.toString(36)}`,
      target: { provider: 'aws', name: order.stackName, region: 'us-east-1' },
      autoExecute: true,
    },
    { provider: steps.provider, workspace: { preflight: async () => undefined, initialize: steps.initialize, check: steps.check }, ...learned.sessionOption },
  );
  const watchEvents = eventWatcher(sightings);
  session.onDidChange((snapshot) => {
    if (reviewableAt === undefined && snapshot.context.changes.length > 0) reviewableAt = Date.now();
    watchEvents(snapshot);
  });
  const end = await session.finished;
  const endedAt = Date.now();
  session.dispose();
  steps.provider.dispose();
  const childrenAfter = childCpuMs();
  const cpuMs = cpuMsSince(cpu);
  const state = typeof end.value === 'string' ? end.value : JSON.stringify(end.value);
  await saveLearned(learned, end);
  return {
    kind: 'report',
    tool: 'stackwatch',
    ok: state === 'succeeded',
    outcome: end.context.error ? `${state}: ${end.context.error.message}` : state,
    startedAt,
    endedAt,
    cpuMs,
    childCpuMs: children === undefined || childrenAfter === undefined ? undefined : childrenAfter - children,
    sightings,
    reviewableAt,
    learned: learned.status,
    learnedResources: Object.keys(learned.sessionOption.durations?.byResource ?? {}).length,
  };
}

serveDeploys(deploy);
