/**
 * Cancel (no rollback) through the real machine, adapter and googleapis client: the person's
 * cancel is its own outcome, not a failure, and what was applied before it stays applied.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { GcpProvider } from '../../src/providers/gcp/gcpProvider';
import type { OperationRef, PollResult, TargetRef } from '../../src/providers/provider';
import { statusBarModel } from '../../src/ui/statusBarModel';
import { toViewModel } from '../../src/ui/viewModel';
import { startImSim, type ImSim } from '../../tools/im-sim/index';
import { waitFor, waitForEnd } from '../support/awsDeployment';
import { gcpProvider, gcpSettings, startGcpDeployment } from '../support/gcpDeployment';
import { isCode, signal, useGcpFaultBench } from '../support/gcpFaultBench';

const BLUEPRINT = `
resource "google_storage_bucket" "first" {
  # sim: seconds=2
  name = "first"
}

resource "google_cloud_run_v2_service" "slow" {
  # sim: seconds=120
  name = "slow"
}

resource "google_pubsub_topic" "last" {
  # sim: seconds=2
  name = "last"
}
`;

describe('Cancel (no rollback) on Infrastructure Manager', () => {
  let sim: ImSim;
  let folder: string;

  before(async () => {
    sim = await startImSim({ speed: 20 });
    folder = await mkdtemp(join(tmpdir(), 'stackwatch-gcp-cancel-'));
    await writeFile(join(folder, 'main.tf'), BLUEPRINT);
  });
  after(async () => {
    await sim.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('ends as cancelled, not failed, with the finished resource still applied', async () => {
    const settings = gcpSettings(sim, folder, { deploymentName: 'orders-cancel' });
    const provider = gcpProvider(sim, settings);
    const session = startGcpDeployment(provider, settings);
    // Cancel once the slow resource is being applied: the first one is done by then.
    await waitFor(session, (s) => s.context.resources['google_cloud_run_v2_service.slow']?.status === 'inProgress', 30_000, 'the slow resource to start');
    assert.equal(toViewModel(session.snapshot).controls.stop.label, 'Cancel (no rollback)');
    assert.equal(toViewModel(session.snapshot).controls.stop.enabled, true, 'a Google Cloud create can be cancelled');
    session.send({ type: 'STOP' });
    const end = await waitForEnd(session);
    session.dispose();
    provider.dispose();

    assert.equal(end.value, 'failed', 'Infrastructure Manager leaves the deployment FAILED after a cancel');
    assert.equal(end.context.providerStatus, 'CANCELLED');
    assert.equal(end.context.status.error, 'none', 'the person cancelled it: not shown as a failure');
    assert.equal(end.context.error, undefined);
    const model = toViewModel(end);
    assert.equal(model.stopped, true);
    assert.equal(model.error, undefined, 'no error for the monitor to show');
    const bar = statusBarModel(end);
    assert.match(bar.text, /debug-stop/, `the status bar says cancelled: ${bar.text}`);
    assert.equal(bar.backgroundColor, undefined, 'no error background for a cancel');
    assert.equal(model.changes.find((row) => row.logicalId === 'google_storage_bucket.first')?.status, 'succeeded', 'applied before the cancel, and it stays');
    assert.notEqual(model.changes.find((row) => row.logicalId === 'google_pubsub_topic.last')?.status, 'succeeded', 'never applied');
    assert.ok(
      sim.requests().some((r) => r.method === 'POST' && r.path.endsWith(':cancel')),
      'operations.cancel was sent',
    );
  });
});

/**
 * Cancel through the adapter alone, against each answer google.longrunning allows: "If the server
 * doesn't support this method, it returns google.rpc.Code.UNIMPLEMENTED", and an accepted cancel
 * is a best effort that may not stop anything. Only the operation says how the apply ended.
 */
describe('Cancel is best effort on Infrastructure Manager', () => {
  const bench = useGcpFaultBench('stackwatch-gcp-cancel-best-effort-');
  afterEach(() => bench.sim.setCancelBehaviour('boundary'));

  /** Stages and applies the bench blueprint, and polls until Terraform is applying it. */
  async function applying(name: string): Promise<{ provider: GcpProvider; target: TargetRef; operation: OperationRef; deploymentId: string; cursor?: string }> {
    const { provider, target, deploymentId } = bench.setup(name);
    const staged = await bench.stage(provider, target, deploymentId);
    await bench.planned(provider, target, staged.stagedId);
    const { operation } = await provider.execute({ target, stagedId: staged.stagedId, deploymentId, signal: signal() });
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const polled = await provider.poll({ target, operation, cursor, signal: signal() });
      cursor = polled.cursor;
      if (polled.providerStatus === 'RUNNING_TF_APPLY') return { provider, target, operation, deploymentId, cursor };
      bench.sim.advance(0.5);
    }
    throw new Error('the apply never reached RUNNING_TF_APPLY');
  }

  it('UNIMPLEMENTED: stop says Infrastructure Manager did not accept the cancel and the apply goes on; the apply ends succeeded', async () => {
    bench.sim.setCancelBehaviour('unimplemented');
    const { provider, target, operation, deploymentId, cursor } = await applying('cancel-501');
    await assert.rejects(
      provider.stop({ target, operation, deploymentId, signal: signal() }),
      isCode('Unsupported', /did not accept the cancel .*UNIMPLEMENTED.*the apply goes on, and Stackwatch keeps monitoring it/),
    );
    const polls = await bench.polls(provider, target, operation, cursor);
    provider.dispose();
    assert.equal(polls.at(-1)?.phase, 'succeeded', 'a refused cancel changes nothing');
    const said = polls.map((p) => p.notice ?? '').join(' ');
    assert.doesNotMatch(said, /Cancel requested|did not stop the apply|someone else/, `nothing claims a cancel happened: ${said}`);
  });

  it('accepted and ignored: "cancel requested, waiting", then the truth: it ran to the end and succeeded', async () => {
    bench.sim.setCancelBehaviour('ignored');
    const { provider, target, operation, deploymentId, cursor } = await applying('cancel-ignored');
    assert.deepEqual(await provider.stop({ target, operation, deploymentId, signal: signal() }), { rollsBack: false });
    const polls = await bench.polls(provider, target, operation, cursor);
    provider.dispose();
    assert.match(polls[0]?.notice ?? '', /Cancel requested\. Infrastructure Manager took the request/, 'the next poll says the cancel is only requested');
    const last = polls.at(-1) as PollResult;
    assert.equal(last.phase, 'succeeded');
    assert.notEqual(last.providerStatus, 'CANCELLED');
    assert.match(last.notice ?? '', /The cancel did not stop the apply: .*succeeded/);
  });

  it('boundary (simulator-only): the accepted cancel ends the apply as CANCELLED, with no "did not stop" notice', async () => {
    const { provider, target, operation, deploymentId, cursor } = await applying('cancel-boundary');
    await provider.stop({ target, operation, deploymentId, signal: signal() });
    const polls = await bench.polls(provider, target, operation, cursor);
    provider.dispose();
    const last = polls.at(-1) as PollResult;
    assert.equal(last.phase, 'cancelled');
    assert.equal(last.providerStatus, 'CANCELLED');
    assert.doesNotMatch(last.notice ?? '', /did not stop the apply/);
  });
});
