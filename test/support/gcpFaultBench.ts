/**
 * The bench the Infrastructure Manager adapter's fault tests share: im-sim, a fault proxy in front
 * of it, a blueprint folder, and the real googleapis client through the proxy. It exists so each
 * fault test file states only its faults, not the same start-up, staging and polling loops.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach } from 'node:test';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import type { GcpProvider } from '../../src/providers/gcp/gcpProvider';
import { isProviderError, type OperationRef, type PollResult, type ProviderError, type StageResult, type TargetRef } from '../../src/providers/provider';
import { FaultProxy } from '../../tools/fault-proxy/index';
import { startImSim, type ImSim } from '../../tools/im-sim/index';
import { gcpProvider, gcpSettings, imSimClient } from './gcpDeployment';
import { checkedTemplate } from './gcpCheckedTemplate';

export const PARENT = 'projects/orders-prod/locations/us-central1';

export const BLUEPRINT = `variable "bucket_name" {
  type = string
}

resource "google_storage_bucket" "data" {
  name = var.bucket_name
}
`;

export const signal = (): AbortSignal => AbortSignal.timeout(30_000);

/** For assert.rejects: the error is a ProviderError of this code (and, if given, its message matches). */
export function isCode(code: ProviderError['code'], message?: RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(isProviderError(error), `a ProviderError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  };
}

export interface BenchTarget {
  provider: GcpProvider;
  target: TargetRef;
  deploymentId: string;
}

export interface GcpFaultBench {
  readonly sim: ImSim;
  readonly proxy: FaultProxy;
  readonly folder: string;
  /** A provider for deployment `name` that talks through the proxy, and a fresh deployment ID. */
  setup(name: string, options?: { blueprintFolder?: string; provider?: Parameters<typeof gcpProvider>[2] }): BenchTarget;
  /** Stages BLUEPRINT for the target as it is described now. */
  stage: (provider: GcpProvider, target: TargetRef, deploymentId: string, bucketName?: string, attempt?: number) => Promise<StageResult>;
  /** Moves simulated time until the preview has planned. */
  planned: (provider: GcpProvider, target: TargetRef, stagedId: string) => Promise<Awaited<ReturnType<GcpProvider['describeStaged']>>>;
  /** Moves simulated time until the operation has ended. */
  toEnd: (provider: GcpProvider, target: TargetRef, operation: OperationRef) => Promise<Awaited<ReturnType<GcpProvider['poll']>>>;
  /** Polls from `cursor` until the operation has ended, moving simulated time one second between polls; every poll, in order. */
  polls: (provider: GcpProvider, target: TargetRef, operation: OperationRef, cursor?: string) => Promise<PollResult[]>;
  /** Deployment `name`'s resource name. */
  resource: (name: string) => string;
  /** im-sim's record of deployment `name`, if it has one. */
  deploymentOf: (name: string) => ReturnType<ImSim['deployments']>[number] | undefined;
  /** The requests im-sim logged with `method` on deployment `name` (then `suffix`, such as ':unlock'). */
  requestsOn: (name: string, method: string, suffix?: string) => ReturnType<ImSim['requests']>;
  /** im-sim's own API, not through the proxy or the adapter: for the truth, and for acting as someone else. */
  direct: () => config_v1.Config;
  /** Stages, plans, executes and follows to the end; the apply must succeed. */
  deployed: (provider: GcpProvider, target: TargetRef, deploymentId: string, bucketName?: string) => Promise<{ stagedId: string; operation: OperationRef }>;
}

/**
 * Registers, in the enclosing describe, the hooks that start the bench once, reset im-sim and the
 * proxy between tests, and take it all down at the end. `folderPrefix` names the temp folder.
 */
export function useGcpFaultBench(folderPrefix: string): GcpFaultBench {
  let sim: ImSim | undefined;
  let proxy: FaultProxy | undefined;
  let folder: string | undefined;
  let counter = 0;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the GCP fault bench is used before its before() hook ran');
    return value;
  };

  before(async () => {
    sim = await startImSim({ speed: 0 });
    proxy = await FaultProxy.start({ upstream: sim.rootUrl });
    folder = await mkdtemp(join(tmpdir(), folderPrefix));
    await writeFile(join(folder, 'main.tf'), BLUEPRINT);
  });
  after(async () => {
    await proxy?.close();
    await sim?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });
  beforeEach(() => {
    started(sim).reset();
    started(sim).setSpeed(0);
  });
  afterEach(() => started(proxy).reset());

  /** The blueprint folder each provider was set up with. */
  const foldersOf = new WeakMap<GcpProvider, string>();
  const bench: GcpFaultBench = {
    get sim() {
      return started(sim);
    },
    get proxy() {
      return started(proxy);
    },
    get folder() {
      return started(folder);
    },
    setup(name, options = {}) {
      const settings = gcpSettings(bench.sim, options.blueprintFolder ?? bench.folder, { deploymentName: name });
      const provider = gcpProvider(bench.sim, settings, { rootUrl: bench.proxy.rootUrl, ...options.provider });
      foldersOf.set(provider, settings.blueprintFolder);
      return { provider, target: { provider: 'gcp', name, region: 'us-central1' }, deploymentId: `dep-${++counter}` };
    },
    async stage(provider, target, deploymentId, bucketName = 'orders-data', attempt = 0) {
      const described = await provider.describeTarget({ target, signal: signal() });
      return provider.stage({
        target,
        // Checked from the provider's own folder, as its initialize step would.
        template: await checkedTemplate(foldersOf.get(provider) ?? bench.folder),
        parameters: [{ key: 'bucket_name', value: bucketName }],
        capabilities: [],
        condition: described.condition,
        deploymentId,
        attempt,
        signal: signal(),
      });
    },
    async planned(provider, target, stagedId) {
      for (let i = 0; i < 20; i++) {
        const staged = await provider.describeStaged({ target, stagedId, signal: signal() });
        if (staged.state !== 'pending') return staged;
        bench.sim.advance(1);
      }
      throw new Error('the preview never planned');
    },
    async toEnd(provider, target, operation) {
      let cursor: string | undefined;
      for (let i = 0; i < 60; i++) {
        const polled = await provider.poll({ target, operation, cursor, signal: signal() });
        cursor = polled.cursor;
        if (polled.phase !== 'inProgress') return polled;
        bench.sim.advance(2);
      }
      throw new Error('the operation never ended');
    },
    async polls(provider, target, operation, cursor) {
      const polls: PollResult[] = [];
      for (let i = 0; i < 80; i++) {
        const polled = await provider.poll({ target, operation, cursor, signal: signal() });
        polls.push(polled);
        cursor = polled.cursor;
        if (polled.phase !== 'inProgress') return polls;
        bench.sim.advance(1);
      }
      throw new Error('the apply never ended');
    },
    resource: (name) => `${PARENT}/deployments/${name}`,
    deploymentOf: (name) => bench.sim.deployments().find((d) => d.name === bench.resource(name)),
    requestsOn: (name, method, suffix = '') => bench.sim.requests().filter((r) => r.method === method && r.path.endsWith(`/deployments/${name}${suffix}`)),
    direct: () => imSimClient(bench.sim),
    async deployed(provider, target, deploymentId, bucketName = 'orders-data') {
      const staged = await bench.stage(provider, target, deploymentId, bucketName);
      await bench.planned(provider, target, staged.stagedId);
      const { operation } = await provider.execute({ target, stagedId: staged.stagedId, deploymentId, signal: signal() });
      assert.equal((await bench.toEnd(provider, target, operation)).phase, 'succeeded');
      return { stagedId: staged.stagedId, operation };
    },
  };
  return bench;
}
