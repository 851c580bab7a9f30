/**
 * The Infrastructure Manager adapter under network faults, through the real googleapis client:
 * a stalled endpoint, a fault proxy (tools/fault-proxy) in front of im-sim for lost answers,
 * garbage and rewritten bodies, and im-sim itself as the truth of what happened.
 *
 * Each test asserts what the cloud holds afterwards (sim.deployments(), sim.objects(),
 * sim.requests()), not only what the adapter said.
 */
import { strict as assert } from 'node:assert';
import { createServer, type Server, type Socket } from 'node:net';
import { before, describe, it } from 'node:test';
import type { OperationRef, ProviderError, TargetRef } from '../../src/providers/provider';
import { DEPLOYMENT_TYPE } from '../../src/providers/gcp/events';
import type { GcpProvider } from '../../src/providers/gcp/gcpProvider';
import type { FaultProxy } from '../../tools/fault-proxy/index';
import type { ImSim } from '../../tools/im-sim/index';
import { gcpProvider, gcpSettings } from '../support/gcpDeployment';
import { PARENT, isCode, signal, useGcpFaultBench } from '../support/gcpFaultBench';

/** Accepts connections and never answers: the stall that googleapis' own retries used to hide. */
async function silentServer(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    connections: () => count,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('GCP adapter under faults', () => {
  const bench = useGcpFaultBench('stackwatch-gcp-faults-');
  const { stage, deployed } = bench;
  let sim: ImSim;
  let proxy: FaultProxy;
  let folder: string;
  before(() => ({ sim, proxy, folder } = bench));

  const setup = (name: string, options: Parameters<typeof gcpProvider>[2] = {}) => bench.setup(name, { provider: options });
  const planned = async (provider: GcpProvider, target: TargetRef, stagedId: string): Promise<string> =>
    (await bench.planned(provider, target, stagedId)).state;
  const applyToEnd = async (provider: GcpProvider, target: TargetRef, operation: OperationRef): Promise<string> =>
    (await bench.toEnd(provider, target, operation)).phase;

  const deploymentOf = (name: string) => sim.deployments().find((d) => d.name === `${PARENT}/deployments/${name}`);
  const previewRequests = (method: string) =>
    sim.requests().filter((r) => r.method === method && /\/previews(\/|$)/.test(r.path) && !r.path.includes('resourceChanges'));

  describe('deadlines and one try per request', () => {
    it('a stalled endpoint is a retryable Transient error after the deadline, asked once (no hidden retries)', async () => {
      const silent = await silentServer();
      try {
        const settings = gcpSettings(sim, folder, { deploymentName: 'stalled', endpoint: silent.url });
        const provider = gcpProvider(sim, settings, { rootUrl: silent.url, deps: { callTimeoutMs: 300 } });
        const target: TargetRef = { provider: 'gcp', name: 'stalled', region: 'us-central1' };
        await assert.rejects(provider.describeTarget({ target, signal: signal() }), (error: unknown) => {
          isCode('Transient')(error);
          assert.ok((error as ProviderError).retryable);
          assert.match((error as ProviderError).message, /did not answer in time/);
          return true;
        });
        // gaxios would have tried a GET three times (noResponseRetries 2), each with the full timeout.
        assert.equal(silent.connections(), 1, 'one request: retrying belongs to the machine');
      } finally {
        await silent.close();
      }
    });

    it('Abort during a stall ends the call as Aborted through its signal', async () => {
      const silent = await silentServer();
      try {
        const settings = gcpSettings(sim, folder, { deploymentName: 'stalled' });
        const provider = gcpProvider(sim, settings, { rootUrl: silent.url, deps: { callTimeoutMs: 60_000 } });
        const controller = new AbortController();
        const call = provider.describeTarget({ target: { provider: 'gcp', name: 'stalled' }, signal: controller.signal });
        while (silent.connections() === 0) await new Promise((resolve) => setImmediate(resolve));
        controller.abort();
        await assert.rejects(call, isCode('Aborted'));
      } finally {
        await silent.close();
      }
    });

    it('a 503 reaches the caller at once as Transient: googleapis does not retry it behind our back', async () => {
      const { provider, target } = setup('flaky');
      proxy.add({
        match: { action: 'deployments.get' },
        fault: { kind: 'httpStatus', status: 503, body: '{"error":{"code":503,"status":"UNAVAILABLE","message":"down"}}', contentType: 'application/json' },
      });
      await assert.rejects(provider.describeTarget({ target, signal: signal() }), isCode('Transient'));
      assert.equal(proxy.log.filter((e) => e.action === 'deployments.get').length, 1);
    });

    it('a connection reset is Transient', async () => {
      const { provider, target } = setup('reset');
      proxy.add({ match: { action: 'deployments.get' }, fault: { kind: 'reset' } });
      await assert.rejects(provider.describeTarget({ target, signal: signal() }), isCode('Transient'));
    });
  });

  describe('a read that says nothing decides nothing', () => {
    it('a garbage body for deployments.get is Transient, never "missing"', async () => {
      const { provider, target, deploymentId } = setup('garbage');
      await deployed(provider, target, deploymentId);
      proxy.add({ match: { action: 'deployments.get' }, fault: { kind: 'garbage' } });
      await assert.rejects(provider.describeTarget({ target, signal: signal() }), isCode('Transient'));
      assert.equal((await provider.describeTarget({ target, signal: signal() })).condition, 'ready', 'the next read tells the truth');
    });

    it('a truncated body is Transient', async () => {
      const { provider, target, deploymentId } = setup('truncated');
      await deployed(provider, target, deploymentId);
      proxy.add({ match: { action: 'deployments.get' }, fault: { kind: 'truncate', contentLength: 'original' } });
      await assert.rejects(provider.describeTarget({ target, signal: signal() }), isCode('Transient'));
      proxy.add({ match: { action: 'deployments.get' }, fault: { kind: 'truncate' } });
      await assert.rejects(provider.describeTarget({ target, signal: signal() }), isCode('Transient'));
    });

    it('a deployment state this version does not know is phase "unknown", never an ending', async () => {
      const { provider, target, deploymentId } = setup('odd-state');
      const { operation } = await deployed(provider, target, deploymentId);
      // Followed without an operation name (a reattach): only the deployment's state speaks.
      proxy.add({ match: { action: 'deployments.get' }, fault: { kind: 'rewrite', from: '"state":"ACTIVE"', to: '"state":"HIBERNATING"' } });
      const polled = await provider.poll({
        target,
        operation: { startedAt: operation.startedAt, kind: 'update', targetId: operation.targetId },
        signal: signal(),
      });
      assert.equal(polled.phase, 'unknown');
      assert.equal(polled.providerStatus, 'HIBERNATING');
      assert.ok(
        !polled.events.some((e) => e.resourceType === DEPLOYMENT_TYPE && (e.status === 'succeeded' || e.status === 'failed')),
        'no ending event for the deployment',
      );
    });

    it('describeTarget: an unknown deployment state is read again with no recovery offered, locked or not (never Force delete)', async () => {
      const { provider, target, deploymentId } = setup('odd-target');
      await deployed(provider, target, deploymentId);
      for (const lock of ['UNLOCKED', 'LOCKED']) {
        proxy.reset();
        proxy.add({
          match: { action: 'deployments.get' },
          fault: { kind: 'rewrite', from: '"state":"ACTIVE"', to: `"state":"HIBERNATING","lockState":"${lock}"` },
        });
        const described = await provider.describeTarget({ target, signal: signal() });
        assert.equal(described.condition, 'inProgress', lock);
        assert.deepEqual(described.recoveryActions, [], lock);
        assert.equal(described.operation?.kind, 'unknown', lock);
        assert.equal(described.providerStatus, 'HIBERNATING', lock);
        assert.match(
          described.statusReason ?? '',
          /reports HIBERNATING, a state this version of Stackwatch does not know; it is read again and decides nothing/,
          lock,
        );
      }
      proxy.reset();
      assert.equal((await provider.describeTarget({ target, signal: signal() })).condition, 'ready', 'the next plain read tells the truth');
    });
  });

  describe('orphans: one preview and one zip per staging attempt', () => {
    it('a retry after a lost previews.create answer adopts the preview: one preview, one zip', async () => {
      const { provider, target, deploymentId } = setup('lost-create');
      proxy.add({ match: { action: 'previews.create' }, fault: { kind: 'lostResponse' } });
      await assert.rejects(stage(provider, target, deploymentId), isCode('Transient'));
      const retried = await stage(provider, target, deploymentId);
      assert.equal(previewRequests('POST').length, 1, 'the retry created nothing');
      assert.equal(sim.objects().length, 1, 'the retry uploaded nothing new');
      assert.equal(await planned(provider, target, retried.stagedId), 'ready');
      const { operation } = await provider.execute({ target, stagedId: retried.stagedId, deploymentId, signal: signal() });
      assert.equal(await applyToEnd(provider, target, operation), 'succeeded', 'the adopted preview plans a blueprint that still exists');
    });

    it('Abort without a stagedId (the stage answer never came) waits for the preview being created, then removes it and the zip', async () => {
      const { provider, target, deploymentId } = setup('abort-in-flight', { deps: { previewWaitMs: 20 } });
      proxy.add({ match: { action: 'previews.create' }, fault: { kind: 'lostResponse' } });
      await assert.rejects(stage(provider, target, deploymentId), isCode('Transient'));
      assert.equal(previewRequests('POST').length, 1);
      assert.equal(sim.objects().length, 1);
      sim.setSpeed(20); // the preview plans for 3 simulated seconds: still CREATING when Abort looks
      await provider.abortStaged({ target, deploymentId, attempt: 0, removeCreatedTarget: false, signal: signal() });
      sim.setSpeed(0);
      assert.equal(previewRequests('DELETE').length, 1, 'the preview was deleted');
      assert.ok(
        previewRequests('GET').some((r) => r.status === 200),
        'it was looked at first',
      );
      assert.deepEqual(sim.objects(), [], 'the zip was deleted');
      assert.equal(deploymentOf('abort-in-flight'), undefined, 'nothing was deployed');
    });

    it('after an apply, cleanup keeps the zip the deployment now uses and removes nothing it owns', async () => {
      const { provider, target, deploymentId } = setup('cleanup-applied');
      const staged = await deployed(provider, target, deploymentId);
      const cleaned = await provider.abortStaged({
        target,
        stagedId: staged.stagedId,
        deploymentId,
        attempt: 0,
        executed: true,
        removeCreatedTarget: false,
        signal: signal(),
      });
      assert.deepEqual(cleaned, {}, 'an execution the machine knows of is no news');
      assert.equal(sim.objects().length, 1, 'Infrastructure Manager reads the applied blueprint again to delete the deployment');
      assert.equal(deploymentOf('cleanup-applied')?.state, 'ACTIVE');
      assert.ok(!sim.requests().some((r) => r.method === 'DELETE' && r.path.includes('/deployments/')));

      // The next deployment applies its own zip: the first one is no longer used, and that
      // deployment's own cleanup leaves the first one alone (it is not its attempt's object).
      const next = 'dep-next';
      const restaged = await stage(provider, target, next, 'orders-data-2');
      await planned(provider, target, restaged.stagedId);
      const second = await provider.execute({ target, stagedId: restaged.stagedId, deploymentId: next, signal: signal() });
      assert.equal(await applyToEnd(provider, target, second.operation), 'succeeded');
      await provider.abortStaged({
        target,
        stagedId: restaged.stagedId,
        deploymentId: next,
        attempt: 0,
        executed: true,
        removeCreatedTarget: false,
        signal: signal(),
      });
      assert.equal(sim.objects().length, 2, "one deployment's cleanup never deletes another's object");
    });

    it('a planned preview that is not applied is removed with its zip', async () => {
      const { provider, target, deploymentId } = setup('abort-staged');
      const staged = await stage(provider, target, deploymentId);
      await planned(provider, target, staged.stagedId);
      const aborted = await provider.abortStaged({ target, stagedId: staged.stagedId, deploymentId, attempt: 0, removeCreatedTarget: false, signal: signal() });
      assert.deepEqual(aborted, {}, 'nothing was executed');
      assert.equal(previewRequests('DELETE').length, 1);
      assert.deepEqual(sim.objects(), []);
    });

    for (const known of [true, false]) {
      it(`Abort after an execute whose answer was lost (it landed): executedMeanwhile, the zip the deployment now uses is kept${known ? ' (stagedId known)' : ' (derived from the attempt)'}`, async () => {
        const name = known ? 'landed-known' : 'landed-derived';
        const { provider, target, deploymentId } = setup(name);
        const staged = await stage(provider, target, deploymentId);
        await planned(provider, target, staged.stagedId);
        proxy.add({ match: { action: 'deployments.create' }, fault: { kind: 'lostResponse' } });
        await assert.rejects(provider.execute({ target, stagedId: staged.stagedId, deploymentId, signal: signal() }), isCode('Transient'));
        assert.equal(deploymentOf(name)?.state, 'CREATING', 'the apply landed');
        const aborted = await provider.abortStaged({
          target,
          ...(known ? { stagedId: staged.stagedId } : {}),
          deploymentId,
          attempt: 0,
          removeCreatedTarget: false,
          signal: signal(),
        });
        assert.deepEqual(aborted, { executedMeanwhile: true });
        assert.equal(sim.objects().length, 1, 'the zip the apply reads is not deleted');
        assert.ok(!sim.requests().some((r) => r.method === 'DELETE' && r.path.includes('/deployments/')), 'nothing the apply owns is removed');
      });
    }
  });

  describe('resume: what happened to an execute whose answer was lost', () => {
    for (const existing of [false, true]) {
      const what = existing ? 'deployments.patch' : 'deployments.create';
      it(`after a lost ${what} answer: findExecution says executed (with the operation), and a retried execute applies nothing again`, async () => {
        const name = existing ? 'lost-patch' : 'lost-create-dep';
        const { provider, target, deploymentId } = setup(name);
        if (existing) {
          const first = await stage(provider, target, 'dep-base');
          await planned(provider, target, first.stagedId);
          const base = await provider.execute({ target, stagedId: first.stagedId, deploymentId: 'dep-base', signal: signal() });
          assert.equal(await applyToEnd(provider, target, base.operation), 'succeeded');
        }
        const staged = await stage(provider, target, deploymentId, 'orders-data-v2');
        assert.equal(await planned(provider, target, staged.stagedId), 'ready');
        proxy.add({ match: { action: what }, fault: { kind: 'lostResponse' } });
        await assert.rejects(provider.execute({ target, stagedId: staged.stagedId, deploymentId, signal: signal() }), isCode('Transient'));
        const found = await provider.findExecution({ target, stagedId: staged.stagedId, deploymentId, signal: signal() });
        assert.equal(found.state, 'executed');
        assert.ok(found.state === 'executed' && found.operation.operationName, 'the operation is found by name');
        const retried = await provider.execute({ target, stagedId: staged.stagedId, deploymentId, signal: signal() });
        assert.equal(retried.operation.operationName, found.state === 'executed' ? found.operation.operationName : undefined);
        const writes = sim
          .requests()
          .filter(
            (r) =>
              (r.method === 'PATCH' && r.path.endsWith(`/deployments/${name}`)) ||
              (r.method === 'POST' && r.path.endsWith('/deployments') && r.query.deploymentId === name),
          );
        assert.equal(writes.length, existing ? 2 : 1, 'one apply for this preview (plus the base deployment)');
        assert.equal(await applyToEnd(provider, target, retried.operation), 'succeeded', 'never "stale" for an apply that finished');
        assert.equal(deploymentOf(name)?.latestRevision, `${PARENT}/deployments/${name}/revisions/r-${existing ? 2 : 1}`);
      });
    }

    it('findExecution after a restart while the apply still runs: executed, followed by its operation', async () => {
      const { provider, target, deploymentId } = setup('restart-running');
      const staged = await stage(provider, target, deploymentId);
      await planned(provider, target, staged.stagedId);
      const { operation } = await provider.execute({ target, stagedId: staged.stagedId, deploymentId, signal: signal() });
      // A new window: a new provider, nothing in memory.
      const { provider: resumed } = setup('restart-running');
      const found = await resumed.findExecution({ target, stagedId: staged.stagedId, deploymentId, signal: signal() });
      assert.deepEqual(found.state === 'executed' ? [found.operation.operationName, found.operation.kind] : found, [operation.operationName, 'create']);
      assert.equal(await applyToEnd(resumed, target, found.state === 'executed' ? found.operation : operation), 'succeeded');
    });

    it('notExecuted while the preview waits and the deployment has not moved; gone ("superseded") once someone else updates it', async () => {
      const { provider, target, deploymentId } = setup('superseded');
      const first = await stage(provider, target, 'dep-base');
      await planned(provider, target, first.stagedId);
      const base = await provider.execute({ target, stagedId: first.stagedId, deploymentId: 'dep-base', signal: signal() });
      assert.equal(await applyToEnd(provider, target, base.operation), 'succeeded');

      const staged = await stage(provider, target, deploymentId, 'orders-data-v2');
      await planned(provider, target, staged.stagedId);
      assert.deepEqual(await provider.findExecution({ target, stagedId: staged.stagedId, deploymentId, signal: signal() }), { state: 'notExecuted' });

      sim.applyOutOfBand(`${PARENT}/deployments/superseded`);
      const found = await provider.findExecution({ target, stagedId: staged.stagedId, deploymentId, signal: signal() });
      assert.equal(found.state, 'gone');
      assert.match(found.state === 'gone' ? found.reason : '', /^superseded: .*moved from revision r-1 to r-2/);
      await assert.rejects(provider.execute({ target, stagedId: staged.stagedId, deploymentId, signal: signal() }), (error: unknown) => {
        isCode('Conflict')(error);
        assert.match((error as ProviderError).message, /superseded/);
        return true;
      });
      assert.equal(sim.requests().filter((r) => r.method === 'PATCH').length, 0, 'nothing applied');
    });
  });
});
