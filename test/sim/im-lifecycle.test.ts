/**
 * Deployment lifecycles in im-sim through the real googleapis client: upload, preview, create
 * with resources advancing one after another, outputs, an update with every intent, a failure
 * with tfErrors and no rollback, and a forced delete. Time is frozen (speed 0) and moved with
 * advance(), so every state below is exact.
 */
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startImSim, type ImSim } from '../../tools/im-sim/index';
import {
  PARENT,
  SERVICE_ACCOUNT,
  apiError,
  blueprint,
  changes,
  clientsFor,
  createDeployment,
  resources,
  settle,
  stepOf,
  uploadBlueprint,
  type Clients,
} from './im-support';

const V1 = `
variable "project" {}
variable "region" {
  type    = string
  default = "us-central1"
}

resource "google_storage_bucket" "assets" {
  name     = "\${var.project}-assets"
  location = var.region
  # sim: seconds=4
}

resource "google_pubsub_topic" "events" {
  name = "events"
}

resource "google_compute_instance" "vm" {
  name         = "vm-1"
  machine_type = "e2-small"
  # sim: recreate
}

resource "google_service_account" "legacy" {
  account_id = "legacy"
}

output "bucket_url" {
  value = "gs://assets"
}

output "region" {
  value = var.region
}

output "db_password" {
  value     = "hunter2"
  sensitive = true
}

output "vm_ip" {
  value = google_compute_instance.vm.network_interface[0].network_ip
}
`;

const V2 = V1.replace('name = "events"', 'name = "events-v2"')
  .replace('machine_type = "e2-small"', 'machine_type = "e2-medium"')
  .replace(/resource "google_service_account" "legacy" \{[^}]*\}/, 'resource "google_pubsub_subscription" "sub" {\n  name = "sub"\n}');

describe('im-sim lifecycles', () => {
  let sim: ImSim;
  let clients: Clients;

  before(async () => {
    sim = await startImSim({ speed: 0, previewSeconds: 3, resourceSeconds: 2 });
    clients = clientsFor(sim);
  });
  after(() => sim.close());
  beforeEach(() => sim.reset());

  it('uploads, previews, creates one resource after another and returns outputs', async () => {
    const source = await uploadBlueprint(clients, 'stacks/app.zip', { 'main.tf': V1 });
    assert.deepEqual(
      sim.objects().map((o) => o.name),
      ['stacks/app.zip'],
    );

    const deployment = `${PARENT}/deployments/app`;
    const previewOp = await clients.config.projects.locations.previews.create({
      parent: PARENT,
      previewId: 'app-preview',
      requestBody: { deployment, serviceAccount: SERVICE_ACCOUNT, terraformBlueprint: blueprint(source, { project: 'demo' }) },
    });
    assert.equal(previewOp.data.done, false);
    assert.equal(previewOp.data.metadata?.['@type'], 'type.googleapis.com/google.cloud.config.v1.OperationMetadata');
    const preview = `${PARENT}/previews/app-preview`;
    assert.equal((await clients.config.projects.locations.previews.get({ name: preview })).data.state, 'CREATING');
    sim.advance(3);
    const previewDone = (await clients.config.projects.locations.operations.get({ name: previewOp.data.name ?? '' })).data;
    assert.equal(previewDone.done, true);
    assert.equal(previewDone.response?.['@type'], 'type.googleapis.com/google.cloud.config.v1.Preview');
    assert.equal(previewDone.response?.['state'], 'SUCCEEDED');
    assert.deepEqual(await changes(clients, preview), [
      'google_storage_bucket.assets CREATE',
      'google_pubsub_topic.events CREATE',
      'google_compute_instance.vm CREATE',
      'google_service_account.legacy CREATE',
    ]);
    const bucketChange = (
      await clients.config.projects.locations.previews.resourceChanges.get({ name: `${preview}/resourceChanges/google_storage_bucket.assets` })
    ).data;
    assert.deepEqual(bucketChange.propertyChanges, [
      { path: 'location', after: 'us-central1' },
      { path: 'name', after: 'demo-assets' },
    ]);
    assert.equal(bucketChange.terraformInfo?.provider, 'registry.terraform.io/hashicorp/google');

    const created = await clients.config.projects.locations.deployments.create({
      parent: PARENT,
      deploymentId: 'app',
      requestId: 'f0c1a3a4-7d7e-4b52-9f0e-000000000001',
      requestBody: { serviceAccount: SERVICE_ACCOUNT, terraformBlueprint: blueprint(source, { project: 'demo' }), tfVersionConstraint: '>=1.5' },
    });
    assert.match(created.data.name ?? '', /^projects\/demo-project\/locations\/us-central1\/operations\/operation-/);
    assert.equal(created.data.metadata?.['verb'], 'create');
    assert.equal(created.data.metadata?.['target'], deployment);
    let got = (await clients.config.projects.locations.deployments.get({ name: deployment })).data;
    assert.equal(got.state, 'CREATING');
    assert.equal(got.latestRevision, `${deployment}/revisions/r-1`);
    assert.equal(got.lockState, 'UNLOCKED');
    assert.deepEqual(await resources(clients, `${deployment}/revisions/r-1`), [], 'no resources before the plan step');

    sim.advance(1); // setup done: the first resource starts
    let op = (await clients.config.projects.locations.operations.get({ name: created.data.name ?? '' })).data;
    assert.equal(stepOf(op.metadata), 'RUNNING_TF_APPLY');
    assert.deepEqual(await resources(clients, `${deployment}/revisions/r-1`), [
      'google_storage_bucket.assets CREATE IN_PROGRESS',
      'google_pubsub_topic.events CREATE PLANNED',
      'google_compute_instance.vm CREATE PLANNED',
      'google_service_account.legacy CREATE PLANNED',
    ]);
    sim.advance(4); // the bucket takes 4 seconds (# sim: seconds=4)
    assert.deepEqual(await resources(clients, `${deployment}/revisions/r-1`), [
      'google_storage_bucket.assets CREATE RECONCILED',
      'google_pubsub_topic.events CREATE IN_PROGRESS',
      'google_compute_instance.vm CREATE PLANNED',
      'google_service_account.legacy CREATE PLANNED',
    ]);
    sim.advance(5);
    op = (await clients.config.projects.locations.operations.get({ name: created.data.name ?? '' })).data;
    assert.equal(op.done, false, 'the last resource still runs');
    sim.advance(1);
    op = (await clients.config.projects.locations.operations.get({ name: created.data.name ?? '' })).data;
    assert.equal(op.done, true);
    assert.equal(op.error, undefined);
    assert.equal(op.response?.['@type'], 'type.googleapis.com/google.cloud.config.v1.Deployment');
    assert.equal(op.response?.['state'], 'ACTIVE');
    assert.equal(stepOf(op.metadata), 'SUCCEEDED');
    assert.equal(new Date(String(op.metadata?.['endTime'])).getTime() - new Date(String(op.metadata?.['createTime'])).getTime(), 11_000);

    got = (await clients.config.projects.locations.deployments.get({ name: deployment })).data;
    assert.equal(got.state, 'ACTIVE');
    assert.equal(got.tfVersionConstraint, '>=1.5');
    const revision = (await clients.config.projects.locations.deployments.revisions.get({ name: `${deployment}/revisions/r-1` })).data;
    assert.equal(revision.action, 'CREATE');
    assert.equal(revision.state, 'APPLIED');
    assert.deepEqual(revision.applyResults?.outputs, {
      bucket_url: { sensitive: false, value: 'gs://assets' },
      region: { sensitive: false, value: 'us-central1' },
      db_password: { sensitive: true, value: 'hunter2' },
      vm_ip: { sensitive: false, value: '(known after apply: google_compute_instance.vm.network_interface[0].network_ip)' },
    });
    const vm = (
      await clients.config.projects.locations.deployments.revisions.resources.get({ name: `${deployment}/revisions/r-1/resources/google_compute_instance.vm` })
    ).data;
    assert.equal(vm.state, 'RECONCILED');
    assert.ok(vm.terraformInfo?.id, 'a reconciled resource has a cloud id');
  });

  it('updates with UPDATE, RECREATE, CREATE and DELETE, keeping unchanged resources', async () => {
    const deployment = `${PARENT}/deployments/app`;
    const v1 = await uploadBlueprint(clients, 'stacks/app.zip', { 'main.tf': V1 });
    assert.equal((await createDeployment(sim, clients, 'app', v1, { project: 'demo' })).response?.['state'], 'ACTIVE');
    const vmId = (
      await clients.config.projects.locations.deployments.revisions.resources.get({ name: `${deployment}/revisions/r-1/resources/google_compute_instance.vm` })
    ).data.terraformInfo?.id;
    const topicId = (
      await clients.config.projects.locations.deployments.revisions.resources.get({ name: `${deployment}/revisions/r-1/resources/google_pubsub_topic.events` })
    ).data.terraformInfo?.id;

    const v2 = await uploadBlueprint(clients, 'stacks/app.zip', { 'main.tf': V2 });
    assert.notEqual(v2, v1, 'a new upload is a new generation');
    const previewOp = await clients.config.projects.locations.previews.create({
      parent: PARENT,
      previewId: 'app-v2',
      requestBody: { deployment, serviceAccount: SERVICE_ACCOUNT, terraformBlueprint: blueprint(v2, { project: 'demo' }) },
    });
    await settle(sim, clients, previewOp.data.name ?? '');
    const preview = `${PARENT}/previews/app-v2`;
    assert.deepEqual(await changes(clients, preview), [
      'google_pubsub_topic.events UPDATE',
      'google_compute_instance.vm RECREATE',
      'google_pubsub_subscription.sub CREATE',
      'google_service_account.legacy DELETE',
    ]);
    const topic = (await clients.config.projects.locations.previews.resourceChanges.get({ name: `${preview}/resourceChanges/google_pubsub_topic.events` }))
      .data;
    assert.deepEqual(topic.propertyChanges, [{ path: 'name', before: 'events', after: 'events-v2' }]);
    assert.deepEqual(topic.terraformInfo?.actions, ['update']);
    const vmChange = (await clients.config.projects.locations.previews.resourceChanges.get({ name: `${preview}/resourceChanges/google_compute_instance.vm` }))
      .data;
    assert.deepEqual(vmChange.terraformInfo?.actions, ['delete', 'create']);

    const paged: string[] = [];
    let pageToken: string | undefined;
    do {
      const { data } = await clients.config.projects.locations.previews.resourceChanges.list({
        parent: preview,
        pageSize: 3,
        ...(pageToken ? { pageToken } : {}),
      });
      paged.push(...(data.resourceChanges ?? []).map((c) => c.terraformInfo?.address ?? ''));
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    assert.equal(paged.length, 4, 'paging returns every change once');

    const patch = await clients.config.projects.locations.deployments.patch({
      name: deployment,
      requestId: 'patch-1',
      requestBody: { serviceAccount: SERVICE_ACCOUNT, terraformBlueprint: blueprint(v2, { project: 'demo' }) },
    });
    assert.equal(patch.data.metadata?.['verb'], 'update');
    assert.equal((await clients.config.projects.locations.deployments.get({ name: deployment })).data.state, 'UPDATING');
    const done = await settle(sim, clients, patch.data.name ?? '');
    assert.equal(done.response?.['state'], 'ACTIVE');
    const r2 = `${deployment}/revisions/r-2`;
    assert.equal((await clients.config.projects.locations.deployments.revisions.get({ name: r2 })).data.action, 'UPDATE');
    assert.deepEqual(await resources(clients, r2), [
      'google_storage_bucket.assets UNCHANGED RECONCILED',
      'google_pubsub_topic.events UPDATE RECONCILED',
      'google_compute_instance.vm RECREATE RECONCILED',
      'google_pubsub_subscription.sub CREATE RECONCILED',
      'google_service_account.legacy DELETE RECONCILED',
    ]);
    const ids = async (address: string): Promise<string | null | undefined> =>
      (await clients.config.projects.locations.deployments.revisions.resources.get({ name: `${r2}/resources/${address}` })).data.terraformInfo?.id;
    assert.equal(await ids('google_pubsub_topic.events'), topicId, 'an update keeps the cloud id');
    assert.notEqual(await ids('google_compute_instance.vm'), vmId, 'a recreate gets a new cloud id');
    const { data: list } = await clients.config.projects.locations.deployments.revisions.list({ parent: deployment });
    assert.deepEqual(
      list.revisions?.map((r) => `${r.name?.split('/').pop() ?? ''} ${r.state ?? ''}`),
      ['r-1 APPLIED', 'r-2 APPLIED'],
    );
    await assert.rejects(
      clients.config.projects.locations.previews.get({ name: preview }, { retry: false }),
      (error: { status?: number }) => error.status === 404,
      'the apply deleted the preview',
    );
  });

  it('fails at the resource with # sim: fail, with tfErrors, keeping what was applied', async () => {
    const deployment = `${PARENT}/deployments/broken`;
    const tf = `
resource "google_storage_bucket" "ok" {
  name = "ok"
}
resource "google_sql_database_instance" "db" {
  name = "db"
  # sim: seconds=3 fail="googleapi: Error 403: The caller does not have permission, forbidden"
}
resource "google_pubsub_topic" "never" {
  name = "never"
}
`;
    const source = await uploadBlueprint(clients, 'stacks/broken.zip', { 'stack/main.tf': tf });
    const op = await createDeployment(sim, clients, 'broken', source);
    assert.equal(op.done, true);
    assert.equal(op.error?.code, 2);
    assert.match(op.error?.message ?? '', /google_sql_database_instance\.db/);
    assert.equal(stepOf(op.metadata), 'FAILED');

    const got = (await clients.config.projects.locations.deployments.get({ name: deployment })).data;
    assert.equal(got.state, 'FAILED');
    assert.equal(got.errorCode, 'REVISION_FAILED');
    assert.match(got.stateDetail ?? '', /permission/);
    const revision = (await clients.config.projects.locations.deployments.revisions.get({ name: `${deployment}/revisions/r-1` })).data;
    assert.equal(revision.state, 'FAILED');
    assert.equal(revision.errorCode, 'APPLY_BUILD_RUN_FAILED');
    assert.match(revision.errorLogs ?? '', /^gs:\/\//);
    assert.equal(revision.tfErrors?.length, 1);
    assert.equal(revision.tfErrors?.[0]?.resourceAddress, 'google_sql_database_instance.db');
    assert.equal(revision.tfErrors?.[0]?.httpResponseCode, 400);
    assert.match(revision.tfErrors?.[0]?.errorDescription ?? '', /Error 403/);
    assert.deepEqual(await resources(clients, `${deployment}/revisions/r-1`), [
      'google_storage_bucket.ok CREATE RECONCILED',
      'google_sql_database_instance.db CREATE FAILED',
      'google_pubsub_topic.never CREATE PLANNED',
    ]);

    // No rollback: fixing the blueprint and patching only creates what is missing.
    const fixed = await uploadBlueprint(clients, 'stacks/broken.zip', { 'stack/main.tf': tf.replace(/ fail="[^"]*"/, '') });
    const patch = await clients.config.projects.locations.deployments.patch({
      name: deployment,
      requestBody: { serviceAccount: SERVICE_ACCOUNT, terraformBlueprint: blueprint(fixed) },
    });
    assert.equal((await settle(sim, clients, patch.data.name ?? '')).response?.['state'], 'ACTIVE');
    assert.deepEqual(await resources(clients, `${deployment}/revisions/r-2`), [
      'google_storage_bucket.ok UNCHANGED RECONCILED',
      'google_sql_database_instance.db CREATE RECONCILED',
      'google_pubsub_topic.never CREATE RECONCILED',
    ]);
    const after2 = (await clients.config.projects.locations.deployments.get({ name: deployment })).data;
    assert.equal(after2.errorCode, undefined, 'a successful apply clears the error');
  });

  it('fails a preview and an apply whose blueprint object or required variable is missing', async () => {
    const source = await uploadBlueprint(clients, 'stacks/vars.zip', {
      'main.tf': 'variable "project" {}\nresource "google_storage_bucket" "b" {\n  name = var.project\n}\n',
    });
    const previewOp = await clients.config.projects.locations.previews.create({
      parent: PARENT,
      previewId: 'no-vars',
      requestBody: { serviceAccount: SERVICE_ACCOUNT, terraformBlueprint: blueprint(source) },
    });
    const done = await settle(sim, clients, previewOp.data.name ?? '');
    assert.ok(done.error, 'the preview operation ends in an error');
    const preview = (await clients.config.projects.locations.previews.get({ name: `${PARENT}/previews/no-vars` })).data;
    assert.equal(preview.state, 'FAILED');
    assert.equal(preview.errorCode, 'PREVIEW_BUILD_RUN_FAILED');
    assert.match(preview.tfErrors?.[0]?.errorDescription ?? '', /input variable "project" is not set/);
    const noChanges = await apiError(clients.config.projects.locations.previews.resourceChanges.list({ parent: `${PARENT}/previews/no-vars` }));
    assert.equal(noChanges.status, 'FAILED_PRECONDITION');

    const missing = await createDeployment(sim, clients, 'ghost', `gs://demo-blueprints/nope.zip#12345`);
    assert.equal(missing.error?.code, 2);
    const revision = (await clients.config.projects.locations.deployments.revisions.get({ name: `${PARENT}/deployments/ghost/revisions/r-1` })).data;
    assert.equal(revision.state, 'FAILED');
    assert.equal(revision.errorCode, 'APPLY_BUILD_RUN_FAILED');
    assert.match(revision.stateDetail ?? '', /nope\.zip#12345 does not exist/);
    assert.equal((await clients.config.projects.locations.deployments.get({ name: `${PARENT}/deployments/ghost` })).data.state, 'FAILED');

    const badRequest = await apiError(
      clients.config.projects.locations.deployments.create({ parent: PARENT, deploymentId: 'no-sa', requestBody: { terraformBlueprint: blueprint(source) } }),
    );
    assert.deepEqual([badRequest.httpStatus, badRequest.status], [400, 'INVALID_ARGUMENT']);
  });

  it('deletes with force: destroys resources one by one, then GET is 404', async () => {
    const deployment = `${PARENT}/deployments/gone`;
    const source = await uploadBlueprint(clients, 'stacks/gone.zip', {
      'main.tf': 'resource "google_pubsub_topic" "a" {\n  name = "a"\n}\nresource "google_pubsub_topic" "b" {\n  name = "b"\n  # sim: seconds=5\n}\n',
    });
    await createDeployment(sim, clients, 'gone', source);
    const del = await clients.config.projects.locations.deployments.delete({ name: deployment, force: true, requestId: 'del-1' });
    assert.equal(del.data.metadata?.['verb'], 'delete');
    assert.equal((await clients.config.projects.locations.deployments.get({ name: deployment })).data.state, 'DELETING');
    sim.advance(1);
    const step = stepOf((await clients.config.projects.locations.operations.get({ name: del.data.name ?? '' })).data.metadata);
    assert.equal(step, 'RUNNING_TF_DESTROY');
    sim.advance(4);
    assert.equal((await clients.config.projects.locations.deployments.get({ name: deployment })).data.state, 'DELETING', 'b (5s) is still being destroyed');
    const done = await settle(sim, clients, del.data.name ?? '');
    assert.equal(done.response?.['state'], 'DELETED');
    const missing = await apiError(clients.config.projects.locations.deployments.get({ name: deployment }));
    assert.deepEqual([missing.httpStatus, missing.status], [404, 'NOT_FOUND']);
    assert.deepEqual(sim.deployments(), []);
  });
});
