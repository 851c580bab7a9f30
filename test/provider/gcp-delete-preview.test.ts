/**
 * Before *Delete and recreate* the consent shows what will be destroyed: a `previewMode: DELETE`
 * preview's plan, or, until it is ready or when it cannot run (a locked deployment), the latest
 * revision's resources, saying which. The delete preview is ours: named from the deploymentId (a
 * restarted window adopts it), and removed once the consent is answered. Through the real
 * googleapis client against im-sim.
 */
import { strict as assert } from 'node:assert';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { config_v1 } from 'googleapis/build/src/apis/config';
import { ProviderError, type DescribeRecoveryResult, type PollResult, type TargetRef } from '../../src/providers/provider';
import { GcpProvider } from '../../src/providers/gcp/gcpProvider';
import { deletePreviewId } from '../../src/providers/gcp/deletePreview';
import type { GcpProviderSettings } from '../../src/providers/gcp/settings';
import { toViewModel } from '../../src/ui/viewModel';
import { FaultProxy } from '../../tools/fault-proxy/index';
import { checkedTemplate } from '../support/gcpCheckedTemplate';
import { gcpProvider, gcpSettings, imSimClient, gcpTarget, startGcpDeployment, useImSimFolder } from '../support/gcpDeployment';
import { waitFor, waitForEnd } from '../support/awsDeployment';

const PROJECT = 'orders-prod';
const LOCATION = 'us-central1';
const PARENT = `projects/${PROJECT}/locations/${LOCATION}`;
const MAIN = `resource "google_storage_bucket" "data" {
  name     = "orders-data"
  location = "US"
}

resource "google_pubsub_topic" "events" {
  name = "events"
}
`;
const ADDRESSES = ['google_pubsub_topic.events', 'google_storage_bucket.data'];

describe('GCP adapter: what Delete and recreate destroys (previewMode DELETE) against im-sim', () => {
  const rig = useImSimFolder('sw-gcp-delete-preview-', { sim: { resourceSeconds: 1 }, files: { 'main.tf': MAIN } });
  let proxy: FaultProxy;
  let counter = 0;

  before(async () => {
    proxy = await FaultProxy.start({ upstream: rig.sim.rootUrl });
  });
  // reset() keeps the reporting mode; a test that withholds resources must not leak into the next.
  beforeEach(() => rig.sim.setResourceReporting('live'));
  afterEach(() => proxy.reset());
  after(async () => {
    await proxy.close();
  });

  const signal = () => AbortSignal.timeout(10_000);
  const resource = (id: string) => `${PARENT}/deployments/${id}`;
  const previewOf = (deploymentId: string) => `${PARENT}/previews/${deletePreviewId(deploymentId)}`;
  const previewCreates = () => rig.sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/previews'));

  /** A new provider, as a restarted window makes one: nothing remembered from another instance. */
  function providerFor(deploymentId: string, rootUrl = rig.sim.rootUrl): { provider: GcpProvider; settings: GcpProviderSettings; target: TargetRef } {
    return gcpTarget(rig.sim, rig.folder, deploymentId, {}, { rootUrl, deps: { previewWaitMs: 5 } });
  }

  const simClient = (): config_v1.Config => imSimClient(rig.sim);

  async function createDeployment(id: string): Promise<{ provider: GcpProvider; target: TargetRef }> {
    const { provider, target } = providerFor(id);
    const described = await provider.describeTarget({ target, signal: signal() });
    const staged = await provider.stage({
      target,
      template: await checkedTemplate(rig.folder),
      parameters: [],
      capabilities: [],
      condition: described.condition,
      deploymentId: `dep-${++counter}`,
      attempt: 0,
      signal: signal(),
    });
    await rig.settle(
      () => provider.describeStaged({ target, stagedId: staged.stagedId, signal: signal() }),
      (r) => r.state !== 'pending',
    );
    const { operation } = await provider.execute({ target, stagedId: staged.stagedId, deploymentId: `dep-${counter}`, signal: signal() });
    let cursor: string | undefined;
    const final = await rig.settle<PollResult>(
      async () => {
        const r = await provider.poll({ target, operation, cursor, signal: signal() });
        cursor = r.cursor;
        return r;
      },
      (r) => r.phase !== 'inProgress',
    );
    assert.equal(final.phase, 'succeeded', final.statusReason);
    return { provider, target };
  }

  const addresses = (result: DescribeRecoveryResult) => result.destroys.map((c) => c.logicalId).sort();

  it('lists the recorded state while the DELETE preview plans, then its plan; a restarted window adopts the same preview and removes it', async () => {
    const { provider, target } = await createDeployment('orders-suspended');
    rig.sim.setDeploymentState(resource('orders-suspended'), 'SUSPENDED');
    const describe = (p: GcpProvider) => p.describeRecovery({ target, action: 'forceDelete', deploymentId: 'consent-1', signal: signal() });

    const first = await describe(provider);
    assert.equal(first.basis, 'lastRecordedState');
    assert.equal(first.planning, true, 'the delete preview is planning');
    assert.deepEqual(addresses(first), ADDRESSES);
    assert.ok(first.destroys.every((c) => c.action === 'Remove'));
    const preview = (await simClient().projects.locations.previews.get({ name: previewOf('consent-1') })).data;
    assert.equal(preview.previewMode, 'DELETE');
    assert.equal(preview.deployment, resource('orders-suspended'));
    assert.equal(preview.state, 'CREATING');

    rig.sim.advance(5);
    const planned = await describe(provider);
    assert.equal(planned.basis, 'plannedDelete');
    assert.equal(planned.planning, false);
    assert.deepEqual(addresses(planned), ADDRESSES);

    // A restarted window: another provider instance names the same preview, and does not make another.
    const restarted = providerFor('orders-suspended').provider;
    assert.equal((await describe(restarted)).basis, 'plannedDelete');
    assert.equal(previewCreates().length, 2, 'one preview for the apply, one delete preview, whatever the number of looks');
    await restarted.discardRecoveryPlan({ target, deploymentId: 'consent-1', signal: signal() });
    await assert.rejects(simClient().projects.locations.previews.get({ name: previewOf('consent-1') }), /not found/i, 'the delete preview is removed');
    // Nothing else was touched: the deployment is still there, as it was.
    assert.equal(rig.sim.deployments().find((d) => d['name'] === resource('orders-suspended'))?.['state'], 'SUSPENDED');
  });

  it('a locked deployment gets no delete preview: the recorded state is listed, and the consent says why', async () => {
    const { provider, target } = await createDeployment('orders-locked');
    rig.sim.lock(resource('orders-locked'));
    const creates = previewCreates().length;
    const result = await provider.describeRecovery({ target, action: 'forceDelete', deploymentId: 'consent-2', signal: signal() });
    assert.equal(result.basis, 'lastRecordedState');
    assert.equal(result.planning, false);
    assert.match(result.note ?? '', /locked/);
    assert.deepEqual(addresses(result), ADDRESSES);
    assert.equal(previewCreates().length, creates, 'no delete preview was started');
    // Nothing to remove; removing is still safe.
    await provider.discardRecoveryPlan({ target, deploymentId: 'consent-2', signal: signal() });
  });

  it('an answer before the plan is ready cancels the planning delete preview and deletes it at once', async () => {
    const { provider, target } = await createDeployment('orders-declined');
    rig.sim.setDeploymentState(resource('orders-declined'), 'SUSPENDED');
    const first = await provider.describeRecovery({ target, action: 'forceDelete', deploymentId: 'consent-3', signal: signal() });
    assert.equal(first.planning, true);
    // Time stands still: the preview still plans. It is cancelled, then deleted without waiting for the cancel to land.
    await provider.discardRecoveryPlan({ target, deploymentId: 'consent-3', signal: signal() });
    assert.equal(rig.sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith(':cancel')).length, 1, 'the planning preview was cancelled');
    await assert.rejects(simClient().projects.locations.previews.get({ name: previewOf('consent-3') }), /not found/i);
    // Removing it again is success: nothing is there.
    await provider.discardRecoveryPlan({ target, deploymentId: 'consent-3', signal: signal() });
  });

  it("a restarted window (another provider instance) finds the planning preview's operation, cancels it and removes the preview", async () => {
    const { provider, target } = await createDeployment('orders-reloaded');
    rig.sim.setDeploymentState(resource('orders-reloaded'), 'SUSPENDED');
    assert.equal((await provider.describeRecovery({ target, action: 'forceDelete', deploymentId: 'consent-5', signal: signal() })).planning, true);
    rig.sim.advance(2);
    const client = simClient();
    assert.equal(
      (await client.projects.locations.deployments.get({ name: resource('orders-reloaded') })).data.lockState,
      'LOCKED',
      'the planning preview holds the lock',
    );
    const operations = (await client.projects.locations.operations.list({ name: PARENT })).data.operations ?? [];
    const planning = operations.find((o) => !o.done && (o.metadata as config_v1.Schema$OperationMetadata | undefined)?.target === previewOf('consent-5'));
    assert.ok(planning?.name, 'the delete preview is being created');

    const restarted = providerFor('orders-reloaded').provider;
    await restarted.discardRecoveryPlan({ target, deploymentId: 'consent-5', signal: signal() });
    const cancels = rig.sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith(':cancel'));
    assert.equal(cancels.length, 1);
    assert.ok(
      cancels[0]?.path.includes(planning.name.split('/').pop() ?? '?'),
      `the cancel is for the preview's own operation (${cancels[0]?.path ?? 'none'})`,
    );
    await assert.rejects(client.projects.locations.previews.get({ name: previewOf('consent-5') }), /not found/i, 'the delete preview is removed');
    assert.notEqual((await client.projects.locations.deployments.get({ name: resource('orders-reloaded') })).data.lockState, 'LOCKED', 'its lock is released');
    assert.equal(rig.sim.deployments().find((d) => d['name'] === resource('orders-reloaded'))?.['state'], 'SUSPENDED', 'the deployment is untouched');
  });

  it('an empty recorded state is "could not be listed", and only a delete preview that planned may replace it', async () => {
    const { provider, target } = await createDeployment('orders-unreported');
    rig.sim.setResourceReporting('never');
    rig.sim.lock(resource('orders-unreported'));
    const locked = await provider.describeRecovery({ target, action: 'forceDelete', deploymentId: 'consent-6', signal: signal() });
    assert.deepEqual(locked.destroys, []);
    assert.match(locked.unavailable ?? '', /records no resources.*not known/, 'an empty record is not "no resources"');
    assert.match(locked.note ?? '', /locked/);
    assert.equal(locked.planning, false);

    const gone = await provider.describeRecovery({
      target: { ...target, name: 'orders-never-made' },
      action: 'forceDelete',
      deploymentId: 'consent-7',
      signal: signal(),
    });
    assert.match(gone.unavailable ?? '', /not found/);
  });

  it('a deployment or preview read of {} decides nothing: Transient, not a deployment with nothing to destroy', async () => {
    await createDeployment('orders-unreadable');
    rig.sim.setDeploymentState(resource('orders-unreadable'), 'SUSPENDED');
    const { provider, target } = providerFor('orders-unreadable', proxy.rootUrl);
    const creates = previewCreates().length;
    proxy.add({ match: { action: 'deployments.get' }, fault: { kind: 'httpStatus', status: 200, body: '{}', contentType: 'application/json' } });
    await assert.rejects(
      provider.describeRecovery({ target, action: 'forceDelete', deploymentId: 'consent-8', signal: signal() }),
      (error: unknown) => error instanceof ProviderError && error.code === 'Transient' && /could not be read/.test(error.message),
    );
    assert.equal(previewCreates().length, creates, 'no delete preview started from an unreadable answer');

    assert.equal((await provider.describeRecovery({ target, action: 'forceDelete', deploymentId: 'consent-8', signal: signal() })).planning, true);
    proxy.add({ match: { action: 'previews.get' }, fault: { kind: 'httpStatus', status: 200, body: '{}', contentType: 'application/json' } });
    await assert.rejects(
      provider.discardRecoveryPlan({ target, deploymentId: 'consent-8', signal: signal() }),
      (error: unknown) => error instanceof ProviderError && error.code === 'Transient',
    );
    assert.equal(
      (await simClient().projects.locations.previews.get({ name: previewOf('consent-8') })).data.state,
      'CREATING',
      'an unreadable answer removed nothing, and did not read as gone',
    );
    await provider.discardRecoveryPlan({ target, deploymentId: 'consent-8', signal: signal() });
  });

  it('through the deployment machine: No while the delete preview still plans cancels it and removes it', async () => {
    await createDeployment('orders-no-while-planning');
    rig.sim.setDeploymentState(resource('orders-no-while-planning'), 'SUSPENDED');
    const { provider, settings } = providerFor('orders-no-while-planning');
    const session = startGcpDeployment(provider, settings);
    const planning = await waitFor(
      session,
      (s) => s.matches('awaitingConsent') && s.context.recoveryPlan?.planning === true,
      30_000,
      'the delete preview planning',
    );
    const preview = previewOf(planning.context.deploymentId);
    rig.sim.advance(2);
    assert.equal((await simClient().projects.locations.previews.get({ name: preview })).data.state, 'CREATING', 'still planning when the person answers');

    session.send({ type: 'DECLINE' });
    const end = await waitForEnd(session);
    session.dispose();
    assert.equal(end.value, 'aborted');
    assert.equal(rig.sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith(':cancel')).length, 1, 'the planning preview was cancelled');
    await assert.rejects(
      simClient().projects.locations.previews.get({ name: preview }),
      /not found/i,
      'No leaves no delete preview behind (the service would keep it)',
    );
    const deployment = (await simClient().projects.locations.deployments.get({ name: resource('orders-no-while-planning') })).data;
    assert.equal(deployment.state, 'SUSPENDED', 'the deployment is untouched');
    assert.notEqual(deployment.lockState, 'LOCKED', "the preview's lock is released");
    assert.ok(
      rig.sim.requests().every((r) => !(r.method === 'DELETE' && r.path.includes('/deployments/'))),
      'nothing deleted',
    );
  });

  it('through the deployment machine: the consent shows the planned delete, and No removes the delete preview', async () => {
    rig.sim.setSpeed(50);
    const settings = gcpSettings(rig.sim, rig.folder, { deploymentName: 'orders-consent' });
    const provider = gcpProvider(rig.sim, settings);
    const first = startGcpDeployment(provider, settings);
    assert.equal((await waitForEnd(first)).value, 'succeeded');
    first.dispose();
    rig.sim.setDeploymentState(resource('orders-consent'), 'SUSPENDED');

    const second = startGcpDeployment(provider, settings);
    const planned = await waitFor(
      second,
      (s) => s.matches('awaitingConsent') && s.context.recoveryPlan?.basis === 'plannedDelete',
      30_000,
      'the planned delete',
    );
    const consent = toViewModel(planned).consent;
    assert.equal(consent?.destroys?.basis, 'planned by a delete preview');
    assert.deepEqual(consent?.destroys?.items.map((i) => i.logicalId).sort(), ADDRESSES);
    assert.ok(
      rig.sim.requests().every((r) => !(r.method === 'DELETE' && r.path.includes('/deployments/'))),
      'nothing deleted before consent',
    );

    second.send({ type: 'DECLINE' });
    const end = await waitForEnd(second);
    second.dispose();
    assert.equal(end.value, 'aborted');
    await assert.rejects(
      simClient().projects.locations.previews.get({ name: previewOf(planned.context.deploymentId) }),
      /not found/i,
      'the delete preview is removed on No',
    );
    assert.equal(rig.sim.deployments().find((d) => d['name'] === resource('orders-consent'))?.['state'], 'SUSPENDED', 'the deployment is untouched');
  });
});
