/**
 * What an apply shows while it runs, through the real googleapis client against im-sim: the step
 * and the Cloud Build log live; resources only when Infrastructure Manager reports them (it keeps
 * resource metadata from each revision's Terraform state, and does not promise it during an apply);
 * and the apply's own plan, named when it differs from the reviewed preview.
 */
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, before, describe, it } from 'node:test';
import type { PollResult, TargetRef } from '../../src/providers/provider';
import { vocabularyOf } from '../../src/ui/vocabulary';
import type { ResourceReporting } from '../../tools/im-sim/index';
import { PARENT, signal, useGcpFaultBench } from '../support/gcpFaultBench';

const TWO_RESOURCES = `variable "bucket_name" {
  type = string
}

resource "google_storage_bucket" "data" {
  # sim: seconds=4
  name = var.bucket_name
}

resource "google_pubsub_topic" "events" {
  # sim: seconds=4
  name = "events"
}
`;
const ADDRESSES = ['google_storage_bucket.data', 'google_pubsub_topic.events'];

const resourceEvents = (polls: readonly PollResult[], target: TargetRef) => polls.flatMap((p) => p.events).filter((e) => e.logicalId !== target.name);
const notices = (polls: readonly PollResult[]): string[] => polls.map((p) => p.notice).filter((n): n is string => n !== undefined);

describe('Infrastructure Manager: progress during an apply', () => {
  const bench = useGcpFaultBench('stackwatch-gcp-progress-');
  // The bench's own folder (its hook wrote its blueprint first): every stage reads this one.
  before(async () => writeFile(join(bench.folder, 'main.tf'), TWO_RESOURCES));
  // A sim setting reset() keeps: the next test starts from the default.
  afterEach(() => bench.sim.setResourceReporting('live'));

  async function applyWatched(mode: ResourceReporting, name: string): Promise<{ polls: PollResult[]; target: TargetRef }> {
    bench.sim.setResourceReporting(mode);
    const { provider, target, deploymentId } = bench.setup(name);
    const staged = await bench.stage(provider, target, deploymentId);
    await bench.planned(provider, target, staged.stagedId);
    const { operation } = await provider.execute({ target, stagedId: staged.stagedId, deploymentId, signal: signal() });
    const polls = await bench.polls(provider, target, operation);
    provider.dispose();
    return { polls, target };
  }

  it('live: resources move through their states while the apply runs, and the step and build log are told', async () => {
    const { polls, target } = await applyWatched('live', 'progress-live');
    assert.equal(polls.at(-1)?.phase, 'succeeded');
    const running = resourceEvents(polls.slice(0, -1), target);
    assert.ok(
      running.some((e) => e.status === 'inProgress'),
      'per-resource progress, when the service reports it',
    );
    assert.ok(
      polls.some((p) => p.phase === 'inProgress' && p.providerStatus === 'RUNNING_TF_APPLY'),
      'the step is the status while it runs',
    );
    assert.ok(
      notices(polls).some((n) => /Cloud Build \(build [^)]+\); its log: https:\/\/console\.cloud\.google\.com\/storage\/browser\/_details\//.test(n)),
      `the build and its log are linked: ${JSON.stringify(notices(polls))}`,
    );
    assert.ok(!notices(polls).some((n) => /not reporting resources/.test(n)), 'no "not reported" notice when they are');
  });

  it('afterApply: no resource shows progress or success during the apply; the notice says why; the end settles every row from the revision', async () => {
    const { polls, target } = await applyWatched('afterApply', 'progress-after');
    const last = polls.at(-1);
    assert.equal(last?.phase, 'succeeded');
    const during = resourceEvents(polls.slice(0, -1), target);
    assert.deepEqual(
      during.filter((e) => e.status !== 'pending').map((e) => `${e.logicalId} ${e.status}`),
      [],
      'nothing is shown in progress or done without the service saying so',
    );
    const applying = polls.findIndex((p) => p.phase === 'inProgress' && p.providerStatus === 'RUNNING_TF_APPLY');
    assert.ok(applying >= 0, 'the apply step was seen');
    assert.ok(
      notices(polls.slice(0, -1)).some((n) => /not reporting resources while this apply runs/.test(n)),
      `said during the apply: ${JSON.stringify(notices(polls))}`,
    );
    const settled = resourceEvents([last], target);
    for (const address of ADDRESSES) assert.equal(settled.find((e) => e.logicalId === address)?.status, 'succeeded', `${address} settled from the revision`);
  });

  it('never: no row is marked applied; the end says no resources were reported and marks each previewed row so', async () => {
    const { polls, target } = await applyWatched('never', 'progress-never');
    const last = polls.at(-1) as PollResult;
    assert.equal(last.phase, 'succeeded', 'the apply as a whole succeeded');
    const all = resourceEvents(polls, target);
    assert.deepEqual(
      all.filter((e) => e.status !== 'pending').map((e) => `${e.logicalId} ${e.status}`),
      [],
      'no resource shown done or in progress without evidence',
    );
    assert.match(last.notice ?? '', /reported no resources for this revision/);
    for (const address of ADDRESSES) {
      const event = resourceEvents([last], target).find((e) => e.logicalId === address);
      assert.equal(event?.providerStatus, 'NOT_REPORTED', `${address} is told as not reported`);
      assert.equal(event?.status, 'pending');
    }
  });
});

describe("Infrastructure Manager: the apply's own plan", () => {
  const bench = useGcpFaultBench('stackwatch-gcp-applyplan-');
  before(async () => writeFile(join(bench.folder, 'main.tf'), TWO_RESOURCES));

  /** Deploys, previews an update of the bucket only, optionally drifts the topic, applies, and watches. */
  async function updateWatched(name: string, driftTopic: boolean): Promise<PollResult[]> {
    const first = bench.setup(name);
    await bench.deployed(first.provider, first.target, first.deploymentId, 'orders-data');
    first.provider.dispose();
    const { provider, target, deploymentId } = bench.setup(name);
    const staged = await bench.stage(provider, target, deploymentId, 'orders-data-2');
    const reviewed = await bench.planned(provider, target, staged.stagedId);
    assert.deepEqual(
      reviewed.changes.map((c) => c.logicalId),
      ['google_storage_bucket.data'],
      'the preview shows only the bucket',
    );
    // Simulator-only: the topic changes outside Terraform after the preview; the deployment is not updated.
    if (driftTopic) bench.sim.drift(`${PARENT}/deployments/${name}`, 'google_pubsub_topic.events');
    const { operation } = await provider.execute({ target, stagedId: staged.stagedId, deploymentId, signal: signal() });
    const polls = await bench.polls(provider, target, operation);
    provider.dispose();
    return polls;
  }

  it('names the resource the apply changes that the preview did not show', async () => {
    const polls = await updateWatched('applyplan-drift', true);
    assert.equal(polls.at(-1)?.phase, 'succeeded');
    const differs = notices(polls).find((n) => /differs from the preview you reviewed/.test(n));
    assert.ok(differs, `the difference is told: ${JSON.stringify(notices(polls))}`);
    assert.match(differs, /google_pubsub_topic\.events is updated \(the preview showed no change\)/);
    assert.doesNotMatch(differs, /google_storage_bucket\.data/, 'what the preview showed is not a difference');
  });

  it('says nothing about the plan when the apply does what the preview showed', async () => {
    const polls = await updateWatched('applyplan-same', false);
    assert.equal(polls.at(-1)?.phase, 'succeeded');
    assert.ok(!notices(polls).some((n) => /differs from the preview/.test(n)), `no false alarm: ${JSON.stringify(notices(polls))}`);
  });

  it('the review says, for Google Cloud only, that the apply plans again', () => {
    assert.match(vocabularyOf('gcp').reviewNote ?? '', /runs terraform plan again/);
    assert.equal(vocabularyOf('aws').reviewNote, undefined, 'CloudFormation executes the reviewed change set itself');
  });
});
