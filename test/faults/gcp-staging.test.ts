/**
 * Fault matrix, Google Cloud staging (im-sim behind the fault proxy, the real googleapis client):
 * a lost apply answer retried after the service forgot its request ID, with the preview already
 * deleted by that apply; a lost upload answer retried under ifGenerationMatch=0.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isCode, PARENT, signal, useGcpFaultBench } from '../support/gcpFaultBench';

describe('fault matrix: Google Cloud staging', () => {
  const bench = useGcpFaultBench('sw-gcp-staging-faults-');

  it('lost deployments.patch answer, retried 61 simulated minutes later from a new window: the preview is gone, the request ID forgotten, still one apply (succeeded)', async () => {
    const { provider, target, deploymentId } = bench.setup('late-retry');
    await bench.deployed(provider, target, `${deploymentId}-seed`);
    const staged = await bench.stage(provider, target, deploymentId, 'orders-data-v2');
    await bench.planned(provider, target, staged.stagedId);
    bench.proxy.add({ match: { action: 'deployments.patch' }, fault: { kind: 'lostResponse' } });
    await assert.rejects(provider.execute({ target, stagedId: staged.stagedId, deploymentId, signal: signal() }), isCode('Transient'));

    bench.sim.advance(61 * 60);
    const { provider: reloaded } = bench.setup('late-retry');
    const found = await reloaded.findExecution({ target, stagedId: staged.stagedId, deploymentId, signal: signal() });
    assert.equal(found.state, 'executed', 'our apply is recognised on the deployment, not by the preview or the request ID');
    const retried = await reloaded.execute({ target, stagedId: staged.stagedId, deploymentId, signal: signal() });
    assert.equal((await bench.toEnd(reloaded, target, retried.operation)).phase, 'succeeded');

    const patches = bench.sim.requests().filter((r) => r.method === 'PATCH');
    assert.equal(patches.length, 1, 'one apply reached the service');
    const preview = JSON.parse(staged.stagedId) as { preview: string };
    assert.ok(
      bench.sim.requests().some((r) => r.method === 'GET' && r.path === `/v1/${preview.preview}` && r.status === 404),
      'the service deleted the preview on the apply',
    );
    const deployment = bench.sim.deployments().find((d) => d['name'] === `${PARENT}/deployments/late-retry`);
    assert.equal(deployment?.['state'], 'ACTIVE');
    assert.match(String(deployment?.['latestRevision']), /\/revisions\/r-2$/);
  });

  it('lost upload answer: the retry of the attempt finds the object (412), adopts it (same bytes), and plans that generation', async () => {
    const { provider, target, deploymentId } = bench.setup('lost-upload');
    bench.proxy.add({ match: { action: 'storage.upload' }, fault: { kind: 'lostResponse' } });
    await assert.rejects(bench.stage(provider, target, deploymentId), isCode('Transient'));
    const [uploaded] = bench.sim.objects();
    assert.ok(uploaded, 'the lost upload landed');

    const staged = await bench.stage(provider, target, deploymentId);
    assert.deepEqual(bench.sim.objects(), [uploaded], 'not uploaded again: the same generation');
    assert.ok(staged.stagedId.includes(`#${uploaded.generation}`), 'the preview plans the adopted generation');
    assert.equal((await bench.planned(provider, target, staged.stagedId)).state, 'ready');
    const uploads = bench.sim.requests().filter((r) => r.path.startsWith('/upload/'));
    assert.deepEqual(
      uploads.map((r) => [r.query['ifGenerationMatch'], r.status]),
      [
        ['0', 200],
        ['0', 412],
      ],
    );
  });
});
