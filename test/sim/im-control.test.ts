/**
 * im-sim's controls and protocol edges through the real googleapis client: cancel, stale
 * previews, locks, idempotent request IDs, auth, injected faults, and Cloud Storage uploads.
 */
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startImSim, type ImSim } from '../../tools/im-sim/index';
import {
  BUCKET,
  PARENT,
  SERVICE_ACCOUNT,
  apiError,
  blueprint,
  changes,
  clientsFor,
  createDeployment,
  resources,
  settle,
  uploadBlueprint,
  type Clients,
} from './im-support';

const THREE_SLOW = `
resource "google_pubsub_topic" "one" {
  name = "one"
  # sim: seconds=5
}
resource "google_pubsub_topic" "two" {
  name = "two"
  # sim: seconds=5
}
resource "google_pubsub_topic" "three" {
  name = "three"
  # sim: seconds=5
}
`;

describe('im-sim controls', () => {
  let sim: ImSim;
  let clients: Clients;

  before(async () => {
    sim = await startImSim({ speed: 0 });
    clients = clientsFor(sim);
  });
  after(() => sim.close());
  beforeEach(() => sim.reset());

  it('cancels an apply after the resource in progress', async () => {
    const deployment = `${PARENT}/deployments/slow`;
    const source = await uploadBlueprint(clients, 'slow.zip', { 'main.tf': THREE_SLOW });
    const { data: op } = await clients.config.projects.locations.deployments.create({
      parent: PARENT,
      deploymentId: 'slow',
      requestBody: { serviceAccount: SERVICE_ACCOUNT, terraformBlueprint: blueprint(source) },
    });
    sim.advance(3); // setup (1s) + 2s into "one"
    await clients.config.projects.locations.operations.cancel({ name: op.name ?? '', requestBody: {} });
    let got = (await clients.config.projects.locations.operations.get({ name: op.name ?? '' })).data;
    assert.equal(got.done, false, 'the resource in progress is not interrupted');
    assert.equal(got.metadata?.['requestedCancellation'], true);
    sim.advance(3); // "one" finishes at 6s; the walk stops there
    got = (await clients.config.projects.locations.operations.get({ name: op.name ?? '' })).data;
    assert.equal(got.done, true);
    assert.equal(got.error?.code, 1, 'google.rpc.Code CANCELLED');
    assert.equal(got.response, undefined);
    const dep = (await clients.config.projects.locations.deployments.get({ name: deployment })).data;
    assert.equal(dep.state, 'FAILED');
    assert.match(dep.stateDetail ?? '', /cancel/i);
    assert.equal((await clients.config.projects.locations.deployments.revisions.get({ name: `${deployment}/revisions/r-1` })).data.state, 'FAILED');
    assert.deepEqual(await resources(clients, `${deployment}/revisions/r-1`), [
      'google_pubsub_topic.one CREATE RECONCILED',
      'google_pubsub_topic.two CREATE PLANNED',
      'google_pubsub_topic.three CREATE PLANNED',
    ]);
  });

  it('cancels a delete after the resource being destroyed, leaving the rest', async () => {
    const deployment = `${PARENT}/deployments/half`;
    const source = await uploadBlueprint(clients, 'half.zip', { 'main.tf': THREE_SLOW });
    await createDeployment(sim, clients, 'half', source);
    const { data: op } = await clients.config.projects.locations.deployments.delete({ name: deployment, force: true });
    sim.advance(2); // setup (1s) + 1s into destroying "three", the newest
    await clients.config.projects.locations.operations.cancel({ name: op.name ?? '' });
    const done = await settle(sim, clients, op.name ?? '');
    assert.equal(done.error?.code, 1);
    const dep = (await clients.config.projects.locations.deployments.get({ name: deployment })).data;
    assert.equal(dep.state, 'FAILED');
    assert.match(dep.stateDetail ?? '', /cancel/i);
    const { data: previewOp } = await clients.config.projects.locations.previews.create({
      parent: PARENT,
      previewId: 'what-is-left',
      requestBody: { deployment, serviceAccount: SERVICE_ACCOUNT, previewMode: 'DELETE' },
    });
    await settle(sim, clients, previewOp.name ?? '');
    assert.deepEqual(await changes(clients, `${PARENT}/previews/what-is-left`), ['google_pubsub_topic.two DELETE', 'google_pubsub_topic.one DELETE']);
  });

  it('deletes a preview when its deployment moves to a new revision, as the service does', async () => {
    const deployment = `${PARENT}/deployments/app`;
    const source = await uploadBlueprint(clients, 'app.zip', { 'main.tf': 'resource "google_pubsub_topic" "t" {\n  name = "t"\n}\n' });
    await createDeployment(sim, clients, 'app', source);
    const changed = await uploadBlueprint(clients, 'app.zip', { 'main.tf': 'resource "google_pubsub_topic" "t" {\n  name = "t2"\n}\n' });
    const { data: op } = await clients.config.projects.locations.previews.create({
      parent: PARENT,
      previewId: 'p',
      requestBody: { deployment, serviceAccount: SERVICE_ACCOUNT, terraformBlueprint: blueprint(changed) },
    });
    await settle(sim, clients, op.name ?? '');
    const name = `${PARENT}/previews/p`;
    assert.equal((await clients.config.projects.locations.previews.get({ name })).data.state, 'SUCCEEDED');
    assert.deepEqual(await changes(clients, name), ['google_pubsub_topic.t UPDATE']);

    sim.applyOutOfBand(deployment);
    assert.equal((await clients.config.projects.locations.deployments.get({ name: deployment })).data.latestRevision, `${deployment}/revisions/r-2`);
    await assert.rejects(
      clients.config.projects.locations.previews.get({ name }, { retry: false }),
      (error: { status?: number }) => error.status === 404,
      'the update deleted the preview',
    );

    // A DELETE preview plans the removal of everything.
    const { data: delOp } = await clients.config.projects.locations.previews.create({
      parent: PARENT,
      previewId: 'p-delete',
      requestBody: { deployment, serviceAccount: SERVICE_ACCOUNT, previewMode: 'DELETE' },
    });
    await settle(sim, clients, delOp.name ?? '');
    assert.deepEqual(await changes(clients, `${PARENT}/previews/p-delete`), ['google_pubsub_topic.t DELETE']);
    await clients.config.projects.locations.previews.delete({ name: `${PARENT}/previews/p-delete` });
    assert.equal((await apiError(clients.config.projects.locations.previews.get({ name: `${PARENT}/previews/p-delete` }))).httpStatus, 404);
  });

  it('locks and unlocks; a locked or busy deployment rejects changes', async () => {
    const deployment = `${PARENT}/deployments/locked`;
    const source = await uploadBlueprint(clients, 'l.zip', { 'main.tf': 'resource "google_pubsub_topic" "t" {\n  name = "t"\n}\n' });
    const { data: createOp } = await clients.config.projects.locations.deployments.create({
      parent: PARENT,
      deploymentId: 'locked',
      requestBody: { serviceAccount: SERVICE_ACCOUNT, terraformBlueprint: blueprint(source) },
    });
    const busy = await apiError(
      clients.config.projects.locations.deployments.patch({
        name: deployment,
        requestBody: { serviceAccount: SERVICE_ACCOUNT, terraformBlueprint: blueprint(source) },
      }),
    );
    assert.deepEqual([busy.httpStatus, busy.status], [409, 'FAILED_PRECONDITION'], 'CREATING rejects a patch');
    await settle(sim, clients, createOp.name ?? '');

    const { data: lockOp } = await clients.config.projects.locations.deployments.lock({ name: deployment, requestBody: { info: 'manual' } });
    assert.equal(lockOp.done, true);
    assert.equal((await clients.config.projects.locations.deployments.get({ name: deployment })).data.lockState, 'LOCKED');
    const { data: lock } = await clients.config.projects.locations.deployments.exportLock({ name: deployment });
    assert.ok(lock.lockId);
    assert.equal(lock.info, 'manual');
    const rejected = await apiError(
      clients.config.projects.locations.deployments.patch({
        name: deployment,
        requestBody: { serviceAccount: SERVICE_ACCOUNT, terraformBlueprint: blueprint(source) },
      }),
    );
    assert.deepEqual([rejected.httpStatus, rejected.status], [409, 'FAILED_PRECONDITION']);
    const wrong = await apiError(clients.config.projects.locations.deployments.unlock({ name: deployment, requestBody: { lockId: '1' } }));
    assert.deepEqual([wrong.httpStatus, wrong.status], [409, 'ABORTED']);
    const { data: unlockOp } = await clients.config.projects.locations.deployments.unlock({ name: deployment, requestBody: { lockId: lock.lockId ?? '' } });
    assert.equal(unlockOp.done, true);
    assert.equal((await clients.config.projects.locations.deployments.get({ name: deployment })).data.lockState, 'UNLOCKED');

    // A crashed Terraform run's lock: previews cannot take it.
    sim.lock(deployment);
    assert.equal((await clients.config.projects.locations.deployments.get({ name: deployment })).data.lockState, 'LOCKED');
    const { data: previewOp } = await clients.config.projects.locations.previews.create({
      parent: PARENT,
      previewId: 'while-locked',
      requestBody: { deployment, serviceAccount: SERVICE_ACCOUNT, terraformBlueprint: blueprint(source) },
    });
    await settle(sim, clients, previewOp.name ?? '');
    const preview = (await clients.config.projects.locations.previews.get({ name: `${PARENT}/previews/while-locked` })).data;
    assert.equal(preview.state, 'FAILED');
    assert.equal(preview.errorCode, 'DEPLOYMENT_LOCK_ACQUIRE_FAILED');

    sim.setDeploymentState(deployment, 'SUSPENDED');
    assert.equal((await clients.config.projects.locations.deployments.get({ name: deployment })).data.state, 'SUSPENDED');
  });

  it('returns the same operation for a repeated requestId', async () => {
    const source = await uploadBlueprint(clients, 'i.zip', { 'main.tf': 'resource "google_pubsub_topic" "t" {\n  name = "t"\n}\n' });
    const request = {
      parent: PARENT,
      deploymentId: 'idem',
      requestId: '8d0c7b5e-1111-4222-8333-944455556666',
      requestBody: { serviceAccount: SERVICE_ACCOUNT, terraformBlueprint: blueprint(source) },
    };
    const first = (await clients.config.projects.locations.deployments.create(request)).data;
    const second = (await clients.config.projects.locations.deployments.create(request)).data;
    assert.equal(second.name, first.name);
    await settle(sim, clients, first.name ?? '');
    const third = (await clients.config.projects.locations.deployments.create(request)).data;
    assert.equal(third.name, first.name);
    assert.equal(third.done, true, 'the replay shows the operation as it is now');
    const other = await apiError(clients.config.projects.locations.deployments.create({ ...request, requestId: 'another' }));
    assert.deepEqual([other.httpStatus, other.status], [409, 'ALREADY_EXISTS']);
    const { data: revisions } = await clients.config.projects.locations.deployments.revisions.list({ parent: `${PARENT}/deployments/idem` });
    assert.equal(revisions.revisions?.length, 1, 'the replays started no new revision');
  });

  it('rejects requests without the bearer token with 401 UNAUTHENTICATED', async () => {
    const response = await fetch(`${sim.rootUrl}v1/${PARENT}/deployments/x`);
    assert.equal(response.status, 401);
    const body = (await response.json()) as { error: { code: number; status: string; message: string } };
    assert.equal(body.error.code, 401);
    assert.equal(body.error.status, 'UNAUTHENTICATED');
    const viaClient = await apiError(clientsFor(sim, 'wrong-token').config.projects.locations.deployments.get({ name: `${PARENT}/deployments/x` }));
    assert.deepEqual([viaClient.httpStatus, viaClient.status], [401, 'UNAUTHENTICATED']);
    assert.equal(sim.requests().at(-1)?.status, 401);
  });

  it('injects throttling (429) and unavailability (503)', async () => {
    const name = `${PARENT}/deployments/absent`;
    sim.inject({ kind: 'throttle', method: 'GET', pathIncludes: '/deployments/', times: 1 });
    const throttled = await apiError(clients.config.projects.locations.deployments.get({ name }, { retry: false }));
    assert.deepEqual([throttled.httpStatus, throttled.status], [429, 'RESOURCE_EXHAUSTED']);
    const after = await apiError(clients.config.projects.locations.deployments.get({ name }, { retry: false }));
    assert.equal(after.httpStatus, 404, 'the rule was used up');

    sim.inject({ kind: 'unavailable', pathIncludes: '/operations/', times: 2 });
    const unavailable = await apiError(clients.config.projects.locations.operations.get({ name: `${PARENT}/operations/x` }, { retry: false }));
    assert.deepEqual([unavailable.httpStatus, unavailable.status], [503, 'UNAVAILABLE']);

    // googleapis retries 429 on GET by itself; the log shows the throttled attempt.
    sim.inject({ kind: 'throttle', pathIncludes: '/deployments/absent', times: 1 });
    const retried = await apiError(clients.config.projects.locations.deployments.get({ name }));
    assert.equal(retried.httpStatus, 404);
    const statuses = sim
      .requests()
      .filter((r) => r.path.endsWith('/deployments/absent'))
      .map((r) => r.status);
    assert.deepEqual(statuses.slice(-2), [429, 404]);
  });

  it('stores uploads with growing generations, and gets and deletes them', async () => {
    const first = await clients.storage.objects.insert(
      { bucket: BUCKET, name: 'one/main.tf', media: { mimeType: 'text/plain', body: 'resource "a_b" "c" {}\n' } },
      clients.uploadOptions,
    );
    assert.equal(first.data.size, '22');
    assert.equal(first.data.md5Hash, (await import('node:crypto')).createHash('md5').update('resource "a_b" "c" {}\n').digest('base64'));
    const second = await clients.storage.objects.insert(
      { bucket: BUCKET, name: 'one/main.tf', media: { mimeType: 'text/plain', body: 'x' } },
      clients.uploadOptions,
    );
    assert.ok(BigInt(second.data.generation ?? '0') > BigInt(first.data.generation ?? '0'));
    const got = await clients.storage.objects.get({ bucket: BUCKET, object: 'one/main.tf' });
    assert.equal(got.data.generation, second.data.generation);
    const old = await apiError(clients.storage.objects.get({ bucket: BUCKET, object: 'one/main.tf', generation: first.data.generation ?? '' }));
    assert.equal(old.httpStatus, 404, 'without versioning an overwritten generation is gone');
    await clients.storage.objects.delete({ bucket: BUCKET, object: 'one/main.tf', generation: second.data.generation ?? '' });
    assert.deepEqual(sim.objects(), []);
    assert.equal((await apiError(clients.storage.objects.get({ bucket: BUCKET, object: 'one/main.tf' }))).httpStatus, 404);
  });
});
