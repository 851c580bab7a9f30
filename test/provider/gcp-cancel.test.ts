/**
 * Cancel (no rollback) through the real machine, adapter and googleapis client: the person's
 * cancel is its own outcome, not a failure, and what was applied before it stays applied.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { statusBarModel } from '../../src/ui/statusBarModel';
import { toViewModel } from '../../src/ui/viewModel';
import { startGcpSim, type GcpSim } from '../gcp-sim/index';
import { waitFor, waitForEnd } from '../support/awsDeployment';
import { gcpProvider, gcpSettings, startGcpDeployment } from '../support/gcpDeployment';

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
  let sim: GcpSim;
  let folder: string;

  before(async () => {
    sim = await startGcpSim({ speed: 20 });
    folder = await mkdtemp(join(tmpdir(), 'stackwatch-gcp-cancel-'));
    await writeFile(join(folder, 'main.tf'), BLUEPRINT);
  });
  after(async () => {
    await sim.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('ends as cancelled, not failed, with the finished resource still applied', async () => {
    const settings = gcpSettings(sim, folder, { deploymentId: 'orders-cancel' });
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
    assert.ok(sim.requests().some((r) => r.method === 'POST' && r.path.endsWith(':cancel')), 'operations.cancel was sent');
  });
});
