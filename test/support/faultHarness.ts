/**
 * The fault matrix's rig: a simulator, the fault proxy in front of it, real providers pointed at
 * the proxy, and sessions whose every snapshot is recorded with its wall time. The checks read
 * the truth from the simulator itself (its state and its own call log), never from the session.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach } from 'node:test';
import { OAuth2Client } from 'google-auth-library';
import { config_v1 } from 'googleapis/build/src/apis/config';
import type { Deadlines } from '../../src/deployment/deadlines';
import type { DeploymentInput, DeploymentSnapshot, FinalState, InitializedDeployment } from '../../src/deployment/machine';
import type { WorkspaceSteps } from '../../src/deployment/providerActors';
import { DeploymentSession, type SessionOptions } from '../../src/deployment/session';
import { AwsProvider } from '../../src/providers/aws/awsProvider';
import { GcpProvider } from '../../src/providers/gcp/gcpProvider';
import type { GcpProviderSettings } from '../../src/providers/gcp/settings';
import type { Provider, TargetRef } from '../../src/providers/provider';
import { createBlueprintInitializer } from '../../src/providers/gcp/initializeBlueprint';
import type { TemplateValidator } from '../../src/providers/aws/template/initialize';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { FaultProxy } from '../../tools/fault-proxy/index';
import { startImSim, type ImSim } from '../../tools/im-sim/index';
import { clientFor, deploy } from '../sim/support';
import { MemoryStore, TEST_CREDENTIALS, templateSource, uniqueDeploymentId, waitFor } from './awsDeployment';

/** Every provider call's deadline in the matrix: short, so a stall costs little wall time. */
export const DEADLINE_MS = 1_500;
export const DEADLINES: Deadlines = { read: DEADLINE_MS, write: DEADLINE_MS, initialize: DEADLINE_MS, cleanup: DEADLINE_MS };
/** The acceptance bound: a stall shows *retrying* within the deadline plus one second. */
export const SILENCE_BOUND_MS = DEADLINE_MS + 1_000;

export type { FinalState };

export interface TimelineEntry {
  at: number;
  state: string;
  activity: string;
  error: string;
}

/** A session and every snapshot it (and the sessions that resumed it) produced, with wall times. */
export class Recorded {
  readonly timeline: TimelineEntry[] = [];
  private stopListening: () => void = () => undefined;

  constructor(public session: DeploymentSession) {
    this.attach(session);
  }

  attach(session: DeploymentSession): void {
    this.stopListening();
    this.session = session;
    this.note(session.snapshot);
    this.stopListening = session.onDidChange((snapshot) => this.note(snapshot));
  }

  get snapshot(): DeploymentSnapshot {
    return this.session.snapshot;
  }

  /** The first time the status said *retrying* at or after `since`, as ms after `since`. */
  retryingWithin(since: number): number | undefined {
    const entry = this.timeline.find((e) => e.at >= since && e.error === 'retrying');
    return entry === undefined ? undefined : entry.at - since;
  }

  everWas(predicate: (e: TimelineEntry) => boolean): boolean {
    return this.timeline.some(predicate);
  }

  states(): string[] {
    const out: string[] = [];
    for (const e of this.timeline) if (out[out.length - 1] !== e.state) out.push(e.state);
    return out;
  }

  dispose(): void {
    this.stopListening();
    this.session.dispose();
  }

  private note(snapshot: DeploymentSnapshot): void {
    this.timeline.push({ at: Date.now(), state: stateName(snapshot.value), activity: snapshot.context.status.activity, error: snapshot.context.status.error });
  }
}

export function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const [key, inner] = Object.entries(value as Record<string, unknown>)[0] ?? ['?', undefined];
    return inner === undefined ? key : `${key}.${stateName(inner)}`;
  }
  return String(value);
}

export function waitForState(rec: Recorded, state: string, timeoutMs = 20_000): Promise<DeploymentSnapshot> {
  return waitFor(rec.session, (s) => stateName(s.value) === state || stateName(s.value).startsWith(`${state}.`), timeoutMs, `state ${state}`);
}

export function waitForEnd(rec: Recorded, timeoutMs = 20_000): Promise<DeploymentSnapshot> {
  return waitFor(rec.session, (s) => s.status === 'done', timeoutMs, 'the deployment to end');
}

/** Waits until a condition on the rig holds (the sim's state, the proxy's log). */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Session options with the matrix's deadlines; a deterministic small jitter keeps retries quick. */
function sessionOptions(provider: Provider, workspace: WorkspaceSteps, store: MemoryStore): SessionOptions {
  return { provider, workspace, store, random: () => 0.1, deadlines: DEADLINES };
}

/** Problems found by the invariant checks, reported together so one does not hide another. */
export class Findings {
  readonly problems: string[] = [];
  check(ok: boolean, problem: string): void {
    if (!ok) this.problems.push(problem);
  }
  /** Throws with every problem found, and what happened, for the matrix table. */
  done(context: string): void {
    if (this.problems.length > 0) throw new Error(`${this.problems.join('\n')}\n-- ${context}`);
  }
}

export function describeEnd(rec: Recorded, extra = ''): string {
  const s = rec.snapshot;
  return `observed: ${stateName(s.value)}; error=${s.context.error?.message ?? '-'}; notices=${JSON.stringify(s.context.notices)}; path=${rec.states().join(' > ')}${extra ? `; ${extra}` : ''}`;
}

// ---------------------------------------------------------------- AWS

export const AWS_REGION = 'us-east-1';

export interface AwsRig {
  sim: CfnSim;
  proxy: FaultProxy;
  /** A fresh provider (a new extension host gets a new one), pointed at the proxy. */
  provider(): AwsProvider;
  /** The sim's call log since the last baseline (seeding is not the deployment under test). */
  calls(): ReturnType<CfnSim['calls']>;
  markBaseline(): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startAwsRig(speed = 10): Promise<AwsRig> {
  const sim = await startCfnSim({ speed, changeSetSeconds: 2 });
  const proxy = await FaultProxy.start({ upstream: sim.url });
  const providers: AwsProvider[] = [];
  let baseline = 0;
  return {
    sim,
    proxy,
    calls: () => sim.calls().slice(baseline),
    markBaseline: () => {
      baseline = sim.calls().length;
    },
    provider: () => {
      // requestTimeoutMs is longer than the machine's deadline: the deadline is what is under test.
      const p = new AwsProvider({ region: AWS_REGION, endpoint: proxy.url, credentials: TEST_CREDENTIALS, maxAttempts: 1, requestTimeoutMs: 5_000 });
      providers.push(p);
      return p;
    },
    reset: () => {
      sim.reset();
      sim.setSpeed(speed);
      proxy.reset();
      baseline = 0;
    },
    close: async () => {
      for (const p of providers) p.dispose();
      await proxy.close();
      await sim.close();
    },
  };
}

/** The workspace step as the extension runs it: the template is validated by the provider (ValidateTemplate). */
export function validatingWorkspace(provider: Provider & TemplateValidator, template: string): WorkspaceSteps {
  const source = templateSource(template);
  return {
    preflight: async () => undefined,
    initialize: async (input, signal): Promise<InitializedDeployment> => {
      const validated = await provider.validate({ target: input.target, template: source, signal });
      return { template: source, parameters: [], capabilities: validated.requiredCapabilities, warnings: [] };
    },
  };
}

export interface AwsRun {
  rec: Recorded;
  store: MemoryStore;
  target: TargetRef;
  template: string;
}

export function startAws(rig: AwsRig, stackName: string, template: string, options: { autoExecute?: boolean } = {}): AwsRun {
  const store = new MemoryStore();
  const target: TargetRef = { provider: 'aws', name: stackName, region: AWS_REGION };
  const provider = rig.provider();
  const input: DeploymentInput = { deploymentId: uniqueDeploymentId('fault'), target, autoExecute: options.autoExecute ?? true };
  const session = DeploymentSession.start(input, sessionOptions(provider, validatingWorkspace(provider, template), store));
  return { rec: new Recorded(session), store, target, template };
}

/**
 * The extension host goes away (its session is disposed, its requests die with it) and a new
 * one restores the deployment from persisted state with a new provider instance.
 */
export async function restartAws(rig: AwsRig, run: AwsRun, beforeRestore: () => void = () => rig.proxy.reset()): Promise<void> {
  await run.rec.session.flush();
  run.rec.dispose();
  beforeRestore();
  const provider = rig.provider();
  const restored = await DeploymentSession.restore(run.target, sessionOptions(provider, validatingWorkspace(provider, run.template), run.store));
  if (!restored) throw new Error(`nothing to restore for ${run.target.name}: the persisted session is gone`);
  run.rec.attach(restored);
}

/**
 * Deploys `template` as another client would (the SDK straight at the sim, not through the
 * proxy) and waits until it settles. Its calls are before the baseline, so no check counts them.
 */
export async function seedStack(rig: AwsRig, stackName: string, template: string, options: { update?: boolean } = {}): Promise<void> {
  const cfn = clientFor(rig.sim);
  try {
    const stack = await deploy(rig.sim, cfn, stackName, template, { update: options.update });
    if (!/_COMPLETE$/.test(stack.StackStatus ?? '')) throw new Error(`seeding ${stackName} ended ${stack.StackStatus ?? '?'}`);
  } finally {
    cfn.destroy();
  }
  rig.markBaseline();
}

export function stackView(rig: AwsRig, stackName: string): ReturnType<CfnSim['stacks']>[number] | undefined {
  return rig.sim.stacks().find((s) => s.name === stackName && !s.deleted);
}

/** Effective executions: ExecuteChangeSet calls the simulator accepted, one per (change set, token). */
export function awsExecutions(rig: AwsRig): Map<string, number> {
  const seen = new Set<string>();
  const perChangeSet = new Map<string, number>();
  for (const call of rig.calls()) {
    if (call.action !== 'ExecuteChangeSet' || call.status !== 200) continue;
    const changeSet = call.params['ChangeSetName'] ?? '?';
    const key = `${changeSet}|${call.params['ClientRequestToken'] ?? Math.random()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    perChangeSet.set(changeSet, (perChangeSet.get(changeSet) ?? 0) + 1);
  }
  return perChangeSet;
}

export interface AwsExpectations {
  stackName: string;
  /** The machine's final state. */
  outcome: FinalState | FinalState[];
  /** The simulator's truth for the stack at the end; undefined = no stack. */
  stackStatus?: string | RegExp;
  /** How many of our change sets were executed (0 or 1). */
  executions: number;
  /** The test consented to deleting the stack (recovery). */
  consentedDelete?: boolean;
}

/** The invariants every AWS matrix entry asserts. */
export function checkAws(rig: AwsRig, rec: Recorded, expected: AwsExpectations, findings = new Findings()): Findings {
  const end = rec.snapshot;
  const outcomes = Array.isArray(expected.outcome) ? expected.outcome : [expected.outcome];
  const stack = stackView(rig, expected.stackName);
  findings.check(end.status === 'done', `the deployment did not end (state ${stateName(end.value)})`);
  findings.check(outcomes.includes(stateName(end.value) as FinalState), `outcome ${stateName(end.value)}, expected ${outcomes.join(' or ')}`);
  if (expected.stackStatus === undefined) findings.check(stack === undefined, `a stack ${stack?.status ?? ''} exists, expected none`);
  else {
    const ok = typeof expected.stackStatus === 'string' ? stack?.status === expected.stackStatus : expected.stackStatus.test(stack?.status ?? 'none');
    findings.check(ok, `the sim's stack is ${stack?.status ?? 'gone'}, expected ${String(expected.stackStatus)}`);
  }
  // The outcome never contradicts the stack's own status.
  const truth = stack?.status ?? 'none';
  if (stateName(end.value) === 'succeeded') findings.check(/^(CREATE|UPDATE)_COMPLETE$/.test(truth), `said succeeded while the stack is ${truth}`);
  if (stateName(end.value) === 'failed' && expected.executions > 0)
    findings.check(!/^(CREATE|UPDATE)_COMPLETE$/.test(truth), `said failed while the stack is ${truth}`);

  const executions = awsExecutions(rig);
  for (const [changeSet, count] of executions) findings.check(count <= 1, `change set ${changeSet} executed ${count} times`);
  const total = [...executions.values()].reduce((a, b) => a + b, 0);
  findings.check(total === expected.executions, `${total} executions, expected ${expected.executions}`);

  for (const s of rig.sim.stacks()) {
    if (s.deleted) continue;
    findings.check(s.status !== 'REVIEW_IN_PROGRESS', `stack ${s.name} left in REVIEW_IN_PROGRESS`);
    const left = s.changeSets.filter((c) => c.executionStatus === 'AVAILABLE' || c.executionStatus === 'UNAVAILABLE' || c.status === 'FAILED');
    findings.check(left.length === 0, `change sets left behind on ${s.name}: ${left.map((c) => `${c.name} ${c.status}/${c.executionStatus}`).join(', ')}`);
  }
  const createNames = new Set(
    rig
      .calls()
      .filter((c) => c.action === 'CreateChangeSet')
      .map((c) => c.params['ChangeSetName']),
  );
  findings.check(createNames.size <= 1, `CreateChangeSet used ${createNames.size} names: ${[...createNames].join(', ')}`);

  if (!expected.consentedDelete) {
    for (const call of rig.calls().filter((c) => c.action === 'DeleteStack')) {
      const name = call.params['StackName'] ?? '';
      const deleted = rig.sim.stacks().find((s) => s.id === name || s.name === name);
      // Removing the empty REVIEW_IN_PROGRESS shell our own CREATE change set made is cleanup, not a delete.
      const emptyShell =
        deleted !== undefined &&
        deleted.resources.every((r) => r.status === 'DELETE_COMPLETE' || r.status === 'REVIEW_IN_PROGRESS') &&
        deleted.resources.length === 0;
      findings.check(emptyShell, `DeleteStack ${name} without consent`);
    }
  }
  return findings;
}

/** The stall bound: *retrying* shown within deadline + 1 s of the stall starting. */
export function checkRetryingSoon(rec: Recorded, stallAt: number, findings: Findings): void {
  const after = rec.retryingWithin(stallAt);
  findings.check(
    after !== undefined && after <= SILENCE_BOUND_MS,
    after === undefined ? 'never showed retrying after the stall' : `retrying shown ${after} ms after the stall (bound ${SILENCE_BOUND_MS} ms)`,
  );
}

// ---------------------------------------------------------------- Google Cloud

export const GCP_PROJECT = 'orders-prod';
export const GCP_LOCATION = 'us-central1';
export const GCP_PARENT = `projects/${GCP_PROJECT}/locations/${GCP_LOCATION}`;

export interface GcpRig {
  sim: ImSim;
  proxy: FaultProxy;
  folder: string;
  settings(deploymentName: string): GcpProviderSettings;
  provider(settings: GcpProviderSettings): GcpProvider;
  /** The sim's own API, not through the proxy, for reading the truth. */
  direct: config_v1.Config;
  writeBlueprint(files: Record<string, string>): Promise<void>;
  /** The sim's requests since the last baseline (seeding is not the deployment under test). */
  requests(): ReturnType<ImSim['requests']>;
  /** Objects uploaded since the last baseline. */
  newObjects(): ReturnType<ImSim['objects']>;
  markBaseline(): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startGcpRig(speed = 10): Promise<GcpRig> {
  const sim = await startImSim({ speed, previewSeconds: 3, resourceSeconds: 2, setupSeconds: 1 });
  const proxy = await FaultProxy.start({ upstream: sim.rootUrl });
  const folder = await mkdtemp(join(tmpdir(), 'stackwatch-faults-'));
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: sim.token });
  let baseline = { requests: 0, objects: new Set<string>() };
  const objectKey = (o: { name: string; generation: string }): string => `${o.name}#${o.generation}`;
  return {
    sim,
    proxy,
    folder,
    requests: () => sim.requests().slice(baseline.requests),
    newObjects: () => sim.objects().filter((o) => !baseline.objects.has(objectKey(o))),
    markBaseline: () => {
      baseline = { requests: sim.requests().length, objects: new Set(sim.objects().map(objectKey)) };
    },
    direct: new config_v1.Config({ rootUrl: sim.rootUrl, auth }),
    settings: (deploymentName) => ({
      project: GCP_PROJECT,
      location: GCP_LOCATION,
      deploymentName,
      serviceAccount: `deployer@${GCP_PROJECT}.iam.gserviceaccount.com`,
      blueprintFolder: folder,
      inputValues: {},
      stagingBucket: `${GCP_PROJECT}-blueprints`,
      endpoint: proxy.rootUrl,
    }),
    provider: (settings) => {
      const authClient = new OAuth2Client();
      authClient.setCredentials({ access_token: sim.token });
      return new GcpProvider(settings, { authClient, rootUrl: proxy.rootUrl });
    },
    writeBlueprint: async (files) => {
      for (const [name, text] of Object.entries(files)) await writeFile(join(folder, name), text);
    },
    reset: () => {
      sim.reset();
      sim.setSpeed(speed);
      proxy.reset();
      baseline = { requests: 0, objects: new Set<string>() };
    },
    close: async () => {
      await proxy.close();
      await sim.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/**
 * Registers, in the enclosing describe, the hooks every Google Cloud fault-matrix file shares: the
 * rig started once, reset and given `files` as its blueprint before each test, closed at the end.
 * The rig returned forwards to the started one, so it can be named before the before() hook runs.
 */
export function useGcpRig(files: Record<string, string>): { rig: GcpRig; nextId: (prefix: string) => string } {
  let started: GcpRig | undefined;
  let counter = 0;
  const live = (): GcpRig => {
    if (!started) throw new Error('the GCP fault rig is used before its before() hook ran');
    return started;
  };
  before(async () => {
    started = await startGcpRig();
  });
  beforeEach(async () => {
    live().reset();
    await live().writeBlueprint(files);
  });
  after(async () => started?.close());
  const rig: GcpRig = {
    get sim() {
      return live().sim;
    },
    get proxy() {
      return live().proxy;
    },
    get folder() {
      return live().folder;
    },
    get direct() {
      return live().direct;
    },
    settings: (deploymentName) => live().settings(deploymentName),
    provider: (settings) => live().provider(settings),
    writeBlueprint: (blueprint) => live().writeBlueprint(blueprint),
    requests: () => live().requests(),
    newObjects: () => live().newObjects(),
    markBaseline: () => live().markBaseline(),
    reset: () => live().reset(),
    close: () => live().close(),
  };
  return { rig, nextId: (prefix) => `${prefix}-${++counter}` };
}

export interface GcpRun {
  rec: Recorded;
  store: MemoryStore;
  target: TargetRef;
  settings: GcpProviderSettings;
}

function gcpWorkspace(settings: GcpProviderSettings, provider: GcpProvider): WorkspaceSteps {
  return {
    preflight: async () => undefined,
    initialize: createBlueprintInitializer(settings, {
      displayPath: (p) => p.split('/').slice(-1).join('/'),
      identity: () => provider.describeIdentity(AbortSignal.timeout(10_000)),
    }),
  };
}

export function startGcp(rig: GcpRig, deploymentName: string, options: { autoExecute?: boolean } = {}): GcpRun {
  const settings = rig.settings(deploymentName);
  const provider = rig.provider(settings);
  const store = new MemoryStore();
  const target: TargetRef = { provider: 'gcp', name: deploymentName, region: GCP_LOCATION };
  const session = DeploymentSession.start(
    { deploymentId: uniqueDeploymentId('gfault'), target, autoExecute: options.autoExecute ?? true },
    sessionOptions(provider, gcpWorkspace(settings, provider), store),
  );
  return { rec: new Recorded(session), store, target, settings };
}

export async function restartGcp(rig: GcpRig, run: GcpRun): Promise<void> {
  await run.rec.session.flush();
  run.rec.dispose();
  rig.proxy.reset();
  const provider = rig.provider(run.settings);
  const restored = await DeploymentSession.restore(run.target, sessionOptions(provider, gcpWorkspace(run.settings, provider), run.store));
  if (!restored) throw new Error(`nothing to restore for ${run.target.name}: the persisted session is gone`);
  run.rec.attach(restored);
}

/** Effective applies: deployments.create / patch the sim accepted, one per requestId. */
export function gcpApplies(rig: GcpRig, deploymentName: string): number {
  const ids = new Set<string>();
  for (const r of rig.requests()) {
    const isCreate = r.method === 'POST' && r.path.endsWith(`${GCP_PARENT}/deployments`) && r.query['deploymentId'] === deploymentName;
    const isPatch = r.method === 'PATCH' && r.path.endsWith(`${GCP_PARENT}/deployments/${deploymentName}`);
    if ((isCreate || isPatch) && r.status === 200) ids.add(r.query['requestId'] ?? `${Math.random()}`);
  }
  return ids.size;
}

export interface GcpExpectations {
  deploymentName: string;
  outcome: FinalState | FinalState[];
  /** The sim's deployment state at the end; undefined = no deployment. */
  deploymentState?: string;
  applies: number;
  /** The outcome keeps the uploaded blueprint (a revision points at it). */
  keepsBlueprint: boolean;
  consentedDelete?: boolean;
}

export async function checkGcp(rig: GcpRig, rec: Recorded, expected: GcpExpectations, findings = new Findings()): Promise<Findings> {
  const end = rec.snapshot;
  const outcomes = Array.isArray(expected.outcome) ? expected.outcome : [expected.outcome];
  findings.check(end.status === 'done', `the deployment did not end (state ${stateName(end.value)})`);
  findings.check(outcomes.includes(stateName(end.value) as FinalState), `outcome ${stateName(end.value)}, expected ${outcomes.join(' or ')}`);
  const deployment = rig.sim.deployments().find((d) => d['name'] === `${GCP_PARENT}/deployments/${expected.deploymentName}`);
  findings.check(
    deployment?.['state'] === expected.deploymentState,
    `the sim's deployment is ${JSON.stringify(deployment?.['state'] ?? 'absent')}, expected ${expected.deploymentState ?? 'absent'}`,
  );
  if (stateName(end.value) === 'succeeded')
    findings.check(deployment?.['state'] === 'ACTIVE', `said succeeded while the deployment is ${JSON.stringify(deployment?.['state'] ?? 'absent')}`);

  const applies = gcpApplies(rig, expected.deploymentName);
  findings.check(applies === expected.applies, `${applies} applies, expected ${expected.applies}`);

  const { data } = await rig.direct.projects.locations.previews.list({ parent: GCP_PARENT });
  const previews = data.previews ?? [];
  findings.check(previews.length === 0, `previews left behind: ${previews.map((p) => `${p.name ?? '?'} ${p.state ?? '?'}`).join(', ')}`);
  if (!expected.keepsBlueprint) {
    const objects = rig.newObjects();
    findings.check(objects.length === 0, `uploaded blueprints left behind: ${objects.map((o) => o.name).join(', ')}`);
  }
  if (!expected.consentedDelete) {
    const deletes = rig.requests().filter((r) => r.method === 'DELETE' && /\/deployments\/[^/]+$/.test(r.path));
    findings.check(deletes.length === 0, `deployments.delete without consent (${deletes.length})`);
  }
  return findings;
}

/** A deployment made earlier by Stackwatch, without faults; the checks start counting after it. */
export async function seedGcp(rig: GcpRig, deploymentName: string): Promise<void> {
  const run = startGcp(rig, deploymentName);
  const end = await waitForEnd(run.rec);
  run.rec.dispose();
  if (end.value !== 'succeeded') throw new Error(`seeding ${deploymentName} ended ${stateName(end.value)}: ${end.context.error?.message ?? ''}`);
  rig.proxy.reset();
  rig.markBaseline();
}

export { MemoryStore };
