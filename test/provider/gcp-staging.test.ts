/**
 * Staging on Infrastructure Manager through the real googleapis client against im-sim (simulated
 * time standing still): the checked zip is the uploaded one, a first deploy's preview, request
 * IDs, the upload precondition, the sweep of old staged zips, and a vanished preview.
 */
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { unzipSync } from 'fflate';
import { isProviderError, type ParameterValue, type PollResult, type StageResult, type TargetRef, type TemplateSource } from '../../src/providers/provider';
import { checkedBlueprints } from '../../src/providers/gcp/checkedBlueprints';
import type { GcpProvider } from '../../src/providers/gcp/gcpProvider';
import type { GcpProviderSettings } from '../../src/providers/gcp/settings';
import { createBlueprintInitializer } from '../../src/providers/gcp/initializeBlueprint';
import type { ImSim, ImSimOptions } from '../../tools/im-sim/index';
import { imSimClient, gcpTarget, polledToEnd, settleSim, useImSimFolder, type ImSimFolder } from '../support/gcpDeployment';

const VARIABLES = (sensitive: boolean) => `variable "bucket_name" {
  type = string
}

variable "api_key" {
  type      = string
  sensitive = ${sensitive}
  default   = "k-123"
}
`;
const MAIN = (label: string) => `resource "google_storage_bucket" "data" {
  # sim: seconds=1
  name     = var.bucket_name
  location = "US"
}

resource "google_pubsub_topic" "events" {
  # sim: seconds=1
  name   = "events"
  labels = { team = "${label}" }
}
`;
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const BUCKET = 'orders-prod-blueprints';
const PARAMETERS: ParameterValue[] = [
  { key: 'bucket_name', value: 'orders-data' },
  { key: 'api_key', value: 'hunter2-secret', secret: true },
];

function useSim(options: ImSimOptions = {}): ImSimFolder {
  const rig = useImSimFolder('sw-gcp-staging-', {
    sim: { resourceSeconds: 1, setupSeconds: 1, ...options },
    files: { 'variables.tf': VARIABLES(true), 'main.tf': MAIN('orders') },
  });
  // Each test checks and zips its own folder: no checked blueprint kept from the test before.
  beforeEach(() => checkedBlueprints.clear());
  return rig;
}

const signal = () => AbortSignal.timeout(10_000);

function setup(sim: ImSim, folder: string, name: string): { provider: GcpProvider; settings: GcpProviderSettings; target: TargetRef } {
  return gcpTarget(sim, folder, name, { inputValues: { bucket_name: 'orders-data', api_key: 'hunter2-secret' } });
}

/** What the machine's initialize step gives: the checked template. */
async function initialize(settings: GcpProviderSettings, name: string): Promise<TemplateSource> {
  const init = createBlueprintInitializer(settings, { displayPath: (p) => p.split('/').slice(-1).join('/') });
  const result = await init({ deploymentId: name, round: 0, target: { provider: 'gcp', name, region: 'us-central1' } }, signal());
  return result.template;
}

async function stage(provider: GcpProvider, target: TargetRef, template: TemplateSource, deploymentId: string, attempt = 0): Promise<StageResult> {
  const described = await provider.describeTarget({ target, signal: signal() });
  return provider.stage({
    target,
    template,
    parameters: PARAMETERS,
    capabilities: [],
    condition: described.condition,
    deploymentId,
    attempt,
    signal: signal(),
  });
}

async function planned(sim: ImSim, provider: GcpProvider, target: TargetRef, stagedId: string) {
  return settleSim(
    sim,
    () => provider.describeStaged({ target, stagedId, signal: signal() }),
    (r) => r.state !== 'pending',
  );
}

async function applyAndFinish(sim: ImSim, provider: GcpProvider, target: TargetRef, stagedId: string, deploymentId: string): Promise<PollResult> {
  const { operation } = await provider.execute({ target, stagedId, deploymentId, signal: signal() });
  return polledToEnd(sim, provider, target, operation);
}

/** A full deploy through the adapter: initialize, stage, plan, apply, cleanup. */
async function deploy(rig: ImSimFolder, name: string, deploymentId: string): Promise<StageResult> {
  const { provider, settings, target } = setup(rig.sim, rig.folder, name);
  const staged = await stage(provider, target, await initialize(settings, name), deploymentId);
  assert.equal((await planned(rig.sim, provider, target, staged.stagedId)).state, 'ready');
  assert.equal((await applyAndFinish(rig.sim, provider, target, staged.stagedId, deploymentId)).phase, 'succeeded');
  await provider.abortStaged({ target, stagedId: staged.stagedId, deploymentId, attempt: 0, executed: true, removeCreatedTarget: false, signal: signal() });
  return staged;
}

async function objectBytes(sim: ImSim, object: string): Promise<Uint8Array> {
  const response = await fetch(`${sim.rootUrl}storage/v1/b/${BUCKET}/o/${encodeURIComponent(object)}?alt=media`, {
    headers: { authorization: `Bearer ${sim.token}` },
  });
  assert.equal(response.status, 200);
  return new Uint8Array(await response.arrayBuffer());
}

async function putObject(sim: ImSim, object: string, data: Uint8Array): Promise<string> {
  const response = await fetch(`${sim.rootUrl}upload/storage/v1/b/${BUCKET}/o?uploadType=media&name=${encodeURIComponent(object)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sim.token}`, 'content-type': 'application/zip' },
    body: data,
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { generation: string }).generation;
}

describe('GCP staging: the checked zip is the one uploaded (item 4)', () => {
  const rig = useSim();

  it('a .tf file changed between initialize and stage: the upload is the checked bytes, not the new ones', async () => {
    const { provider, settings, target } = setup(rig.sim, rig.folder, 'orders-checked');
    const template = await initialize(settings, 'orders-checked');
    assert.match(template.body, /^# Checked zip sha256: [0-9a-f]{64}$/m);
    await writeFile(join(rig.folder, 'main.tf'), MAIN('edited-after-the-check'));
    await stage(provider, target, template, 'dep-checked');
    const [object] = rig.sim.objects();
    const zipped = unzipSync(await objectBytes(rig.sim, object?.name ?? ''));
    const main = Buffer.from(zipped['main.tf'] ?? new Uint8Array()).toString('utf8');
    assert.match(main, /team = "orders"/, 'the checked main.tf was uploaded');
    assert.doesNotMatch(main, /edited-after-the-check/);
  });

  it('the checked zip is gone (a reload) and the folder changed: stage refuses and uploads nothing', async () => {
    const { provider, settings, target } = setup(rig.sim, rig.folder, 'orders-changed');
    const template = await initialize(settings, 'orders-changed');
    await writeFile(join(rig.folder, 'main.tf'), MAIN('edited-after-the-check'));
    checkedBlueprints.clear();
    await assert.rejects(stage(provider, target, template, 'dep-changed'), (error: unknown) => {
      assert.ok(isProviderError(error), String(error));
      assert.equal(error.details.providerCode, 'BLUEPRINT_CHANGED');
      assert.match(error.message, /changed since it was checked/);
      assert.match(error.details.hint ?? '', /Deploy again/);
      return true;
    });
    assert.deepEqual(rig.sim.objects(), [], 'nothing uploaded');
    assert.ok(!rig.sim.requests().some((r) => r.path.includes('/previews') && r.method === 'POST'), 'no preview created');
  });

  it('the checked zip is gone but the folder is unchanged: the same zip is made again and staged', async () => {
    const { provider, settings, target } = setup(rig.sim, rig.folder, 'orders-same');
    const template = await initialize(settings, 'orders-same');
    checkedBlueprints.clear();
    const staged = await stage(provider, target, template, 'dep-same');
    assert.equal((await planned(rig.sim, provider, target, staged.stagedId)).state, 'ready');
  });

  it('which inputs the plan masks comes from the checked blueprint, not from the folder edited since', async () => {
    const { provider, settings, target } = setup(rig.sim, rig.folder, 'orders-masking');
    const staged = await stage(provider, target, await initialize(settings, 'orders-masking'), 'dep-masking');
    await planned(rig.sim, provider, target, staged.stagedId);
    // Someone drops `sensitive` from the folder after the check: the planned zip still has it.
    await writeFile(join(rig.folder, 'variables.tf'), VARIABLES(false));
    const plan = await provider.template({ target, stagedId: staged.stagedId, signal: signal() });
    assert.ok(!plan.includes('hunter2-secret'), 'the secret stays masked');
    assert.ok(plan.includes('orders-data'), 'a value the checked blueprint does not mark sensitive is shown');
  });
});

describe('GCP staging: pre-flight and the upload (item 18)', () => {
  const rig = useSim();

  it('a backend block is refused at initialize with its file and line, before anything is uploaded', async () => {
    await writeFile(join(rig.folder, 'versions.tf'), 'terraform {\n  required_version = ">= 1.5"\n\n  backend "gcs" {\n    bucket = "tf-state"\n  }\n}\n');
    const { settings } = setup(rig.sim, rig.folder, 'orders-backend');
    await assert.rejects(initialize(settings, 'orders-backend'), (error: unknown) => {
      const { message, file, line, hint } = error as { message: string; file?: string; line?: number; hint?: string };
      assert.match(message, /^versions\.tf:4: The terraform block defines a backend "gcs" block/);
      assert.equal(line, 4);
      assert.match(file ?? '', /versions\.tf$/);
      assert.match(hint ?? '', /Remove the backend "gcs" block/);
      return true;
    });
    assert.deepEqual(rig.sim.requests(), [], 'nothing was sent');
  });

  it('uploads with ifGenerationMatch=0, and every request ID is a version-4 UUID (item 6)', async () => {
    await deploy(rig, 'orders-ids', 'dep-ids');
    const uploads = rig.sim.requests().filter((r) => r.path.startsWith('/upload/'));
    assert.equal(uploads.length, 1);
    assert.equal(uploads[0]?.query['ifGenerationMatch'], '0');
    const ids = rig.sim
      .requests()
      .map((r) => r.query['requestId'])
      .filter((id): id is string => id !== undefined);
    assert.ok(ids.length >= 2, 'the preview and the apply carry request IDs');
    for (const id of ids) assert.match(id, UUID4);
  });

  it('an upload whose answer was lost: the retry finds the object (412), adopts it when its bytes are ours, and overwrites nothing', async () => {
    const { provider, settings, target } = setup(rig.sim, rig.folder, 'orders-adopt');
    const template = await initialize(settings, 'orders-adopt');
    const first = await stage(provider, target, template, 'dep-adopt');
    const [object] = rig.sim.objects();
    // The first call's preview is gone (say it was never created); the object stays.
    await imSimClient(rig.sim).projects.locations.previews.delete({ name: (JSON.parse(first.stagedId) as { preview: string }).preview });
    const again = await stage(provider, target, template, 'dep-adopt');
    assert.deepEqual(rig.sim.objects(), [object], 'the same generation, not a new upload');
    assert.ok(again.stagedId.includes(`#${object?.generation}`));
    assert.ok(
      rig.sim.requests().some((r) => r.path.startsWith('/upload/') && r.status === 412),
      'the precondition held the object',
    );
  });

  it('an object of this attempt with other bytes is refused, and left as it is', async () => {
    const { provider, settings, target } = setup(rig.sim, rig.folder, 'orders-differs');
    const template = await initialize(settings, 'orders-differs');
    const generation = await putObject(rig.sim, 'stackwatch/orders-prod/us-central1/orders-differs/dep-differs-a0.zip', new Uint8Array([1, 2, 3]));
    await assert.rejects(stage(provider, target, template, 'dep-differs'), (error: unknown) => {
      assert.ok(isProviderError(error), String(error));
      assert.equal(error.details.providerCode, 'STAGED_OBJECT_DIFFERS');
      return true;
    });
    assert.deepEqual(
      rig.sim.objects().map((o) => o.generation),
      [generation],
    );
  });

  it('after a successful apply, old staged zips no revision uses are removed; recent ones, the running ones, other folders and old-style names stay', async () => {
    const folder = 'stackwatch/orders-prod/us-central1/orders-sweep/';
    await deploy(rig, 'orders-sweep', 'dep-sweep-1');
    const stray = `${folder}someone-else-a3.zip`;
    await putObject(rig.sim, stray, new Uint8Array([9]));
    const otherFolders = [
      'stackwatch/orders-prod/us-central1/orders-sweep-2/other-a0.zip',
      'stackwatch/orders-prod/europe-west1/orders-sweep/other-a0.zip',
      'stackwatch/orders-sweep/earlier-version-a0.zip',
    ];
    for (const other of otherFolders) await putObject(rig.sim, other, new Uint8Array([8]));
    rig.sim.advance(2 * 3600);
    const fresh = `${folder}staging-now-a0.zip`;
    await putObject(rig.sim, fresh, new Uint8Array([7]));
    await writeFile(join(rig.folder, 'main.tf'), MAIN('second'));
    await deploy(rig, 'orders-sweep', 'dep-sweep-2');
    const names = rig.sim
      .objects()
      .map((o) => o.name)
      .sort();
    assert.deepEqual(names, [...otherFolders, `${folder}dep-sweep-2-a0.zip`, fresh].sort());
  });
});

describe('GCP staging: a first deploy previews without naming the deployment (item 5)', () => {
  for (const mode of ['plan', 'reject'] as const) {
    describe(`previews.create naming a missing deployment: ${mode}`, () => {
      const rig = useSim({ previewOfMissingDeployment: mode });

      it('creates, and the preview (which the service keeps) is removed by Stackwatch: beside execute once the create is accepted, or by the clean-up', async () => {
        const staged = await deploy(rig, 'orders-first', 'dep-first');
        const preview = (JSON.parse(staged.stagedId) as { preview: string }).preview;
        assert.equal(rig.sim.deployments().length, 1);
        await assert.rejects(imSimClient(rig.sim).projects.locations.previews.get({ name: preview }), /not found/i, 'the preview was removed');
        const deletes = rig.sim.requests().filter((r) => r.method === 'DELETE' && r.path.includes('/previews/'));
        // A slow early delete goes on beside the run, so the clean-up may send one more before it lands.
        assert.ok(deletes.length >= 1 && deletes.some((r) => r.status === 200), 'Stackwatch removed it; the service did not');
        const previewCreate = rig.sim.requests().find((r) => r.method === 'POST' && r.path.endsWith('/previews'));
        assert.ok(previewCreate && previewCreate.status === 200, 'the first-deploy preview was accepted');
      });
    });
  }
});

describe('GCP staging: a vanished preview reads as superseded, or as our own apply (items 1 and 6)', () => {
  const rig = useSim();

  /** `name` deployed once, then its update (MAIN('second')) staged as `updateId` and planned: ready to execute. */
  async function updatePlanned(name: string, firstId: string, updateId: string): Promise<{ provider: GcpProvider; target: TargetRef; staged: StageResult }> {
    await deploy(rig, name, firstId);
    await writeFile(join(rig.folder, 'main.tf'), MAIN('second'));
    const { provider, settings, target } = setup(rig.sim, rig.folder, name);
    const staged = await stage(provider, target, await initialize(settings, name), updateId);
    await planned(rig.sim, provider, target, staged.stagedId);
    return { provider, target, staged };
  }

  it('after our own apply: describeStaged says this deployment applied it, template serves the reviewed plan, execute and findExecution find our apply', async () => {
    const { provider, target, staged } = await updatePlanned('orders-own', 'dep-own-1', 'dep-own-2');
    const reviewed = await provider.template({ target, stagedId: staged.stagedId, signal: signal() });
    const first = await provider.execute({ target, stagedId: staged.stagedId, deploymentId: 'dep-own-2', signal: signal() });

    const described = await provider.describeStaged({ target, stagedId: staged.stagedId, signal: signal() });
    assert.equal(described.state, 'failed');
    assert.match(described.reason ?? '', /applied by this deployment/);
    assert.doesNotMatch(described.reason ?? '', /superseded|someone else|nothing of it was applied/);
    assert.equal(await provider.template({ target, stagedId: staged.stagedId, signal: signal() }), reviewed);
    const again = await provider.execute({ target, stagedId: staged.stagedId, deploymentId: 'dep-own-2', signal: signal() });
    assert.equal(again.operation.operationName, first.operation.operationName);
    const found = await provider.findExecution({ target, stagedId: staged.stagedId, deploymentId: 'dep-own-2', signal: signal() });
    assert.equal(found.state, 'executed');
  });

  it('after our own create and its clean-up: describeStaged (a new window too) says this deployment created it, not someone else', async () => {
    const staged = await deploy(rig, 'orders-own-create', 'dep-own-create');
    const { provider: fresh, target } = setup(rig.sim, rig.folder, 'orders-own-create');
    const described = await fresh.describeStaged({ target, stagedId: staged.stagedId, signal: signal() });
    assert.equal(described.state, 'failed');
    assert.match(described.reason ?? '', /applied by this deployment/);
    assert.doesNotMatch(described.reason ?? '', /superseded|someone else|nothing of it was applied/);
  });

  it('a lost apply answer retried more than 60 minutes later (the request ID forgotten): still one apply', async () => {
    const { provider, target, staged } = await updatePlanned('orders-late', 'dep-late-1', 'dep-late-2');
    await provider.execute({ target, stagedId: staged.stagedId, deploymentId: 'dep-late-2', signal: signal() });
    rig.sim.advance(61 * 60);
    // A new window (nothing remembered) retries the execute whose answer it never saw.
    const { provider: later } = setup(rig.sim, rig.folder, 'orders-late');
    const retried = await later.execute({ target, stagedId: staged.stagedId, deploymentId: 'dep-late-2', signal: signal() });
    assert.equal(retried.operation.kind, 'update');
    const patches = rig.sim.requests().filter((r) => r.method === 'PATCH');
    assert.equal(patches.length, 1, 'one apply');
    const revisions = await imSimClient(rig.sim).projects.locations.deployments.revisions.list({ parent: retried.operation.targetId ?? '' });
    assert.equal(revisions.data.revisions?.length, 2);
  });

  it("a preview removed by someone else's apply: superseded everywhere, never a NotFound about project or location", async () => {
    await deploy(rig, 'orders-other', 'dep-other-1');
    await writeFile(join(rig.folder, 'main.tf'), MAIN('second'));
    const { provider, settings, target } = setup(rig.sim, rig.folder, 'orders-other');
    const staged = await stage(provider, target, await initialize(settings, 'orders-other'), 'dep-other-2');
    await planned(rig.sim, provider, target, staged.stagedId);
    rig.sim.applyOutOfBand('projects/orders-prod/locations/us-central1/deployments/orders-other');
    const { provider: fresh } = setup(rig.sim, rig.folder, 'orders-other');

    const described = await fresh.describeStaged({ target, stagedId: staged.stagedId, signal: signal() });
    assert.match(described.reason ?? '', /^superseded/);
    const found = await fresh.findExecution({ target, stagedId: staged.stagedId, deploymentId: 'dep-other-2', signal: signal() });
    assert.equal(found.state, 'gone');
    assert.match(found.state === 'gone' ? found.reason : '', /^superseded/);
    for (const call of [
      () => fresh.execute({ target, stagedId: staged.stagedId, deploymentId: 'dep-other-2', signal: signal() }),
      () => fresh.template({ target, stagedId: staged.stagedId, signal: signal() }),
    ]) {
      await assert.rejects(call(), (error: unknown) => {
        assert.ok(isProviderError(error), String(error));
        assert.doesNotMatch(`${error.message} ${error.details.hint ?? ''}`, /stackwatch\.gcp\.(project|location)/);
        return true;
      });
    }
  });
});
