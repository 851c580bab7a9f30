/**
 * The staged zips of one deployment, through the real googleapis client against im-sim: a bucket
 * is global, so deployments of the same ID in two projects or two locations share it and must
 * never remove each other's zips; the sweep of old zips is best effort and bounded, and its
 * failure is not a clean-up failure; a first deploy's preview whose early delete failed is
 * removed by the clean-up, after a restart too.
 */
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import type { StageResult, TargetRef } from '../../src/providers/provider';
import { checkedBlueprints } from '../../src/providers/gcp/checkedBlueprints';
import type { GcpProvider } from '../../src/providers/gcp/gcpProvider';
import type { GcpProviderSettings } from '../../src/providers/gcp/settings';
import { createBlueprintInitializer } from '../../src/providers/gcp/initializeBlueprint';
import type { ImSim } from '../../tools/im-sim/index';
import { imSimClient, gcpTarget, polledToEnd, settleSim, useImSimFolder, type ImSimFolder } from '../support/gcpDeployment';

const BUCKET = 'shared-blueprints';
const MAIN = (label: string) => `resource "google_pubsub_topic" "events" {
  # sim: seconds=1
  name   = "events"
  labels = { team = "${label}" }
}
`;
const signal = () => AbortSignal.timeout(10_000);

interface Where {
  project: string;
  location: string;
}

function useSim(): ImSimFolder {
  const rig = useImSimFolder('sw-gcp-scope-', { sim: { resourceSeconds: 1, setupSeconds: 1 }, files: { 'main.tf': MAIN('v1') } });
  // Each test checks and zips its own folder: no checked blueprint kept from the test before.
  beforeEach(() => checkedBlueprints.clear());
  return rig;
}

function setup(sim: ImSim, folder: string, where: Where, name = 'orders'): { provider: GcpProvider; settings: GcpProviderSettings; target: TargetRef } {
  return gcpTarget(sim, folder, name, {
    project: where.project,
    location: where.location,
    stagingBucket: BUCKET,
    serviceAccount: `deployer@${where.project}.iam.gserviceaccount.com`,
  });
}

/** Stage, review and apply to the end; the clean-up (abortStaged) is the caller's. */
async function applied(sim: ImSim, folder: string, where: Where, runId: string): Promise<{ provider: GcpProvider; target: TargetRef; staged: StageResult }> {
  const { provider, settings, target } = setup(sim, folder, where);
  const init = createBlueprintInitializer(settings, { displayPath: (p) => p });
  const { template } = await init({ deploymentId: runId, round: 0, target }, signal());
  const described = await provider.describeTarget({ target, signal: signal() });
  const staged = await provider.stage({
    target,
    template,
    parameters: [],
    capabilities: [],
    condition: described.condition,
    deploymentId: runId,
    attempt: 0,
    signal: signal(),
  });
  const review = await settleSim(
    sim,
    () => provider.describeStaged({ target, stagedId: staged.stagedId, signal: signal() }),
    (r) => r.state !== 'pending',
  );
  assert.equal(review.state, 'ready');
  const { operation } = await provider.execute({ target, stagedId: staged.stagedId, deploymentId: runId, signal: signal() });
  const end = await polledToEnd(sim, provider, target, operation);
  assert.equal(end.phase, 'succeeded');
  return { provider, target, staged };
}

async function deploy(sim: ImSim, folder: string, where: Where, runId: string): Promise<StageResult> {
  const { provider, target, staged } = await applied(sim, folder, where, runId);
  await provider.abortStaged({
    target,
    stagedId: staged.stagedId,
    deploymentId: runId,
    attempt: 0,
    executed: true,
    removeCreatedTarget: false,
    signal: signal(),
  });
  return staged;
}

/** The object (name and generation) a deployment's blueprint names. */
function liveZip(sim: ImSim, where: Where, name = 'orders'): { name: string; generation: string } {
  const deployment = sim.deployments().find((d) => d['name'] === `projects/${where.project}/locations/${where.location}/deployments/${name}`);
  const source = (deployment?.['terraformBlueprint'] as { gcsSource?: string } | undefined)?.gcsSource ?? '';
  const match = /^gs:\/\/([^/]+)\/([^#]+)#(\d+)$/.exec(source);
  assert.ok(match, `the deployment ${where.project}/${where.location} runs a staged zip: ${source}`);
  return { name: match[2] ?? '', generation: match[3] ?? '' };
}

function assertLive(sim: ImSim, where: Where): void {
  const zip = liveZip(sim, where);
  assert.ok(
    sim.objects().some((o) => o.name === zip.name && o.generation === zip.generation),
    `the live zip of ${where.project}/${where.location} (${zip.name}) is still in the bucket; objects: ${sim
      .objects()
      .map((o) => o.name)
      .join(', ')}`,
  );
}

/** An older zip in the same folder as the deployment's live one: one the sweep may remove. */
async function putBeside(sim: ImSim, where: Where, file: string): Promise<string> {
  const folder = liveZip(sim, where).name.replace(/[^/]+$/, '');
  const object = `${folder}${file}`;
  const response = await fetch(`${sim.rootUrl}upload/storage/v1/b/${BUCKET}/o?uploadType=media&name=${encodeURIComponent(object)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sim.token}`, 'content-type': 'application/zip' },
    body: new Uint8Array([1]),
  });
  assert.equal(response.status, 200);
  return object;
}

describe('GCP staging: one bucket, two projects and two locations (review B1)', () => {
  const rig = useSim();
  const devUs: Where = { project: 'orders-dev', location: 'us-central1' };
  const prodUs: Where = { project: 'orders-prod', location: 'us-central1' };
  const prodEu: Where = { project: 'orders-prod', location: 'europe-west1' };

  it("deployments named orders in two projects and two locations never delete each other's live zip; each still sweeps its own", async () => {
    await deploy(rig.sim, rig.folder, devUs, 'dev-run-1');
    await deploy(rig.sim, rig.folder, prodEu, 'eu-run-1');
    rig.sim.advance(2 * 3600);
    await deploy(rig.sim, rig.folder, prodUs, 'prod-run-1');
    for (const where of [devUs, prodUs, prodEu]) assertLive(rig.sim, where);

    // Each redeploys after a while: only its own older zip goes.
    const firstDev = liveZip(rig.sim, devUs);
    rig.sim.advance(2 * 3600);
    await writeFile(join(rig.folder, 'main.tf'), MAIN('v2'));
    await deploy(rig.sim, rig.folder, devUs, 'dev-run-2');
    for (const where of [devUs, prodUs, prodEu]) assertLive(rig.sim, where);
    rig.sim.advance(2 * 3600);
    await deploy(rig.sim, rig.folder, prodEu, 'eu-run-2');
    for (const where of [devUs, prodUs, prodEu]) assertLive(rig.sim, where);
    await deploy(rig.sim, rig.folder, prodUs, 'prod-run-2');
    for (const where of [devUs, prodUs, prodEu]) assertLive(rig.sim, where);
    assert.ok(!rig.sim.objects().some((o) => o.name === firstDev.name), 'the dev deployment swept its own older zip');
    // Every deployment's folder names its project and location.
    const folders = new Set([devUs, prodUs, prodEu].map((w) => liveZip(rig.sim, w).name.replace(/[^/]+$/, '')));
    assert.equal(folders.size, 3, `three folders, one per (project, location, deployment): ${[...folders].join(', ')}`);
  });
});

describe('GCP staging: the sweep is best effort and bounded (review S2)', () => {
  const rig = useSim();
  const where: Where = { project: 'orders-prod', location: 'us-central1' };

  /** First deploy, an old stray zip beside it, then a second apply awaiting its clean-up. */
  async function secondApply(strays: number): Promise<{ provider: GcpProvider; target: TargetRef; staged: StageResult; stray: string[] }> {
    await deploy(rig.sim, rig.folder, where, 'run-1');
    // The first run's zip is old and unused after the second apply too: one more the sweep may remove.
    const first = liveZip(rig.sim, where).name;
    const stray: string[] = [];
    for (let i = 0; i < strays; i++) stray.push(await putBeside(rig.sim, where, `old-${String(i).padStart(2, '0')}-a0.zip`));
    rig.sim.advance(2 * 3600);
    await writeFile(join(rig.folder, 'main.tf'), MAIN('v2'));
    return { ...(await applied(rig.sim, rig.folder, where, 'run-2')), stray: [...stray, first] };
  }

  const faults: { what: string; inject: (sim: ImSim) => void }[] = [
    {
      what: '503 on the object list',
      inject: (sim) => sim.inject({ kind: 'unavailable', method: 'GET', pathIncludes: `/storage/v1/b/${BUCKET}/o`, times: 5 }),
    },
    { what: '503 on revisions.list', inject: (sim) => sim.inject({ kind: 'unavailable', method: 'GET', pathIncludes: '/revisions', times: 5 }) },
    {
      what: '403 on the object list (no storage.objects.list)',
      inject: (sim) => sim.inject({ kind: 'denied', method: 'GET', pathIncludes: `/storage/v1/b/${BUCKET}/o`, times: 5 }),
    },
  ];
  for (const { what, inject } of faults) {
    it(`${what} during the sweep: the clean-up succeeds, this run's preview is removed, its live zip and the old ones stay`, async () => {
      const { provider, target, staged, stray } = await secondApply(1);
      inject(rig.sim);
      const result = await provider.abortStaged({
        target,
        stagedId: staged.stagedId,
        deploymentId: 'run-2',
        attempt: 0,
        executed: true,
        removeCreatedTarget: false,
        signal: signal(),
      });
      assert.deepEqual(result, {}, 'nothing executed meanwhile: a plain success');
      const preview = (JSON.parse(staged.stagedId) as { preview: string }).preview;
      await assert.rejects(imSimClient(rig.sim).projects.locations.previews.get({ name: preview }), /not found/i, "this run's preview is gone");
      assertLive(rig.sim, where);
      assert.ok(
        rig.sim.objects().some((o) => o.name === stray[0]),
        'nothing swept: the sweep stopped at the failed read',
      );
    });
  }

  it('removes at most 20 old zips in one clean-up; the rest wait for the next one', async () => {
    const { provider, target, staged, stray } = await secondApply(23);
    await provider.abortStaged({
      target,
      stagedId: staged.stagedId,
      deploymentId: 'run-2',
      attempt: 0,
      executed: true,
      removeCreatedTarget: false,
      signal: signal(),
    });
    const left = () => stray.filter((name) => rig.sim.objects().some((o) => o.name === name));
    assert.equal(left().length, 4, `${left().length} of 24 old zips left`);
    assertLive(rig.sim, where);
    // A later run's clean-up removes the rest.
    rig.sim.advance(2 * 3600);
    await writeFile(join(rig.folder, 'main.tf'), MAIN('v3'));
    await deploy(rig.sim, rig.folder, where, 'run-3');
    assert.deepEqual(left(), []);
    assertLive(rig.sim, where);
  });
});

describe("GCP staging: a first deploy's preview whose early delete failed is removed by the clean-up (review nit)", () => {
  const rig = useSim();
  const where: Where = { project: 'orders-prod', location: 'us-central1' };
  const previewOf = (staged: StageResult): string => (JSON.parse(staged.stagedId) as { preview: string }).preview;
  /** The early delete, sent beside execute, answers 503: the preview stays until the clean-up. */
  const failEarlyDelete = (): void => rig.sim.inject({ kind: 'unavailable', method: 'DELETE', pathIncludes: '/previews/' });

  it('the clean-up removes it', async () => {
    failEarlyDelete();
    const { provider, target, staged } = await applied(rig.sim, rig.folder, where, 'run-first');
    assert.ok(
      (await imSimClient(rig.sim).projects.locations.previews.get({ name: previewOf(staged) })).data.name,
      'the early delete failed: the preview is still there',
    );
    await provider.abortStaged({
      target,
      stagedId: staged.stagedId,
      deploymentId: 'run-first',
      attempt: 0,
      executed: true,
      removeCreatedTarget: false,
      signal: signal(),
    });
    await assert.rejects(imSimClient(rig.sim).projects.locations.previews.get({ name: previewOf(staged) }), /not found/i);
    assertLive(rig.sim, where);
  });

  it('after a restart (a new provider, nothing remembered) the clean-up still removes it and keeps the live zip', async () => {
    failEarlyDelete();
    const { staged } = await applied(rig.sim, rig.folder, where, 'run-restart');
    assert.ok(
      (await imSimClient(rig.sim).projects.locations.previews.get({ name: previewOf(staged) })).data.name,
      'the early delete failed: the preview is still there',
    );
    const { provider: restarted, target } = setup(rig.sim, rig.folder, where);
    const found = await restarted.findExecution({ target, stagedId: staged.stagedId, deploymentId: 'run-restart', signal: signal() });
    assert.equal(found.state, 'executed');
    await restarted.abortStaged({
      target,
      stagedId: staged.stagedId,
      deploymentId: 'run-restart',
      attempt: 0,
      executed: true,
      removeCreatedTarget: false,
      signal: signal(),
    });
    await assert.rejects(imSimClient(rig.sim).projects.locations.previews.get({ name: previewOf(staged) }), /not found/i);
    assertLive(rig.sim, where);
  });
});
