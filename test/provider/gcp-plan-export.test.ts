/**
 * Save Plan through previews.export, and drift in the review (previews.resourceDrifts), with the
 * real googleapis client against im-sim (speed 0, time moved by the test). Assertions look at
 * what the adapter returns and, separately, at the sim's request log.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isProviderError, type DescribeStagedResult, type PollResult, type StageResult, type TargetRef } from '../../src/providers/provider';
import { GcpProvider } from '../../src/providers/gcp/gcpProvider';
import { checkedTemplate } from '../support/gcpCheckedTemplate';
import { gcpTarget, useImSimFolder } from '../support/gcpDeployment';

const PROJECT = 'orders-prod';
const LOCATION = 'us-central1';
const SECRET = 'hunter2-secret-value';
const SIGNED = '/im-sim-preview-artifacts/';

const VARIABLES = `variable "bucket_name" {
  type = string
}

variable "api_key" {
  type      = string
  sensitive = true
  default   = "default-key-0000"
}
`;

const MAIN = `resource "google_storage_bucket" "data" {
  name     = var.bucket_name
  location = "US"
}

resource "google_secret_manager_secret_version" "key" {
  secret      = "projects/orders-prod/secrets/api-key"
  secret_data = var.api_key
}

resource "google_pubsub_topic" "events" {
  name = "events"
}

output "bucket_name" {
  value = var.bucket_name
}

output "api_key" {
  value     = var.api_key
  sensitive = true
}
`;

interface TerraformPlanJson {
  stackwatch: { note: string; preview: string };
  format_version: string;
  variables: Record<string, { value: unknown }>;
  resource_changes: { address: string; change: { actions: string[]; after: Record<string, unknown> | null; after_sensitive: unknown } }[];
  output_changes: Record<string, { after: unknown; after_sensitive: unknown }>;
  planned_values: { outputs: Record<string, { value: unknown; sensitive: boolean }> };
}

describe('GCP Save Plan (previews.export) and drift (previews.resourceDrifts) against im-sim', () => {
  const rig = useImSimFolder('sw-gcp-plan-', { sim: { resourceSeconds: 1 }, files: { 'variables.tf': VARIABLES, 'main.tf': MAIN } });
  let counter = 0;

  const signal = () => AbortSignal.timeout(10_000);
  const deploymentResource = (id: string) => `projects/${PROJECT}/locations/${LOCATION}/deployments/${id}`;

  function providerFor(deploymentId: string): { provider: GcpProvider; target: TargetRef } {
    return gcpTarget(rig.sim, rig.folder, deploymentId, { terraformVersion: '1.5.7' });
  }

  /** Without the secret input, Stackwatch can tell a re-run of the same blueprint ("empty"): a sensitive input is never digested. */
  async function stage(provider: GcpProvider, target: TargetRef, withSecret = true): Promise<StageResult> {
    const described = await provider.describeTarget({ target, signal: signal() });
    return provider.stage({
      target,
      template: await checkedTemplate(rig.folder),
      parameters: [{ key: 'bucket_name', value: 'orders-data' }, ...(withSecret ? [{ key: 'api_key', value: SECRET, secret: true }] : [])],
      capabilities: [],
      condition: described.condition,
      deploymentId: `dep-${++counter}`,
      attempt: 0,
      signal: signal(),
    });
  }

  const review = (provider: GcpProvider, target: TargetRef, stagedId: string): Promise<DescribeStagedResult> =>
    rig.settle(
      () => provider.describeStaged({ target, stagedId, signal: signal() }),
      (r) => r.state !== 'pending',
    );

  async function apply(provider: GcpProvider, target: TargetRef, stagedId: string): Promise<PollResult> {
    const { operation } = await provider.execute({ target, stagedId, deploymentId: `exec-${counter}`, signal: signal() });
    return rig.settle(
      () => provider.poll({ target, operation, signal: signal() }),
      (r) => r.phase !== 'inProgress',
    );
  }

  async function deployed(id: string, withSecret = true): Promise<{ provider: GcpProvider; target: TargetRef }> {
    const { provider, target } = providerFor(id);
    const staged = await stage(provider, target, withSecret);
    assert.equal((await review(provider, target, staged.stagedId)).state, 'ready');
    assert.equal((await apply(provider, target, staged.stagedId)).phase, 'succeeded');
    return { provider, target };
  }

  const exports = () => rig.sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith(':export'));
  const downloads = () => rig.sim.requests().filter((r) => r.path.startsWith(SIGNED));

  it("Save Plan is the preview's own Terraform plan (previews.export), downloaded without our bearer token, every secret masked", async () => {
    const { provider, target } = providerFor('orders');
    const staged = await stage(provider, target);
    assert.equal((await review(provider, target, staged.stagedId)).state, 'ready');
    const text = await provider.template({ target, stagedId: staged.stagedId, signal: signal() });

    assert.equal(exports().length, 1, 'the preview was exported once, at review time');
    assert.ok(downloads().length >= 1);
    for (const request of downloads()) {
      assert.equal(request.authorization, false, `no credentials sent to the signed URL ${request.path}`);
      assert.equal(request.status, 200);
      assert.ok(request.path.endsWith('/plan.json'), 'only the JSON plan is fetched: the binary plan holds secrets in clear');
    }

    assert.ok(!text.includes(SECRET), 'the sensitive input appears nowhere in the saved plan');
    const plan = JSON.parse(text) as TerraformPlanJson;
    assert.equal(plan.format_version, '1.2', "Terraform's JSON plan, as exported");
    assert.match(plan.stackwatch.note, /Sensitive values .* are replaced with "\(sensitive\)"/);
    assert.deepEqual(plan.variables, { bucket_name: { value: 'orders-data' }, api_key: { value: '(sensitive)' } });
    const secretVersion = plan.resource_changes.find((c) => c.address === 'google_secret_manager_secret_version.key');
    assert.deepEqual(secretVersion?.change.after_sensitive, { secret_data: true }, 'Terraform marks it; the marks stay');
    assert.equal(secretVersion?.change.after?.['secret_data'], '(sensitive)');
    assert.equal(secretVersion?.change.after?.['secret'], 'projects/orders-prod/secrets/api-key', 'what is not marked stays readable');
    assert.equal(plan.output_changes['api_key']?.after, '(sensitive)');
    assert.equal(plan.output_changes['bucket_name']?.after, 'orders-data');
    assert.equal(plan.planned_values.outputs['api_key']?.value, '(sensitive)');
  });

  it('after the apply (the service deleted the preview) Save Plan gives the plan read at review time, without exporting again', async () => {
    const { provider, target } = providerFor('orders-after');
    const staged = await stage(provider, target);
    assert.equal((await review(provider, target, staged.stagedId)).state, 'ready');
    assert.equal((await apply(provider, target, staged.stagedId)).phase, 'succeeded');
    const before = exports().length;
    const saved = JSON.parse(await provider.template({ target, stagedId: staged.stagedId, signal: signal() })) as TerraformPlanJson;
    assert.equal(exports().length, before, 'nothing exported after the apply');
    assert.deepEqual(
      saved.resource_changes.map((c) => [c.address, c.change.actions]),
      [
        ['google_storage_bucket.data', ['create']],
        ['google_secret_manager_secret_version.key', ['create']],
        ['google_pubsub_topic.events', ['create']],
      ],
    );
  });

  it('a failed download decides nothing: the review goes on, Save Plan is a retryable error without the signed link, and asking again exports a new link', async () => {
    const { provider, target } = providerFor('orders-flaky');
    const staged = await stage(provider, target);
    rig.sim.inject({ kind: 'unavailable', pathIncludes: SIGNED, times: 2 });
    const reviewed = await review(provider, target, staged.stagedId);
    assert.equal(reviewed.state, 'ready', 'the review does not depend on the plan export');
    await assert.rejects(provider.template({ target, stagedId: staged.stagedId, signal: signal() }), (error: unknown) => {
      assert.ok(isProviderError(error), String(error));
      assert.equal(error.code, 'Transient');
      assert.equal(error.retryable, true);
      assert.match(error.message, /^Downloading the exported plan from 127\.0\.0\.1:\d+ answered HTTP 503; Save Plan again/);
      assert.ok(!error.message.includes('X-Goog-Signature'), 'the signed link (a credential) is not shown');
      return true;
    });
    const plan = JSON.parse(await provider.template({ target, stagedId: staged.stagedId, signal: signal() })) as TerraformPlanJson;
    assert.equal(plan.variables['api_key']?.value, '(sensitive)');
    assert.equal(exports().length, 3, 'one export per try: review, failed Save Plan, Save Plan');
  });

  it('drift in the review: detail lines on a resource the plan changes, a "None" row for one it leaves alone, sensitive values hidden', async () => {
    await deployed('orders-drift');
    const name = deploymentResource('orders-drift');
    rig.sim.drift(name, 'google_storage_bucket.data', 'location', 'EU');
    rig.sim.drift(name, 'google_pubsub_topic.events', 'message_retention_duration', '600s');
    rig.sim.drift(name, 'google_pubsub_topic.events', 'kms_key_name', 'projects/orders-prod/keys/secret-kms-key', { sensitive: true });

    const { provider, target } = providerFor('orders-drift');
    const staged = await stage(provider, target);
    const result = await review(provider, target, staged.stagedId);
    assert.equal(result.state, 'ready', 'the plan reverts the drift on an attribute the blueprint sets');
    const bucket = result.changes.find((c) => c.logicalId === 'google_storage_bucket.data');
    assert.equal(bucket?.action, 'Modify');
    assert.ok(bucket?.details?.includes('drifted outside Terraform: location: "US" → "EU"'), JSON.stringify(bucket?.details));
    const topic = result.changes.find((c) => c.logicalId === 'google_pubsub_topic.events');
    assert.equal(topic?.action, 'None', 'a drifted resource the plan does not change is still shown');
    assert.equal(topic?.resourceType, 'google_pubsub_topic');
    assert.deepEqual(topic?.details, [
      'Drifted outside Terraform; this plan does not change it, so the drift stays after the apply.',
      'drifted outside Terraform: message_retention_duration: (none) → "600s"',
      'drifted outside Terraform: kms_key_name: (sensitive) → (sensitive)',
    ]);
    assert.ok(!JSON.stringify(result).includes('secret-kms-key'), 'the sensitive drift value is nowhere in the review');
  });

  it('drift alone is shown but is nothing to apply: the review ends "empty" with the drifted row', async () => {
    await deployed('orders-drift-only', false);
    rig.sim.drift(deploymentResource('orders-drift-only'), 'google_pubsub_topic.events', 'message_retention_duration', '600s');
    const { provider, target } = providerFor('orders-drift-only');
    const staged = await stage(provider, target, false);
    const result = await review(provider, target, staged.stagedId);
    assert.equal(result.state, 'empty', JSON.stringify(result.changes));
    assert.deepEqual(
      result.changes.map((c) => [c.logicalId, c.action]),
      [['google_pubsub_topic.events', 'None']],
    );
  });

  it('a drift list that fails decides nothing: the review goes on without drift rows', async () => {
    await deployed('orders-drift-down');
    rig.sim.drift(deploymentResource('orders-drift-down'), 'google_storage_bucket.data', 'location', 'EU');
    const { provider, target } = providerFor('orders-drift-down');
    const staged = await stage(provider, target);
    rig.sim.inject({ kind: 'unavailable', pathIncludes: '/resourceDrifts', times: 1 });
    const result = await review(provider, target, staged.stagedId);
    assert.equal(result.state, 'ready');
    assert.ok(
      rig.sim.requests().some((r) => r.path.endsWith('/resourceDrifts') && r.status === 503),
      'the drift list was asked for and failed',
    );
    const bucket = result.changes.find((c) => c.logicalId === 'google_storage_bucket.data');
    assert.equal(bucket?.action, 'Modify');
    assert.ok(!(bucket?.details ?? []).some((line) => line.startsWith('drifted')), 'no drift claimed from a failed read');
  });
});
