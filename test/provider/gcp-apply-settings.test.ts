/**
 * Apply settings through the real googleapis client against im-sim: the Terraform version is
 * checked against terraformVersions.list before anything is uploaded and sent only when set;
 * quotaValidation, importExistingResources, artifactsGcsBucket and workerPool reach the service
 * and are named in a patch's updateMask only when set; our applies are marked with annotations
 * merged into the deployment's own, and the previous version's label is still recognised.
 */
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { config_v1 } from 'googleapis/build/src/apis/config';
import { isProviderError, type PollResult, type StageResult, type TargetRef } from '../../src/providers/provider';
import { applyMark, labelValue } from '../../src/providers/gcp/applyMarks';
import { GcpProvider } from '../../src/providers/gcp/gcpProvider';
import { decodeStagedId } from '../../src/providers/gcp/names';
import type { GcpProviderSettings } from '../../src/providers/gcp/settings';
import { checkedTemplate } from '../support/gcpCheckedTemplate';
import { imSimClient, gcpTarget, polledToEnd, useImSimFolder } from '../support/gcpDeployment';

const PROJECT = 'orders-prod';
const LOCATION = 'us-central1';
const POOL = `projects/${PROJECT}/locations/${LOCATION}/workerPools/private`;

const blueprint = (o: { quotaShort?: boolean; label?: string } = {}) => `resource "google_compute_instance" "vm" {
  # sim: seconds=2${o.quotaShort ? ' quota-exceeded' : ''}
  name   = "vm-1"
  labels = { team = "${o.label ?? 'orders'}" }
}
`;

describe('GCP apply settings against im-sim', () => {
  const rig = useImSimFolder('sw-gcp-apply-settings-');
  let counter = 0;

  const signal = () => AbortSignal.timeout(10_000);
  const deploymentResource = (id: string) => `projects/${PROJECT}/locations/${LOCATION}/deployments/${id}`;
  const deploymentOf = (id: string) => rig.sim.deployments().find((d) => d.name === deploymentResource(id));
  const simClient = (): config_v1.Config => imSimClient(rig.sim);
  const writes = () => rig.sim.requests().filter((r) => r.method !== 'GET');

  function providerFor(deploymentId: string, overrides: Partial<GcpProviderSettings> = {}): { provider: GcpProvider; target: TargetRef } {
    return gcpTarget(rig.sim, rig.folder, deploymentId, overrides);
  }

  async function stage(provider: GcpProvider, target: TargetRef): Promise<StageResult> {
    const described = await provider.describeTarget({ target, signal: signal() });
    return provider.stage({
      target,
      template: await checkedTemplate(rig.folder),
      parameters: [],
      capabilities: [],
      condition: described.condition,
      deploymentId: `dep-${++counter}`,
      attempt: 0,
      signal: signal(),
    });
  }

  async function apply(provider: GcpProvider, target: TargetRef, stagedId: string): Promise<PollResult> {
    const ready = await rig.settle(
      () => provider.describeStaged({ target, stagedId, signal: signal() }),
      (r) => r.state !== 'pending',
    );
    assert.equal(ready.state, 'ready', ready.reason);
    const { operation } = await provider.execute({ target, stagedId, deploymentId: `dep-${counter}`, signal: signal() });
    return polledToEnd(rig.sim, provider, target, operation);
  }

  async function deploy(
    id: string,
    overrides: Partial<GcpProviderSettings> = {},
    label?: string,
  ): Promise<{ provider: GcpProvider; target: TargetRef; final: PollResult }> {
    await writeFile(join(rig.folder, 'main.tf'), blueprint({ label }));
    const { provider, target } = providerFor(id, overrides);
    const staged = await stage(provider, target);
    return { provider, target, final: await apply(provider, target, staged.stagedId) };
  }

  /** Stage must refuse with a Validation error matching `message`, having uploaded and planned nothing. */
  async function refusedBeforeUpload(overrides: Partial<GcpProviderSettings>, message: RegExp): Promise<string> {
    await writeFile(join(rig.folder, 'main.tf'), blueprint());
    const { provider, target } = providerFor('orders-bad', overrides);
    const before = writes().length;
    let text = '';
    await assert.rejects(stage(provider, target), (error: unknown) => {
      assert.ok(isProviderError(error), String(error));
      assert.equal(error.code, 'Validation', error.message);
      assert.match(error.message, message);
      assert.ok(error.message.length <= 500, error.message);
      text = `${error.message} ${error.details.hint ?? ''}`;
      return true;
    });
    assert.deepEqual(rig.sim.objects(), [], 'nothing uploaded');
    assert.deepEqual(writes().slice(before), [], 'nothing created');
    return text;
  }

  describe('stackwatch.gcp.terraformVersion', () => {
    it('unset: no constraint is sent or masked, so one set on the deployment elsewhere stays', async () => {
      const first = await deploy('orders-tf');
      assert.equal(first.final.phase, 'succeeded', first.final.statusReason);
      await simClient().projects.locations.deployments.patch({
        name: deploymentResource('orders-tf'),
        updateMask: 'tfVersionConstraint',
        requestBody: { tfVersionConstraint: '=1.4.7' },
      });
      await rig.settle(
        () => first.provider.describeTarget({ target: first.target, signal: signal() }),
        (r) => r.condition !== 'inProgress',
      );

      const second = await deploy('orders-tf', {}, 'billing');
      assert.equal(second.final.phase, 'succeeded', second.final.statusReason);
      const patch = rig.sim
        .requests()
        .filter((r) => r.method === 'PATCH')
        .at(-1);
      assert.ok(!(patch?.query['updateMask'] ?? '').split(',').includes('tfVersionConstraint'), `updateMask ${patch?.query['updateMask'] ?? ''}`);
      assert.equal(deploymentOf('orders-tf')?.tfVersionConstraint, '=1.4.7');
      assert.equal(rig.sim.requests().filter((r) => r.path.includes('/terraformVersions')).length, 0, 'nothing to check when unset');
    });

    it('set: checked against terraformVersions.list, then sent on the preview and the apply, and masked', async () => {
      const first = await deploy('orders-tf-set');
      assert.equal(first.final.phase, 'succeeded', first.final.statusReason);
      const second = await deploy('orders-tf-set', { terraformVersion: '~> 1.5.0' }, 'billing');
      assert.equal(second.final.phase, 'succeeded', second.final.statusReason);
      assert.ok(rig.sim.requests().some((r) => r.method === 'GET' && r.path.endsWith('/terraformVersions')));
      const patch = rig.sim
        .requests()
        .filter((r) => r.method === 'PATCH')
        .at(-1);
      assert.ok((patch?.query['updateMask'] ?? '').split(',').includes('tfVersionConstraint'));
      assert.equal(deploymentOf('orders-tf-set')?.tfVersionConstraint, '~> 1.5.0');
    });

    for (const [version, why] of [
      ['1.2.3', /1\.2\.3 is OBSOLETE since 2026-02-08/],
      ['1.3.10', /1\.3\.10 is DEPRECATED/],
      ['9.9.9', /offers no Terraform version that matches it/],
      ['< 1.3', /1\.2\.3 is OBSOLETE/],
    ] as const) {
      it(`"${version}" is refused before anything is uploaded, with the supported versions`, async () => {
        const text = await refusedBeforeUpload({ terraformVersion: version }, why);
        assert.match(text, /stackwatch\.gcp\.terraformVersion/);
        assert.match(text, /Supported versions: 1\.5\.7, 1\.4\.7\./);
      });
    }

    it('a constraint that is not one is refused, naming the setting', async () => {
      await refusedBeforeUpload({ terraformVersion: 'latest' }, /stackwatch\.gcp\.terraformVersion is "latest", which is not a Terraform version constraint/);
    });

    it('a failed read of the version list decides nothing: a retryable error, nothing uploaded, and the retry goes on', async () => {
      await writeFile(join(rig.folder, 'main.tf'), blueprint());
      const { provider, target } = providerFor('orders-tf-read', { terraformVersion: '1.5.7' });
      rig.sim.inject({ kind: 'unavailable', pathIncludes: '/terraformVersions' });
      await assert.rejects(stage(provider, target), (error: unknown) => isProviderError(error) && error.retryable && error.code !== 'Validation');
      assert.deepEqual(rig.sim.objects(), []);
      const staged = await stage(provider, target);
      assert.ok(staged.stagedId);
      assert.equal(rig.sim.objects().length, 1);
    });
  });

  describe('quotaValidation, importExistingResources, artifactsGcsBucket, workerPool', () => {
    const all: Partial<GcpProviderSettings> = {
      quotaValidation: 'ENABLED',
      importExistingResources: true,
      artifactsGcsBucket: 'gs://orders-artifacts/im',
      workerPool: POOL,
    };

    it('reach the service: the preview gets the bucket and pool, the created deployment all four', async () => {
      await writeFile(join(rig.folder, 'main.tf'), blueprint());
      const { provider, target } = providerFor('orders-settings', all);
      const staged = await stage(provider, target);
      const preview = (await simClient().projects.locations.previews.get({ name: decodeStagedId(staged.stagedId).preview })).data;
      assert.equal(preview.workerPool, POOL);
      assert.equal(preview.artifactsGcsBucket, 'gs://orders-artifacts/im');
      const final = await apply(provider, target, staged.stagedId);
      assert.equal(final.phase, 'succeeded', final.statusReason);
      const deployment = deploymentOf('orders-settings');
      assert.equal(deployment?.quotaValidation, 'ENABLED');
      assert.equal(deployment?.importExistingResources, true);
      assert.equal(deployment?.artifactsGcsBucket, 'gs://orders-artifacts/im');
      assert.equal(deployment?.workerPool, POOL);
      const revision = (await simClient().projects.locations.deployments.revisions.get({ name: String(deployment?.latestRevision) })).data;
      assert.match(revision.quotaValidationResults ?? '', /^gs:\/\/orders-artifacts\/im\/.*quota-validation-results\.json$/);
    });

    it('an update masks only the settings that are set; the artifacts bucket is never patched', async () => {
      const first = await deploy('orders-upd', all);
      assert.equal(first.final.phase, 'succeeded', first.final.statusReason);
      const second = await deploy('orders-upd', { artifactsGcsBucket: 'gs://orders-artifacts/im', workerPool: `${POOL}-2` }, 'billing');
      assert.equal(second.final.phase, 'succeeded', second.final.statusReason);
      const patch = rig.sim
        .requests()
        .filter((r) => r.method === 'PATCH')
        .at(-1);
      assert.deepEqual((patch?.query['updateMask'] ?? '').split(',').sort(), ['annotations', 'serviceAccount', 'terraformBlueprint', 'workerPool']);
      const deployment = deploymentOf('orders-upd');
      assert.equal(deployment?.workerPool, `${POOL}-2`);
      assert.equal(deployment?.quotaValidation, 'ENABLED', 'not cleared by a patch that does not name it');
      assert.equal(deployment?.importExistingResources, true);
    });

    it('ENFORCED with too little quota fails the apply with QUOTA_VALIDATION_FAILED before any resource is touched', async () => {
      await writeFile(join(rig.folder, 'main.tf'), blueprint({ quotaShort: true }));
      const { provider, target } = providerFor('orders-quota', { quotaValidation: 'ENFORCED' });
      const staged = await stage(provider, target);
      const final = await apply(provider, target, staged.stagedId);
      assert.equal(final.phase, 'failed');
      const deployment = deploymentOf('orders-quota');
      const revision = (await simClient().projects.locations.deployments.revisions.get({ name: String(deployment?.latestRevision) })).data;
      assert.equal(revision.state, 'FAILED');
      assert.equal(revision.errorCode, 'QUOTA_VALIDATION_FAILED');
      assert.match(revision.quotaValidationResults ?? '', /quota-validation-results\.json$/);
      const resources =
        (await simClient().projects.locations.deployments.revisions.resources.list({ parent: String(deployment?.latestRevision) })).data.resources ?? [];
      assert.ok(
        resources.every((r) => r.state !== 'RECONCILED'),
        'nothing applied',
      );
    });

    it('ENABLED with too little quota reports and goes on', async () => {
      await writeFile(join(rig.folder, 'main.tf'), blueprint({ quotaShort: true }));
      const { provider, target } = providerFor('orders-quota-on', { quotaValidation: 'ENABLED' });
      const final = await apply(provider, target, (await stage(provider, target)).stagedId);
      assert.equal(final.phase, 'succeeded', final.statusReason);
    });

    it('malformed values are refused before anything is uploaded, naming the setting', async () => {
      const pool = await refusedBeforeUpload(
        { workerPool: 'private' },
        /stackwatch\.gcp\.workerPool is "private"; it must be a Cloud Build worker pool's full name/,
      );
      assert.match(pool, /Did you mean "projects\/orders-prod\/locations\/us-central1\/workerPools\/private"\?/);
      await refusedBeforeUpload(
        { artifactsGcsBucket: 'orders-artifacts' },
        /stackwatch\.gcp\.artifactsGcsBucket is "orders-artifacts"; it must be a Cloud Storage location gs:\/\/BUCKET/,
      );
      await refusedBeforeUpload({ quotaValidation: 'enforced' as 'ENFORCED' }, /stackwatch\.gcp\.quotaValidation is "enforced".*Did you mean "ENFORCED"\?/);
    });

    it('an artifacts bucket other than the one the deployment was created with is refused before anything is uploaded', async () => {
      const first = await deploy('orders-bad', { artifactsGcsBucket: 'gs://orders-artifacts/im' });
      assert.equal(first.final.phase, 'succeeded', first.final.statusReason);
      const objects = rig.sim.objects().length;
      await writeFile(join(rig.folder, 'main.tf'), blueprint({ label: 'billing' }));
      const { provider, target } = providerFor('orders-bad', { artifactsGcsBucket: 'gs://other-artifacts' });
      await assert.rejects(
        stage(provider, target),
        (error: unknown) =>
          isProviderError(error) &&
          error.code === 'Validation' &&
          /stackwatch\.gcp\.artifactsGcsBucket is gs:\/\/other-artifacts, but orders-bad keeps its artifacts in gs:\/\/orders-artifacts\/im/.test(
            error.message,
          ),
      );
      assert.equal(rig.sim.objects().length, objects);
    });
  });

  describe('annotations mark our applies', () => {
    it("our mark is an annotation merged with the deployment's own; the previous version's labels are dropped", async () => {
      const first = await deploy('orders-marks');
      assert.equal(first.final.phase, 'succeeded', first.final.statusReason);
      await simClient().projects.locations.deployments.patch({
        name: deploymentResource('orders-marks'),
        updateMask: 'annotations,labels',
        requestBody: { annotations: { owner: 'team-orders' }, labels: { env: 'prod', 'stackwatch-apply': 'old', 'stackwatch-blueprint': 'old-digest' } },
      });
      await rig.settle(
        () => first.provider.describeTarget({ target: first.target, signal: signal() }),
        (r) => r.condition !== 'inProgress',
      );

      await writeFile(join(rig.folder, 'main.tf'), blueprint({ label: 'billing' }));
      const staged = await stage(first.provider, first.target);
      const final = await apply(first.provider, first.target, staged.stagedId);
      assert.equal(final.phase, 'succeeded', final.statusReason);
      const deployment = deploymentOf('orders-marks');
      const annotations = (deployment?.annotations ?? {}) as Record<string, string>;
      assert.equal(annotations['owner'], 'team-orders');
      assert.equal(annotations['stackwatch.dev/apply'], applyMark(`dep-${counter}`, decodeStagedId(staged.stagedId)));
      assert.match(annotations['stackwatch.dev/blueprint-sha256'] ?? '', /^[0-9a-f]{64}$/);
      assert.deepEqual(deployment?.labels, { env: 'prod' });
    });

    it("an apply marked by the previous version's label is still recognised as ours", async () => {
      const first = await deploy('orders-legacy');
      assert.equal(first.final.phase, 'succeeded', first.final.statusReason);
      await writeFile(join(rig.folder, 'main.tf'), blueprint({ label: 'billing' }));
      const staged = await stage(first.provider, first.target);
      const ref = decodeStagedId(staged.stagedId);
      const deploymentId = `dep-${counter}`;
      // What Stackwatch before annotations left: its label, then someone else's apply on top (another blueprint source).
      const other = `${ref.gcs.split('#')[0] ?? ref.gcs}`;
      await simClient().projects.locations.deployments.patch({
        name: deploymentResource('orders-legacy'),
        updateMask: 'labels,terraformBlueprint',
        requestBody: { labels: { 'stackwatch-apply': labelValue(applyMark(deploymentId, ref)) }, terraformBlueprint: { gcsSource: other } },
      });
      const found = await first.provider.findExecution({ target: first.target, stagedId: staged.stagedId, deploymentId, signal: signal() });
      assert.equal(found.state, 'executed');
      const unmarked = await first.provider.findExecution({ target: first.target, stagedId: staged.stagedId, deploymentId: 'someone-else', signal: signal() });
      assert.notEqual(unmarked.state, 'executed');
    });
  });
});
