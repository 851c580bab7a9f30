/**
 * Fault matrix, Google Cloud: a first deploy's preview is deleted beside execute, never in its
 * way. A previews.delete that never answers must not hold back the create's answer (execute has
 * a deadline, and an answer lost to it is an apply followed blind); the clean-up removes the preview.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { signal, useGcpFaultBench } from '../support/gcpFaultBench';

describe("fault matrix: Google Cloud, a first deploy's preview", () => {
  const bench = useGcpFaultBench('sw-gcp-create-preview-');

  // The limit only ends a run that hangs (the delete awaited inside execute); the checks are on what happened.
  it(
    'previews.delete never answers: execute still answers with the create, the apply succeeds, and the clean-up removes the preview',
    { timeout: 90_000 },
    async () => {
      // A call deadline longer than the test's: only not waiting for the delete lets execute answer.
      const { provider, target, deploymentId } = bench.setup('first-drop', { provider: { deps: { callTimeoutMs: 10 * 60_000 } } });
      const staged = await bench.stage(provider, target, deploymentId);
      assert.equal((await bench.planned(provider, target, staged.stagedId)).state, 'ready');
      bench.proxy.add({ match: { action: 'previews.delete' }, fault: { kind: 'stall' } });
      const stalled = bench.proxy.waitForFault({ kind: 'stall', action: 'previews.delete' });

      const never = new AbortController();
      const { operation } = await provider.execute({ target, stagedId: staged.stagedId, deploymentId, signal: never.signal });
      assert.equal(operation.kind, 'create');
      assert.ok(operation.operationName, "the create's operation reached the caller");
      await stalled;
      assert.equal((await bench.toEnd(provider, target, operation)).phase, 'succeeded');

      await provider.abortStaged({ target, stagedId: staged.stagedId, deploymentId, attempt: 0, executed: true, removeCreatedTarget: false, signal: signal() });
      const preview = (JSON.parse(staged.stagedId) as { preview: string }).preview;
      assert.ok(
        bench.sim.requests().some((r) => r.method === 'DELETE' && r.path === `/v1/${preview}` && r.status === 200),
        'the clean-up deleted the preview',
      );
      const read = await fetch(`${bench.sim.rootUrl}v1/${preview}`, { headers: { authorization: `Bearer ${bench.sim.token}` } });
      assert.equal(read.status, 404, 'no preview left behind');
    },
  );
});
