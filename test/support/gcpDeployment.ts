/**
 * Runs real deployments against im-sim: the real machine, the Infrastructure Manager adapter,
 * the real googleapis client and the real blueprint initializer.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach } from 'node:test';
import { OAuth2Client } from 'google-auth-library';
import { config_v1 } from 'googleapis/build/src/apis/config';
import { DeploymentSession } from '../../src/deployment/session';
import { GcpProvider, type GcpProviderDeps } from '../../src/providers/gcp/gcpProvider';
import type { GcpProviderSettings } from '../../src/providers/gcp/settings';
import type { OperationRef, PollResult, TargetRef } from '../../src/providers/provider';
import { createBlueprintInitializer } from '../../src/providers/gcp/initializeBlueprint';
import { startImSim, type ImSim, type ImSimOptions } from '../../tools/im-sim/index';
import { uniqueDeploymentId } from './awsDeployment';

export function gcpSettings(sim: ImSim, blueprintFolder: string, overrides: Partial<GcpProviderSettings> = {}): GcpProviderSettings {
  return {
    project: 'orders-prod',
    location: 'us-central1',
    deploymentName: 'orders',
    serviceAccount: 'deployer@orders-prod.iam.gserviceaccount.com',
    blueprintFolder,
    inputValues: {},
    stagingBucket: 'orders-prod-blueprints',
    endpoint: sim.rootUrl,
    ...overrides,
  };
}

/**
 * A provider with the sim's bearer token, or (adc) with Application Default Credentials.
 * `rootUrl` sends it elsewhere (a fault proxy in front of the sim); `deps` sets its deadlines.
 */
export function gcpProvider(
  sim: ImSim,
  settings: GcpProviderSettings,
  options: { adc?: boolean; rootUrl?: string; deps?: Omit<GcpProviderDeps, 'authClient' | 'rootUrl'> } = {},
): GcpProvider {
  const rootUrl = options.rootUrl ?? sim.rootUrl;
  if (options.adc) return new GcpProvider(settings, { ...options.deps, rootUrl });
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: sim.token });
  return new GcpProvider(settings, { ...options.deps, authClient, rootUrl });
}

/** A provider for `deploymentName` (gcpSettings with `overrides`), its settings, and the target the machine names for it. */
export function gcpTarget(
  sim: ImSim,
  blueprintFolder: string,
  deploymentName: string,
  overrides: Partial<GcpProviderSettings> = {},
  options: Parameters<typeof gcpProvider>[2] = {},
): { provider: GcpProvider; settings: GcpProviderSettings; target: TargetRef } {
  const settings = gcpSettings(sim, blueprintFolder, { deploymentName, ...overrides });
  return { provider: gcpProvider(sim, settings, options), settings, target: { provider: 'gcp', name: deploymentName, region: settings.location } };
}

/** The sim's own API with its token, not through the adapter: for reading the truth and acting as someone else. */
export function imSimClient(sim: ImSim): config_v1.Config {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: sim.token });
  return new config_v1.Config({ rootUrl: sim.rootUrl, auth });
}

/** Repeats `work`, moving im-sim's time by `step` seconds between tries, until `done` says it has settled. */
export async function settleSim<T>(sim: ImSim, work: () => Promise<T>, done: (value: T) => boolean, step = 1, max = 300): Promise<T> {
  for (let i = 0; i < max; i++) {
    const value = await work();
    if (done(value)) return value;
    sim.advance(step);
  }
  throw new Error('the sim never settled');
}

/** Polls `operation` from its first answer, moving im-sim's time a second between polls, until it has ended; `onPoll` sees every poll. The last poll. */
export function polledToEnd(
  sim: ImSim,
  provider: GcpProvider,
  target: TargetRef,
  operation: OperationRef,
  onPoll: (polled: PollResult) => void = () => undefined,
): Promise<PollResult> {
  let cursor: string | undefined;
  return settleSim(
    sim,
    async () => {
      const polled = await provider.poll({ target, operation, cursor, signal: AbortSignal.timeout(10_000) });
      cursor = polled.cursor;
      onPoll(polled);
      return polled;
    },
    (r) => r.phase !== 'inProgress',
  );
}

export interface ImSimFolder {
  readonly sim: ImSim;
  /** This test's blueprint folder, new for each test. */
  readonly folder: string;
  /** settleSim on this sim. */
  settle<T>(work: () => Promise<T>, done: (value: T) => boolean, step?: number, max?: number): Promise<T>;
}

/**
 * Registers, in the enclosing describe, the hooks the adapter tests share: im-sim started once with
 * time standing still (moved by the test), reset before each test and given a new blueprint folder
 * holding `files` (written in order), the folder removed after the test and the sim closed at the end.
 */
export function useImSimFolder(folderPrefix: string, options: { sim?: ImSimOptions; files?: Record<string, string> } = {}): ImSimFolder {
  let sim: ImSim | undefined;
  let folder: string | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the GCP sim is used before its before() hook ran');
    return value;
  };
  before(async () => {
    sim = await startImSim({ speed: 0, previewSeconds: 3, resourceSeconds: 2, ...options.sim });
  });
  beforeEach(async () => {
    started(sim).reset();
    started(sim).setSpeed(0);
    folder = await mkdtemp(join(tmpdir(), folderPrefix));
    for (const [name, text] of Object.entries(options.files ?? {})) await writeFile(join(folder, name), text);
  });
  afterEach(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });
  after(async () => {
    await sim?.close();
  });
  return {
    get sim() {
      return started(sim);
    },
    get folder() {
      return started(folder);
    },
    settle: (work, done, step, max) => settleSim(started(sim), work, done, step, max),
  };
}

export function startGcpDeployment(provider: GcpProvider, settings: GcpProviderSettings, options: { autoExecute?: boolean } = {}): DeploymentSession {
  return DeploymentSession.start(
    {
      deploymentId: uniqueDeploymentId('gcp'),
      target: { provider: 'gcp', name: settings.deploymentName, region: settings.location },
      autoExecute: options.autoExecute ?? true,
    },
    {
      provider,
      workspace: {
        preflight: async () => undefined,
        initialize: createBlueprintInitializer(settings, {
          displayPath: (p) => p.split('/').slice(-2).join('/'),
          identity: () => provider.describeIdentity(AbortSignal.timeout(10_000)),
        }),
      },
    },
  );
}
