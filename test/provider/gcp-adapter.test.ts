/**
 * The Infrastructure Manager adapter through the real googleapis client against im-sim, with
 * simulated time standing still (speed 0) and moved by the test. Assertions look at what the
 * adapter reports and, separately, at the sim's own state and request log.
 */
import { strict as assert } from 'node:assert';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { config_v1 } from 'googleapis/build/src/apis/config';
import { isProviderError, type DeploymentEvent, type PollResult, type ProviderError, type StageResult, type TargetRef } from '../../src/providers/provider';
import { GcpProvider } from '../../src/providers/gcp/gcpProvider';
import type { GcpProviderSettings } from '../../src/providers/gcp/settings';
import { SENSITIVE_MASK, toViewModel } from '../../src/ui/viewModel';
import { inState, waitFor, waitForEnd } from '../support/awsDeployment';
import { gcpProvider, gcpSettings, imSimClient, gcpTarget, polledToEnd, startGcpDeployment, useImSimFolder } from '../support/gcpDeployment';
import { checkedTemplate } from '../support/gcpCheckedTemplate';
import { checkedBlueprints } from '../../src/providers/gcp/checkedBlueprints';

const PROJECT = 'orders-prod';
const LOCATION = 'us-central1';

interface AppOptions {
  bucketName?: string;
  topicLabel?: string;
  topicSeconds?: number;
  topicFail?: string;
  recreateBucket?: boolean;
}

const VARIABLES = `variable "bucket_name" {
  type        = string
  description = "Name of the data bucket"
}

variable "retention_days" {
  type    = number
  default = 7
}

variable "api_key" {
  type      = string
  sensitive = true
  default   = "k-123"
}
`;

const MAIN = (o: AppOptions = {}) => `resource "google_storage_bucket" "data" {
  # sim: seconds=2${o.recreateBucket ? ' recreate' : ''}
  name     = var.bucket_name
  location = "US"
}

resource "google_pubsub_topic" "events" {
  # sim: seconds=${o.topicSeconds ?? 3}${o.topicFail ? ` fail="${o.topicFail}"` : ''}
  name   = "events"
  labels = { team = "${o.topicLabel ?? 'orders'}" }
}

output "bucket_url" {
  value = "gs://\${var.bucket_name}"
}

output "api_key" {
  value     = var.api_key
  sensitive = true
}
`;

function isConflict(error: unknown): error is ProviderError {
  return isProviderError(error) && error.code === 'Conflict';
}

describe('GCP adapter against im-sim', () => {
  const rig = useImSimFolder('sw-gcp-adapter-');
  let counter = 0;

  const signal = () => AbortSignal.timeout(10_000);
  const deploymentResource = (id: string) => `projects/${PROJECT}/locations/${LOCATION}/deployments/${id}`;

  async function writeBlueprint(options: AppOptions = {}): Promise<void> {
    await writeFile(join(rig.folder, 'variables.tf'), VARIABLES);
    await writeFile(join(rig.folder, 'main.tf'), MAIN(options));
  }

  function providerFor(deploymentId: string, overrides: Partial<GcpProviderSettings> = {}): { provider: GcpProvider; target: TargetRef } {
    return gcpTarget(rig.sim, rig.folder, deploymentId, { inputValues: { bucket_name: 'orders-data' }, terraformVersion: '1.5.7', ...overrides });
  }

  async function stage(provider: GcpProvider, target: TargetRef, bucketName = 'orders-data'): Promise<StageResult> {
    const described = await provider.describeTarget({ target, signal: signal() });
    return provider.stage({
      target,
      template: await checkedTemplate(rig.folder),
      parameters: [
        { key: 'bucket_name', value: bucketName },
        { key: 'retention_days', value: '14' },
      ],
      capabilities: [],
      condition: described.condition,
      deploymentId: `dep-${++counter}`,
      attempt: 0,
      signal: signal(),
    });
  }

  /** The deploymentId the last stage() helper call used. */
  const stagedDeploymentId = (): string => `dep-${counter}`;

  async function previewOf(provider: GcpProvider, target: TargetRef, stagedId: string) {
    return rig.settle(
      () => provider.describeStaged({ target, stagedId, signal: signal() }),
      (r) => r.state !== 'pending',
    );
  }

  async function apply(
    provider: GcpProvider,
    target: TargetRef,
    stagedId: string,
  ): Promise<{ final: PollResult; events: DeploymentEvent[]; polls: PollResult[] }> {
    const { operation } = await provider.execute({ target, stagedId, deploymentId: `exec-${counter}`, signal: signal() });
    const events: DeploymentEvent[] = [];
    const polls: PollResult[] = [];
    const final = await polledToEnd(rig.sim, provider, target, operation, (result) => {
      events.push(...result.events);
      polls.push(result);
    });
    return { final, events, polls };
  }

  async function createDeployment(id: string, options: AppOptions = {}): Promise<{ provider: GcpProvider; target: TargetRef }> {
    await writeBlueprint(options);
    const { provider, target } = providerFor(id);
    const staged = await stage(provider, target);
    assert.equal((await previewOf(provider, target, staged.stagedId)).state, 'ready');
    const { final } = await apply(provider, target, staged.stagedId);
    assert.equal(final.phase, 'succeeded', final.statusReason);
    return { provider, target };
  }

  it('creates a deployment: upload, preview, change list, apply with per-resource events, outputs', async () => {
    await writeBlueprint();
    const { provider, target } = providerFor('orders');
    assert.equal((await provider.describeTarget({ target, signal: signal() })).condition, 'missing');

    const staged = await stage(provider, target);
    const [object] = rig.sim.objects();
    assert.equal(object?.bucket, 'orders-prod-blueprints');
    assert.match(object?.name ?? '', /^stackwatch\/orders-prod\/us-central1\/orders\/dep-\d+-a0\.zip$/);
    assert.ok(staged.stagedId.includes(`#${object?.generation}`), 'the staged ID pins the uploaded generation');

    const pending = await provider.describeStaged({ target, stagedId: staged.stagedId, signal: signal() });
    assert.equal(pending.state, 'pending', 'the preview takes simulated time to plan');
    const preview = await previewOf(provider, target, staged.stagedId);
    assert.equal(preview.state, 'ready');
    assert.deepEqual(
      preview.changes.map((c) => [c.logicalId, c.action, c.resourceType]),
      [
        ['google_storage_bucket.data', 'Add', 'google_storage_bucket'],
        ['google_pubsub_topic.events', 'Add', 'google_pubsub_topic'],
      ],
    );

    const plan = JSON.parse(await provider.template({ target, stagedId: staged.stagedId, signal: signal() })) as {
      resource_changes: { address: string }[];
      variables: Record<string, { value: unknown }>;
    };
    assert.deepEqual(
      plan.resource_changes.map((c) => c.address),
      ['google_storage_bucket.data', 'google_pubsub_topic.events'],
    );
    assert.deepEqual(
      plan.variables,
      { bucket_name: { value: 'orders-data' }, retention_days: { value: 14 }, api_key: { value: '(sensitive)' } },
      'numbers go to IM as numbers, strings as strings; the sensitive default is masked',
    );

    const { final, events, polls } = await apply(provider, target, staged.stagedId);
    assert.equal(final.phase, 'succeeded');
    assert.equal(final.providerStatus, 'APPLIED');
    const resourceEvents = events.filter((e) => e.logicalId !== 'orders');
    assert.deepEqual(
      resourceEvents.filter((e) => e.status === 'succeeded').map((e) => e.logicalId),
      ['google_storage_bucket.data', 'google_pubsub_topic.events'],
    );
    assert.ok(
      resourceEvents.some((e) => e.logicalId === 'google_pubsub_topic.events' && e.status === 'inProgress'),
      'IN_PROGRESS is reported while it runs',
    );
    assert.ok(
      events.some((e) => e.logicalId === 'orders' && e.providerStatus === 'RUNNING_TF_APPLY'),
      'the step shows in the log',
    );
    assert.equal(new Set(events.map((e) => e.id)).size, events.length, 'event IDs are unique');
    assert.ok(polls.every((p) => p.pagesRead >= 1));

    const deployment = rig.sim.deployments().find((d) => d.name === deploymentResource('orders'));
    assert.equal(deployment?.state, 'ACTIVE');
    assert.equal(deployment?.serviceAccount, 'projects/orders-prod/serviceAccounts/deployer@orders-prod.iam.gserviceaccount.com');
    assert.equal(deployment?.tfVersionConstraint, '1.5.7');

    const outputs = await provider.outputs({ target, signal: signal() });
    const byKey = new Map(outputs.map((o) => [o.key, o]));
    assert.equal(byKey.get('bucket_url')?.value, 'gs://orders-data');
    assert.equal(byKey.get('api_key')?.sensitive, true);
    assert.equal(byKey.get('api_key')?.value, 'k-123', 'the host keeps the value, for Copy');
    assert.equal(byKey.get('bucket_url')?.sensitive, false);
    assert.equal((await provider.describeTarget({ target, signal: signal() })).condition, 'ready');
  });

  it('updates a deployment and shows a RECREATE as a replacement', async () => {
    await createDeployment('orders-upd');
    await writeBlueprint({ recreateBucket: true, topicLabel: 'billing' });
    const { provider, target } = providerFor('orders-upd');
    const staged = await stage(provider, target, 'orders-data-v2');
    const preview = await previewOf(provider, target, staged.stagedId);
    assert.equal(preview.state, 'ready');
    const byId = new Map(preview.changes.map((c) => [c.logicalId, c]));
    assert.equal(byId.get('google_storage_bucket.data')?.action, 'Modify');
    assert.equal(byId.get('google_storage_bucket.data')?.replacement, 'True');
    assert.equal(byId.get('google_pubsub_topic.events')?.action, 'Modify');
    assert.notEqual(byId.get('google_pubsub_topic.events')?.replacement, 'True');
    assert.ok(
      (byId.get('google_pubsub_topic.events')?.details ?? []).some((d) => d.includes('labels')),
      'details name the changed property',
    );

    const { final } = await apply(provider, target, staged.stagedId);
    assert.equal(final.phase, 'succeeded');
    const patches = rig.sim.requests().filter((r) => r.method === 'PATCH' && r.path.endsWith('/deployments/orders-upd'));
    assert.equal(patches.length, 1);
    assert.ok(patches[0]?.query.requestId, 'the apply carries a requestId');
  });

  it('reports a preview with no changes as empty', async () => {
    const { provider, target } = await createDeployment('orders-same');
    const staged = await stage(provider, target);
    const preview = await previewOf(provider, target, staged.stagedId);
    assert.equal(preview.state, 'empty');
    assert.deepEqual(preview.changes, []);
  });

  it('reports a failed apply with the Terraform error of the resource, and leaves the deployment re-appliable', async () => {
    await writeBlueprint({ topicFail: 'Error 403: pubsub.topics.create denied' });
    const { provider, target } = providerFor('orders-fail');
    const staged = await stage(provider, target);
    assert.equal((await previewOf(provider, target, staged.stagedId)).state, 'ready');
    const { final, events } = await apply(provider, target, staged.stagedId);
    assert.equal(final.phase, 'failed');
    assert.match(final.statusReason ?? '', /google_pubsub_topic\.events: .*pubsub\.topics\.create denied/);
    const failed = events.find((e) => e.logicalId === 'google_pubsub_topic.events' && e.status === 'failed');
    assert.match(failed?.reason ?? '', /pubsub\.topics\.create denied/);
    assert.ok(
      events.some((e) => e.logicalId === 'google_storage_bucket.data' && e.status === 'succeeded'),
      'what was applied before the failure stays applied',
    );

    const described = await provider.describeTarget({ target, signal: signal() });
    assert.equal(described.condition, 'ready', 'a FAILED deployment can be applied again');
    assert.equal(described.providerStatus, 'FAILED');
    assert.match(described.statusReason ?? '', /denied/);
  });

  it('a blueprint Terraform cannot plan fails the preview with the Terraform error', async () => {
    await writeFile(join(rig.folder, 'variables.tf'), VARIABLES);
    await writeFile(join(rig.folder, 'main.tf'), 'resource "google_storage_bucket" "data" {\n  name = var.bucket_name\n');
    const { provider, target } = providerFor('orders-badplan');
    const staged = await stage(provider, target);
    const preview = await previewOf(provider, target, staged.stagedId);
    assert.equal(preview.state, 'failed');
    assert.equal(preview.providerStatus, 'FAILED');
    assert.match(preview.reason ?? '', /PREVIEW_BUILD_RUN_FAILED/);
    assert.match(preview.reason ?? '', /main\.tf/);
    assert.deepEqual(rig.sim.deployments(), [], 'a failed preview deploys nothing');
  });

  it('cancels an apply without rolling anything back', async () => {
    await writeBlueprint({ topicSeconds: 30 });
    const { provider, target } = providerFor('orders-stop');
    const staged = await stage(provider, target);
    await previewOf(provider, target, staged.stagedId);
    const { operation } = await provider.execute({ target, stagedId: staged.stagedId, deploymentId: 'exec-stop', signal: signal() });
    let cursor: string | undefined;
    const events: DeploymentEvent[] = [];
    await rig.settle(
      async () => {
        const r = await provider.poll({ target, operation, cursor, signal: signal() });
        cursor = r.cursor;
        events.push(...r.events);
        return r;
      },
      () => events.some((e) => e.logicalId === 'google_pubsub_topic.events' && e.status === 'inProgress'),
    );
    assert.deepEqual(await provider.stop({ target, operation, deploymentId: 'exec-stop', signal: signal() }), { rollsBack: false });
    const final = await rig.settle(
      async () => {
        const r = await provider.poll({ target, operation, cursor, signal: signal() });
        cursor = r.cursor;
        events.push(...r.events);
        return r;
      },
      (r) => r.phase !== 'inProgress',
      5,
    );
    assert.equal(final.phase, 'cancelled', 'a cancelled apply is not rolled back');
    assert.equal(final.providerStatus, 'CANCELLED');
    assert.match(final.statusReason ?? '', /no rollback/);
    assert.ok(rig.sim.requests().some((r) => r.method === 'POST' && r.path.endsWith(':cancel')));
    assert.ok(!rig.sim.requests().some((r) => r.method === 'DELETE' && r.path.includes('/deployments/')), 'nothing is deleted');
    assert.notEqual(rig.sim.deployments().find((d) => d.name === deploymentResource('orders-stop'))?.state, 'DELETING');
  });

  it('refuses to apply a stale preview', async () => {
    const { provider, target } = await createDeployment('orders-stale');
    await writeBlueprint({ topicLabel: 'billing' });
    const staged = await stage(provider, target);
    assert.equal((await previewOf(provider, target, staged.stagedId)).state, 'ready');
    rig.sim.applyOutOfBand(deploymentResource('orders-stale'));
    const before = rig.sim.requests().length;
    await assert.rejects(provider.execute({ target, stagedId: staged.stagedId, deploymentId: 'exec-stale', signal: signal() }), (error: unknown) => {
      assert.ok(isConflict(error), String(error));
      assert.match(error.message, /stale|moved/);
      return true;
    });
    assert.ok(
      !rig.sim
        .requests()
        .slice(before)
        .some((r) => r.method === 'PATCH' || r.method === 'POST'),
      'nothing was applied',
    );
  });

  it('a locked deployment needs consent: describeTarget never mutates, unlock releases it', async () => {
    const { provider, target } = await createDeployment('orders-lock');
    rig.sim.lock(deploymentResource('orders-lock'));
    const before = rig.sim.requests().length;
    const described = await provider.describeTarget({ target, signal: signal() });
    await provider.describeTarget({ target, signal: signal() });
    assert.equal(described.condition, 'unrecoverable');
    assert.deepEqual(
      described.recoveryActions.map((a) => [a.id, a.destructive]),
      [
        ['unlock', false],
        ['forceDelete', true],
      ],
    );
    assert.equal(described.recoveryActions[0]?.label, 'Unlock and deploy');
    assert.equal(described.recoveryActions[0]?.restartsDeployment, true);
    assert.ok(
      rig.sim
        .requests()
        .slice(before)
        .every((r) => r.method === 'GET'),
      'describing only reads',
    );
    assert.equal(rig.sim.deployments().find((d) => d.name === deploymentResource('orders-lock'))?.lockState, 'LOCKED');

    await provider.recover({ target, action: 'unlock', deploymentId: 'rec-1', targetId: described.targetId, signal: signal() });
    assert.ok(rig.sim.requests().some((r) => r.path.endsWith(':exportLock')));
    assert.ok(rig.sim.requests().some((r) => r.method === 'POST' && r.path.endsWith(':unlock')));
    const after = await rig.settle(
      () => provider.describeTarget({ target, signal: signal() }),
      (r) => r.condition !== 'inProgress',
    );
    assert.equal(after.condition, 'ready');
    assert.equal(rig.sim.deployments().find((d) => d.name === deploymentResource('orders-lock'))?.state, 'ACTIVE', 'unlocking deleted nothing');
  });

  it('force-deletes a locked deployment only when asked, then it is missing', async () => {
    const { provider, target } = await createDeployment('orders-force');
    rig.sim.lock(deploymentResource('orders-force'));
    const described = await provider.describeTarget({ target, signal: signal() });
    assert.equal(described.condition, 'unrecoverable');
    // The first deploy's own cleanup removes its preview; what must not happen is a deployments.delete.
    assert.ok(!rig.sim.requests().some((r) => r.method === 'DELETE' && r.path.includes('/deployments/')), 'no delete before recover');
    const { operation } = await provider.recover({ target, action: 'forceDelete', deploymentId: 'rec-2', targetId: described.targetId, signal: signal() });
    assert.equal(operation.kind, 'delete');
    const deletes = rig.sim.requests().filter((r) => r.method === 'DELETE' && r.path.endsWith('/deployments/orders-force'));
    assert.equal(deletes.length, 1);
    assert.equal(deletes[0]?.query.force, 'true');
    const final = await rig.settle(
      () => provider.describeTarget({ target, signal: signal() }),
      (r) => r.condition !== 'inProgress',
    );
    assert.equal(final.condition, 'missing');
  });

  it('a suspended deployment offers only force delete', async () => {
    const { provider, target } = await createDeployment('orders-susp');
    rig.sim.setDeploymentState(deploymentResource('orders-susp'), 'SUSPENDED');
    const described = await provider.describeTarget({ target, signal: signal() });
    assert.equal(described.condition, 'unrecoverable');
    assert.deepEqual(
      described.recoveryActions.map((a) => a.id),
      ['forceDelete'],
    );
  });

  it('a deployment being deleted is waited for', async () => {
    const { provider, target } = await createDeployment('orders-del');
    rig.sim.setDeploymentState(deploymentResource('orders-del'), 'DELETING');
    const described = await provider.describeTarget({ target, signal: signal() });
    assert.equal(described.condition, 'inProgress');
    assert.equal(described.operation?.kind, 'delete');
  });

  it('aborting a staged preview deletes the preview and the staged zip, and nothing else', async () => {
    await writeBlueprint();
    const { provider, target } = providerFor('orders-abort');
    const staged = await stage(provider, target);
    await previewOf(provider, target, staged.stagedId);
    assert.equal(rig.sim.objects().length, 1);
    await provider.abortStaged({
      target,
      stagedId: staged.stagedId,
      deploymentId: stagedDeploymentId(),
      attempt: 0,
      removeCreatedTarget: staged.createdTarget,
      targetId: staged.targetId,
      signal: signal(),
    });
    assert.equal(rig.sim.objects().length, 0);
    assert.ok(rig.sim.requests().some((r) => r.method === 'DELETE' && r.path.includes('/previews/')));
    assert.equal(rig.sim.deployments().length, 0);
    const after = await provider.describeStaged({ target, stagedId: staged.stagedId, signal: signal() });
    assert.equal(after.state, 'failed');
    assert.equal(after.providerStatus, 'DELETED');
  });

  it('maps throttling and unavailability to retryable errors', async () => {
    await writeBlueprint();
    const { provider, target } = providerFor('orders-faults');
    rig.sim.inject({ kind: 'throttle', method: 'POST', pathIncludes: '/previews', times: 1 });
    await assert.rejects(stage(provider, target), (e: unknown) => isProviderError(e) && e.code === 'Throttling' && e.retryable);
    rig.sim.inject({ kind: 'unavailable', method: 'POST', pathIncludes: '/previews', times: 1 });
    await assert.rejects(stage(provider, target), (e: unknown) => isProviderError(e) && e.code === 'Transient' && e.retryable);
  });

  it('a retried execute (first response lost) gets the same operation, not a conflict', async () => {
    const { provider, target } = await createDeployment('orders-twice');
    await writeBlueprint({ topicLabel: 'billing' });
    const staged = await stage(provider, target);
    assert.equal((await previewOf(provider, target, staged.stagedId)).state, 'ready');
    const first = await provider.execute({ target, stagedId: staged.stagedId, deploymentId: 'exec-twice', signal: signal() });
    rig.sim.advance(2);
    const second = await provider.execute({ target, stagedId: staged.stagedId, deploymentId: 'exec-twice', signal: signal() });
    assert.equal(second.operation.operationName, first.operation.operationName);
    const patches = rig.sim.requests().filter((r) => r.method === 'PATCH');
    assert.equal(patches.length, 1, 'the retry found its own apply on the deployment and sent nothing again');
    assert.match(patches[0]?.query.requestId ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('reattaches to an apply another window started, from describeTarget alone', async () => {
    const { provider, target } = await createDeployment('orders-reattach');
    await writeBlueprint({ topicLabel: 'billing', topicSeconds: 6 });
    const staged = await stage(provider, target);
    await previewOf(provider, target, staged.stagedId);
    await provider.execute({ target, stagedId: staged.stagedId, deploymentId: 'exec-other', signal: signal() });
    rig.sim.advance(2);

    const other = providerFor('orders-reattach').provider;
    const described = await other.describeTarget({ target, signal: signal() });
    assert.equal(described.condition, 'inProgress');
    assert.ok(described.operation);
    const operation = described.operation;
    let cursor: string | undefined;
    const events: DeploymentEvent[] = [];
    const final = await rig.settle(
      async () => {
        const r = await other.poll({ target, operation, cursor, signal: signal() });
        cursor = r.cursor;
        events.push(...r.events);
        return r;
      },
      (r) => r.phase !== 'inProgress',
    );
    assert.equal(final.phase, 'succeeded');
    assert.ok(events.some((e) => e.logicalId === 'google_pubsub_topic.events' && e.status === 'succeeded'));
  });

  describe('through the deployment machine', () => {
    it('deploys, then a locked deployment waits for consent and deploys after unlocking', async () => {
      rig.sim.setSpeed(50);
      await writeBlueprint();
      const settings = gcpSettings(rig.sim, rig.folder, { deploymentName: 'orders-machine', inputValues: { bucket_name: 'orders-data' } });
      const provider = gcpProvider(rig.sim, settings);
      const first = startGcpDeployment(provider, settings);
      const created = await waitForEnd(first);
      first.dispose();
      assert.equal(created.value, 'succeeded', created.context.error?.message);
      assert.deepEqual(
        created.context.changes.map((c) => c.action),
        ['Add', 'Add'],
      );
      assert.equal(created.context.outputs?.find((o) => o.key === 'api_key')?.sensitive, true);
      const shown = toViewModel(created).outputs.find((o) => o.key === 'api_key');
      assert.equal(shown?.value, SENSITIVE_MASK, 'the monitor never gets a sensitive value');

      rig.sim.lock(deploymentResource('orders-machine'));
      await writeBlueprint({ topicLabel: 'billing' });
      const second = startGcpDeployment(provider, settings);
      const waiting = await waitFor(second, inState('awaitingConsent'), 20_000, 'the consent prompt');
      assert.deepEqual(
        waiting.context.described?.recoveryActions.map((a) => a.id),
        ['unlock', 'forceDelete'],
      );
      // The first deployment's cleanup deletes its own zip and preview; nothing touches the deployment.
      assert.ok(
        !rig.sim.requests().some((r) => r.path.endsWith(':unlock') || (r.method === 'DELETE' && r.path.includes('/deployments/'))),
        'nothing happens before consent',
      );
      second.send({ type: 'CONSENT', action: 'unlock' });
      const updated = await waitForEnd(second);
      second.dispose();
      assert.equal(updated.value, 'succeeded', updated.context.error?.message);
      assert.deepEqual(
        updated.context.changes.map((c) => [c.logicalId, c.action]),
        [['google_pubsub_topic.events', 'Modify']],
      );
      assert.ok(!rig.sim.requests().some((r) => r.method === 'DELETE' && r.path.includes('/deployments/')), 'unlock deleted nothing');
    });

    it('a failed apply ends failed with the Terraform error as the root cause', async () => {
      rig.sim.setSpeed(50);
      await writeBlueprint({ topicFail: 'Error 409: topic already exists' });
      const settings = gcpSettings(rig.sim, rig.folder, { deploymentName: 'orders-machine-fail', inputValues: { bucket_name: 'orders-data' } });
      const session = startGcpDeployment(gcpProvider(rig.sim, settings), settings);
      const end = await waitForEnd(session);
      session.dispose();
      assert.equal(end.value, 'failed');
      assert.match(end.context.error?.message ?? '', /google_pubsub_topic\.events \(google_pubsub_topic\): .*topic already exists/);
      // The monitor tells the Terraform error once, on the root cause; the deployment's line adds the code and the logs.
      const { rootCause, targetReason } = toViewModel(end).failures;
      assert.match(rootCause?.reason ?? '', /topic already exists/);
      assert.doesNotMatch(targetReason ?? '', /topic already exists/);
      assert.match(
        targetReason ?? '',
        /^Terraform failed on google_pubsub_topic\.events \[APPLY_BUILD_RUN_FAILED\] \(full log: https:\/\/\S+\/tf-error\.ndjson;/,
      );
    });
  });
  describe('review fixes', () => {
    const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const simClient = (): config_v1.Config => imSimClient(rig.sim);
    const deploymentOf = (id: string) => rig.sim.deployments().find((d) => d.name === deploymentResource(id));

    it("an update patches only the fields Stackwatch sets: worker pool, others' annotations and the rest survive", async () => {
      const { provider, target } = await createDeployment('orders-mask');
      const name = deploymentResource('orders-mask');
      // Someone configured the deployment outside Stackwatch (the artifacts bucket cannot change after a create).
      await simClient().projects.locations.deployments.patch({
        name,
        updateMask: 'workerPool,annotations,importExistingResources',
        requestBody: {
          workerPool: 'projects/orders-prod/locations/us-central1/workerPools/private',
          annotations: { owner: 'team-orders' },
          importExistingResources: true,
        },
      });
      await rig.settle(
        () => provider.describeTarget({ target, signal: signal() }),
        (r) => r.condition !== 'inProgress',
      );

      await writeBlueprint({ topicLabel: 'billing' });
      const staged = await stage(provider, target);
      assert.equal((await previewOf(provider, target, staged.stagedId)).state, 'ready');
      const { final } = await apply(provider, target, staged.stagedId);
      assert.equal(final.phase, 'succeeded', final.statusReason);

      const patch = rig.sim
        .requests()
        .filter((r) => r.method === 'PATCH')
        .at(-1);
      // tfVersionConstraint because stackwatch.gcp.terraformVersion is set here (gcp-apply-settings.test.ts: not when unset).
      assert.deepEqual((patch?.query.updateMask ?? '').split(',').sort(), ['annotations', 'serviceAccount', 'terraformBlueprint', 'tfVersionConstraint']);
      const after = deploymentOf('orders-mask');
      assert.equal(after?.workerPool, 'projects/orders-prod/locations/us-central1/workerPools/private');
      const annotations = (after?.annotations ?? {}) as Record<string, string>;
      assert.equal(annotations['owner'], 'team-orders', 'annotations are merged, not replaced');
      assert.match(annotations['stackwatch.dev/apply'] ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(after?.importExistingResources, true);
    });

    it('recover refuses to unlock or delete while a live run holds the lock, and changes nothing', async () => {
      const { provider, target } = await createDeployment('orders-live');
      const name = deploymentResource('orders-live');
      rig.sim.lock(name);
      // A describe showed a crashed lock; by the time the user consents, a run is going again.
      rig.sim.setDeploymentState(name, 'UPDATING');
      const before = rig.sim.requests().length;
      for (const action of ['unlock', 'forceDelete'] as const) {
        await assert.rejects(
          provider.recover({ target, action, deploymentId: 'rec-live', signal: signal() }),
          (e: unknown) => isConflict(e) && /UPDATING/.test(e.message),
        );
      }
      assert.ok(
        rig.sim
          .requests()
          .slice(before)
          .every((r) => r.method === 'GET'),
        'only reads',
      );
      assert.equal(deploymentOf('orders-live')?.lockState, 'LOCKED');
      assert.equal(deploymentOf('orders-live')?.state, 'UPDATING');
    });

    it('the force-delete action says it releases the lock first when the deployment is locked', async () => {
      const { provider, target } = await createDeployment('orders-forcewords');
      rig.sim.lock(deploymentResource('orders-forcewords'));
      const described = await provider.describeTarget({ target, signal: signal() });
      assert.match(described.recoveryActions.find((a) => a.id === 'forceDelete')?.description ?? '', /release[sd]? the Terraform lock .* first/i);
    });

    it('a retried delete recovery (first response lost) sends the same requestId and gets the same operation', async () => {
      const { provider, target } = await createDeployment('orders-redelete');
      rig.sim.lock(deploymentResource('orders-redelete'));
      const { targetId } = await provider.describeTarget({ target, signal: signal() });
      const first = await provider.recover({ target, action: 'forceDelete', deploymentId: 'rec-again', targetId, signal: signal() });
      rig.sim.advance(1);
      const second = await provider.recover({ target, action: 'forceDelete', deploymentId: 'rec-again', targetId, signal: signal() });
      assert.equal(second.operation.kind, 'delete');
      assert.equal(second.operation.operationName, first.operation.operationName);
      const deletes = rig.sim.requests().filter((r) => r.method === 'DELETE' && r.path.endsWith('/deployments/orders-redelete'));
      assert.ok(deletes.length >= 1);
      assert.ok(
        deletes.every((r) => r.query.requestId === deletes[0]?.query.requestId),
        'one requestId',
      );
      assert.match(deletes[0]?.query.requestId ?? '', UUID);
      const final = await rig.settle(
        () => provider.describeTarget({ target, signal: signal() }),
        (r) => r.condition !== 'inProgress',
      );
      assert.equal(final.condition, 'missing');
    });

    it('a delete recovery on a deployment someone else is already deleting succeeds and can be polled', async () => {
      const { provider, target } = await createDeployment('orders-deleting');
      const name = deploymentResource('orders-deleting');
      rig.sim.setDeploymentState(name, 'DELETING');
      const { operation } = await provider.recover({ target, action: 'delete', deploymentId: 'rec-deleting', signal: signal() });
      assert.equal(operation.kind, 'delete');
      assert.equal(operation.targetId, name);
      const polled = await provider.poll({ target, operation, signal: signal() });
      assert.equal(polled.phase, 'inProgress');
      assert.equal(deploymentOf('orders-deleting')?.state, 'DELETING');
    });

    /** A create staged with a sensitive input (api_key), for the Save Plan masking checks. */
    const stageWithSecret = async (name: string, deploymentId: string) => {
      const { provider, target } = providerFor(name);
      const parameters = [
        { key: 'bucket_name', value: 'orders-data' },
        { key: 'api_key', value: 'hunter2-secret' },
      ];
      const staged = await provider.stage({
        target,
        template: await checkedTemplate(rig.folder),
        parameters,
        capabilities: [],
        condition: 'missing',
        deploymentId,
        attempt: 0,
        signal: signal(),
      });
      return { provider, target, staged };
    };

    it('the saved plan masks every input value when neither the checked zip nor the blueprint can be read any more', async () => {
      await writeBlueprint();
      const { provider, target, staged } = await stageWithSecret('orders-plan', 'dep-plan');
      await previewOf(provider, target, staged.stagedId);
      const inputsOf = (plan: string) => (JSON.parse(plan) as { variables: Record<string, { value: unknown }> }).variables;
      const readable = await provider.template({ target, stagedId: staged.stagedId, signal: signal() });
      assert.ok(!readable.includes('hunter2-secret'), 'sensitive value masked while the blueprint is readable');
      assert.deepEqual(inputsOf(readable), { bucket_name: { value: 'orders-data' }, retention_days: { value: 7 }, api_key: { value: '(sensitive)' } });
      await rm(rig.folder, { recursive: true, force: true });
      // A window reload forgets the checked zips and the plans read; the folder is gone too.
      checkedBlueprints.clear();
      const { provider: reloaded } = providerFor('orders-plan');
      const blind = await reloaded.template({ target, stagedId: staged.stagedId, signal: signal() });
      assert.ok(!blind.includes('hunter2-secret'), 'sensitive value masked without the blueprint');
      assert.deepEqual(
        inputsOf(blind),
        { bucket_name: { value: '(sensitive)' }, retention_days: { value: '(sensitive)' }, api_key: { value: '(sensitive)' } },
        'every value masked without the blueprint',
      );
      assert.ok(!blind.includes('orders-data'), 'and every copy of an input value, which may be a secret');
    });

    it('Save Plan after the apply: the plan reviewed in this window (secrets masked), though the service deleted the preview; a new window is told why it is gone', async () => {
      await writeBlueprint();
      const { provider, target, staged } = await stageWithSecret('orders-saved-plan', 'dep-saved-plan');
      assert.equal((await previewOf(provider, target, staged.stagedId)).state, 'ready');
      const reviewed = await provider.template({ target, stagedId: staged.stagedId, signal: signal() });
      const { final } = await apply(provider, target, staged.stagedId);
      assert.equal(final.phase, 'succeeded', final.statusReason);
      // A first deploy's preview names no deployment, so the service keeps it; the run's cleanup removes it.
      await provider.abortStaged({
        target,
        stagedId: staged.stagedId,
        deploymentId: 'dep-saved-plan',
        attempt: 0,
        executed: true,
        removeCreatedTarget: false,
        signal: signal(),
      });

      const previewPath = `/v1/${decodeURIComponent((JSON.parse(reviewed) as { stackwatch: { preview: string } }).stackwatch.preview)}`;
      const saved = await provider.template({ target, stagedId: staged.stagedId, signal: signal() });
      assert.ok(
        rig.sim.requests().some((r) => r.method === 'GET' && r.path === previewPath && r.status === 404),
        'the service deleted the preview when the deployment was applied',
      );
      assert.deepEqual(JSON.parse(saved), JSON.parse(reviewed), 'the plan the person reviewed');
      assert.ok(!saved.includes('hunter2-secret'), 'secrets stay masked');
      const plan = JSON.parse(saved) as { resource_changes: { address: string }[]; variables: Record<string, { value: unknown }> };
      assert.equal(plan.variables['api_key']?.value, '(sensitive)');
      assert.deepEqual(plan.resource_changes.map((c) => c.address).sort(), ['google_pubsub_topic.events', 'google_storage_bucket.data']);

      // A reload: a new provider never read that plan.
      const { provider: reloaded } = providerFor('orders-saved-plan');
      await assert.rejects(reloaded.template({ target, stagedId: staged.stagedId, signal: signal() }), (error: unknown) => {
        assert.ok(isProviderError(error), String(error));
        assert.equal(error.code, 'NotFound');
        assert.match(
          error.message,
          /^Infrastructure Manager deleted the preview of orders-saved-plan when the deployment was applied, so the plan can no longer be fetched\.$/,
        );
        return true;
      });
    });

    it('a preview gone without our apply (never read in this window): the service rule is told, no claim that it was applied', async () => {
      await writeBlueprint();
      const { provider, target } = providerFor('orders-plan-gone');
      const staged = await stage(provider, target);
      // Another window plans and aborts it; this one never read the plan.
      const { provider: other } = providerFor('orders-plan-gone');
      assert.equal((await previewOf(other, target, staged.stagedId)).state, 'ready');
      await other.abortStaged({
        target,
        stagedId: staged.stagedId,
        deploymentId: stagedDeploymentId(),
        attempt: 0,
        removeCreatedTarget: false,
        signal: signal(),
      });
      await assert.rejects(provider.template({ target, stagedId: staged.stagedId, signal: signal() }), (error: unknown) => {
        assert.ok(isProviderError(error), String(error));
        assert.equal(error.code, 'NotFound');
        assert.match(error.message, /^The preview of orders-plan-gone no longer exists, so its plan can no longer be fetched: Infrastructure Manager deletes/);
        return true;
      });
    });

    it('a deployment deleted by someone else while followed without an operation name: phase "unknown" (not "failed"); gone is success only for a delete', async () => {
      const { provider, target } = await createDeployment('orders-vanish');
      const name = deploymentResource('orders-vanish');
      await simClient().projects.locations.deployments.delete({ name, force: true });
      await rig.settle(
        async () => rig.sim.deployments().some((d) => d.name === name && d.state !== 'DELETED'),
        (present) => !present,
      );
      const followed = { startedAt: new Date().toISOString(), targetId: name };
      const update = await provider.poll({ target, operation: { ...followed, kind: 'update' }, signal: signal() });
      assert.equal(update.phase, 'unknown');
      assert.equal(update.providerStatus, 'DELETED');
      assert.match(update.statusReason ?? '', /deleted outside this run, so how that run ended is not known/);
      assert.equal(update.notice, update.statusReason, 'told once, as news');
      assert.ok(!update.events.some((e) => e.status === 'failed'), 'no failure is reported');
      const deletion = await provider.poll({ target, operation: { ...followed, kind: 'delete' }, signal: signal() });
      assert.equal(deletion.phase, 'succeeded');
    });

    it('a retried stage (first response lost) reuses its own preview instead of orphaning one', async () => {
      await writeBlueprint();
      const { provider, target } = providerFor('orders-restage');
      const template = await checkedTemplate(rig.folder);
      const once = () =>
        provider.stage({
          target,
          template,
          parameters: [{ key: 'bucket_name', value: 'orders-data' }],
          capabilities: [],
          condition: 'missing',
          deploymentId: 'dep-restage',
          attempt: 0,
          signal: signal(),
        });
      const first = await once();
      rig.sim.advance(1);
      const second = await once();
      assert.equal(second.stagedId, first.stagedId);
      const created = rig.sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/previews'));
      assert.equal(new Set(created.map((r) => r.query.previewId)).size, 1, 'one preview ID');
      assert.equal(rig.sim.objects().length, 1);
      // The reused preview still plans a blueprint that exists: the retry did not replace it.
      assert.equal((await previewOf(provider, target, second.stagedId)).state, 'ready');
      const { final } = await apply(provider, target, second.stagedId);
      assert.equal(final.phase, 'succeeded', final.statusReason);
    });
  });
});
