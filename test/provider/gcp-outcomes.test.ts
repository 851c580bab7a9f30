/**
 * How an apply's end is read, through the real googleapis client against im-sim (time standing
 * still, moved by the test): an operation that SUCCEEDS with the Deployment FAILED and a
 * build-level errorCode (no revision, or one left APPLYING), a failed delete, and quota
 * validation. Each failure must read as failed with its reason and a link to the build's logs.
 */
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { config_v1 } from 'googleapis/build/src/apis/config';
import type { PollResult, StageResult, TargetRef } from '../../src/providers/provider';
import { GcpProvider } from '../../src/providers/gcp/gcpProvider';
import type { GcpProviderSettings } from '../../src/providers/gcp/settings';
import { checkedTemplate } from '../support/gcpCheckedTemplate';
import { imSimClient, gcpTarget, polledToEnd, useImSimFolder } from '../support/gcpDeployment';

const PROJECT = 'orders-prod';
const LOCATION = 'us-central1';
const PARENT = `projects/${PROJECT}/locations/${LOCATION}`;

const MAIN = (o: { topicLabel?: string; quotaShort?: boolean } = {}) => `resource "google_storage_bucket" "data" {
  # sim: seconds=2
  name     = "orders-data"
  location = "US"
}

resource "google_pubsub_topic" "events" {
  # sim: seconds=2${o.quotaShort ? ' quota-exceeded' : ''}
  name   = "events"
  labels = { team = "${o.topicLabel ?? 'orders'}" }
}
`;

describe('GCP adapter: failed operation shapes against im-sim', () => {
  const rig = useImSimFolder('sw-gcp-outcomes-');
  let counter = 0;

  const signal = () => AbortSignal.timeout(10_000);
  const resource = (id: string) => `${PARENT}/deployments/${id}`;
  const deploymentOf = (id: string) => rig.sim.deployments().find((d) => d['name'] === resource(id));

  function providerFor(deploymentId: string, overrides: Partial<GcpProviderSettings> = {}): { provider: GcpProvider; target: TargetRef } {
    return gcpTarget(rig.sim, rig.folder, deploymentId, overrides);
  }

  async function staged(provider: GcpProvider, target: TargetRef): Promise<StageResult> {
    const described = await provider.describeTarget({ target, signal: signal() });
    const result = await provider.stage({
      target,
      template: await checkedTemplate(rig.folder),
      parameters: [],
      capabilities: [],
      condition: described.condition,
      deploymentId: `dep-${++counter}`,
      attempt: 0,
      signal: signal(),
    });
    const preview = await rig.settle(
      () => provider.describeStaged({ target, stagedId: result.stagedId, signal: signal() }),
      (r) => r.state !== 'pending',
    );
    assert.equal(preview.state, 'ready', preview.reason);
    return result;
  }

  /** Executes and polls until the poll stops saying inProgress (or `until` says so); returns the last poll and the operation name. */
  async function applyAndPoll(
    provider: GcpProvider,
    target: TargetRef,
    stagedId: string,
    beforePoll: () => void = () => undefined,
  ): Promise<{ final: PollResult; operationName: string }> {
    const { operation } = await provider.execute({ target, stagedId, deploymentId: `exec-${counter}`, signal: signal() });
    beforePoll();
    const final = await polledToEnd(rig.sim, provider, target, operation);
    return { final, operationName: operation.operationName ?? '' };
  }

  async function operationBuild(operationName: string): Promise<string> {
    const op = await imSimClient(rig.sim).projects.locations.operations.get({ name: operationName });
    const build = (op.data.metadata as config_v1.Schema$OperationMetadata | undefined)?.deploymentMetadata?.build;
    assert.ok(build, 'the operation names its Cloud Build');
    return build;
  }

  async function createDeployment(id: string): Promise<{ provider: GcpProvider; target: TargetRef }> {
    await writeFile(join(rig.folder, 'main.tf'), MAIN());
    const { provider, target } = providerFor(id);
    const { final } = await applyAndPoll(provider, target, (await staged(provider, target)).stagedId);
    assert.equal(final.phase, 'succeeded', final.statusReason);
    return { provider, target };
  }

  it('a create whose operation succeeds with the Deployment FAILED (BUCKET_CREATION_PERMISSION_DENIED) and no revision is failed, with the reason and the Cloud Build link', async () => {
    await writeFile(join(rig.folder, 'main.tf'), MAIN());
    const { provider, target } = providerFor('fresh');
    rig.sim.failNextApplyBuild(resource('fresh'), { errorCode: 'BUCKET_CREATION_PERMISSION_DENIED' });
    const { final, operationName } = await applyAndPoll(provider, target, (await staged(provider, target)).stagedId);

    assert.equal(deploymentOf('fresh')?.['state'], 'FAILED');
    assert.equal(deploymentOf('fresh')?.['latestRevision'], undefined, 'the sim recorded no revision');
    assert.equal(
      final.phase,
      'failed',
      `a successful operation with the deployment FAILED is a failed apply; poll said ${final.phase}: ${final.statusReason ?? ''}`,
    );
    assert.equal(final.providerStatus, 'BUCKET_CREATION_PERMISSION_DENIED');
    assert.match(final.statusReason ?? '', /could not create the Cloud Storage bucket.*\[BUCKET_CREATION_PERMISSION_DENIED\]/);
    const build = await operationBuild(operationName);
    assert.ok(
      final.statusReason?.includes(`https://console.cloud.google.com/cloud-build/builds;region=${LOCATION}/${build}?project=${PROJECT}`),
      final.statusReason,
    );
    const last = final.events.at(-1);
    assert.deepEqual([last?.logicalId, last?.status], ['fresh', 'failed'], 'the failure is on the deployment itself, as the root cause');
  });

  it('an update whose build is refused (CLOUD_BUILD_PERMISSION_DENIED) while its revision stays APPLYING is failed, not succeeded', async () => {
    const { provider, target } = await createDeployment('orders');
    await writeFile(join(rig.folder, 'main.tf'), MAIN({ topicLabel: 'billing' }));
    rig.sim.failNextApplyBuild(resource('orders'), { errorCode: 'CLOUD_BUILD_PERMISSION_DENIED', revision: 'unfinished' });
    const { final } = await applyAndPoll(provider, target, (await staged(provider, target)).stagedId);
    assert.equal(final.phase, 'failed', final.statusReason);
    assert.match(final.statusReason ?? '', /Cloud Build was refused permission.*\[CLOUD_BUILD_PERMISSION_DENIED\]/);
  });

  it('an update whose build fails with no new revision is failed: latestRevision did not move and the deployment is FAILED', async () => {
    const { provider, target } = await createDeployment('orders');
    const before = deploymentOf('orders')?.['latestRevision'];
    await writeFile(join(rig.folder, 'main.tf'), MAIN({ topicLabel: 'billing' }));
    rig.sim.failNextApplyBuild(resource('orders'), { errorCode: 'BUCKET_CREATION_FAILED' });
    const { final } = await applyAndPoll(provider, target, (await staged(provider, target)).stagedId);
    assert.equal(deploymentOf('orders')?.['latestRevision'], before);
    assert.equal(final.phase, 'failed', final.statusReason);
    assert.match(final.statusReason ?? '', /\[BUCKET_CREATION_FAILED\]/);
  });

  it('an operation that succeeded while the deployment reads ACTIVE with no revision of this apply is unknown, never succeeded', async () => {
    await writeFile(join(rig.folder, 'main.tf'), MAIN());
    const { provider, target } = providerFor('odd');
    rig.sim.failNextApplyBuild(resource('odd'), { errorCode: 'BUCKET_CREATION_FAILED' });
    const { stagedId } = await staged(provider, target);
    const { operation } = await provider.execute({ target, stagedId, deploymentId: `exec-${counter}`, signal: signal() });
    rig.sim.advance(5);
    // Whatever set it ACTIVE, the deployment has no revision this apply made: nothing says it was applied.
    rig.sim.setDeploymentState(resource('odd'), 'ACTIVE');
    const result = await provider.poll({ target, operation, signal: signal() });
    assert.equal(result.phase, 'unknown', result.statusReason);
    assert.match(result.notice ?? '', /latest revision did not move/);
  });

  it('QUOTA_VALIDATION_FAILED reads as a quota problem, with the quota validation results and the build linked', async () => {
    await writeFile(join(rig.folder, 'main.tf'), MAIN({ quotaShort: true }));
    const { provider, target } = providerFor('quota', { quotaValidation: 'ENFORCED' });
    const { final } = await applyAndPoll(provider, target, (await staged(provider, target)).stagedId);
    assert.equal(final.phase, 'failed', final.statusReason);
    assert.match(final.statusReason ?? '', /^The project does not have enough quota/);
    assert.match(
      final.statusReason ?? '',
      /quota validation results: https:\/\/console\.cloud\.google\.com\/storage\/browser\/_details\/[^ ;)]+quota-validation-results\.json/,
    );
    assert.match(
      final.statusReason ?? '',
      /Cloud Build: https:\/\/console\.cloud\.google\.com\/cloud-build\/builds;region=us-central1\/[\w-]+\?project=orders-prod/,
    );
  });

  it("a failed preview's reason links its Cloud Build page and log (Preview.build, Preview.logs)", async () => {
    await writeFile(join(rig.folder, 'main.tf'), 'resource "google_pubsub_topic" "events" {\n  name = var.missing_name\n}\n\nvariable "missing_name" {}\n');
    const { provider, target } = providerFor('broken');
    const described = await provider.describeTarget({ target, signal: signal() });
    const result = await provider.stage({
      target,
      template: await checkedTemplate(rig.folder),
      parameters: [],
      capabilities: [],
      condition: described.condition,
      deploymentId: `dep-${++counter}`,
      attempt: 0,
      signal: signal(),
    });
    const preview = await rig.settle(
      () => provider.describeStaged({ target, stagedId: result.stagedId, signal: signal() }),
      (r) => r.state !== 'pending',
    );
    assert.equal(preview.state, 'failed');
    assert.match(preview.reason ?? '', /No value for required variable.*\[PREVIEW_BUILD_RUN_FAILED\]/);
    assert.match(
      preview.reason ?? '',
      /Cloud Build: https:\/\/console\.cloud\.google\.com\/cloud-build\/builds;region=us-central1\/[\w-]+\?project=orders-prod/,
    );
    assert.match(preview.reason ?? '', /build log: https:\/\/console\.cloud\.google\.com\/storage\/browser\/_details\/[^ ;)]+\/logs/);
  });

  it('a failed delete (DELETE_BUILD_RUN_FAILED) is no deployment to apply over: unrecoverable, its reason and logs told, and deleting it again is a new request', async () => {
    const { provider, target } = await createDeployment('orders');
    // A deployment Stackwatch offers to delete (SUSPENDED), whose delete then fails.
    rig.sim.setDeploymentState(resource('orders'), 'SUSPENDED');
    const suspended = await provider.describeTarget({ target, signal: signal() });
    rig.sim.failNextDelete(resource('orders'), { message: 'bucket orders-data is not empty' });
    const first = await provider.recover({ target, action: 'forceDelete', deploymentId: 'recreate-1', targetId: suspended.targetId, signal: signal() });
    await rig.settle(
      async () => deploymentOf('orders')?.['state'],
      (state) => state !== 'DELETING',
    );
    const failed = deploymentOf('orders');
    assert.equal(failed?.['state'], 'FAILED');
    assert.equal(failed?.['errorCode'], 'DELETE_BUILD_RUN_FAILED');

    const described = await provider.describeTarget({ target, signal: signal() });
    assert.equal(described.condition, 'unrecoverable', 'a deployment whose delete failed is not ready to be patched');
    assert.deepEqual(
      described.recoveryActions.map((a) => a.id),
      ['delete'],
    );
    assert.match(
      described.statusReason ?? '',
      /The last delete of orders failed.*google_pubsub_topic\.events: Error: bucket orders-data is not empty.*\[DELETE_BUILD_RUN_FAILED\]/,
    );
    assert.match(
      described.statusReason ?? '',
      /Cloud Build: https:\/\/console\.cloud\.google\.com\/cloud-build\/builds;region=us-central1\/[\w-]+\?project=orders-prod/,
    );

    // With consent, the same deployment in the same run is deleted again: a new request, not the failed one replayed.
    const second = await provider.recover({ target, action: 'delete', deploymentId: 'recreate-1', targetId: described.targetId, signal: signal() });
    assert.notEqual(second.operation.token, first.operation.token);
    await rig.settle(
      async () => deploymentOf('orders'),
      (d) => d === undefined,
    );
    assert.equal((await provider.describeTarget({ target, signal: signal() })).condition, 'missing');
  });
});
