/**
 * How im-sim reads blueprints, seen through previews made with the real googleapis client:
 * braces inside strings, comments and heredocs do not confuse it, directives are checked, and
 * broken configurations fail the preview with a tfError naming the file and line.
 */
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startImSim, type ImSim } from '../../tools/im-sim/index';
import { BUCKET, PARENT, SERVICE_ACCOUNT, blueprint, changes, clientsFor, settle, uploadBlueprint, type Clients } from './im-support';

const TRICKY = `
/* a block comment with a brace } and a fake block: resource "x_y" "z" { */
resource "google_storage_bucket" "b" {
  name   = "\${var.prefix}-{literal}"  # a comment with } inside
  labels = { team = "infra", tier = "gold" }
  lifecycle {
    prevent_destroy = false
  }
  // sim: seconds=99 (a // comment is not a directive)
}

resource "google_compute_instance" "vm" {
  metadata_startup_script = <<-EOT
    #!/bin/bash
    echo "}"
  EOT
  name = "vm"
}

variable "prefix" {
  default = "acme"
}
`;

describe('im-sim blueprint reading', () => {
  let sim: ImSim;
  let clients: Clients;

  before(async () => {
    sim = await startImSim({ speed: 0, previewSeconds: 2 });
    clients = clientsFor(sim);
  });
  after(() => sim.close());
  beforeEach(() => sim.reset());

  async function preview(id: string, source: string, inputs: Record<string, unknown> = {}): Promise<{ state: string; errorCode?: string; tfErrors: string[] }> {
    const { data: op } = await clients.config.projects.locations.previews.create({
      parent: PARENT,
      previewId: id,
      requestBody: { serviceAccount: SERVICE_ACCOUNT, terraformBlueprint: blueprint(source, inputs) },
    });
    await settle(sim, clients, op.name ?? '');
    const { data } = await clients.config.projects.locations.previews.get({ name: `${PARENT}/previews/${id}` });
    return {
      state: data.state ?? '',
      ...(data.errorCode ? { errorCode: data.errorCode } : {}),
      tfErrors: (data.tfErrors ?? []).map((e) => e.errorDescription ?? ''),
    };
  }

  it('skips braces in strings, comments and heredocs', async () => {
    const source = await uploadBlueprint(clients, 'tricky.zip', { 'main.tf': TRICKY, 'README.md': 'not terraform {' });
    assert.equal((await preview('tricky', source)).state, 'SUCCEEDED');
    assert.deepEqual(await changes(clients, `${PARENT}/previews/tricky`), ['google_storage_bucket.b CREATE', 'google_compute_instance.vm CREATE']);
    const { data: b } = await clients.config.projects.locations.previews.resourceChanges.get({
      name: `${PARENT}/previews/tricky/resourceChanges/google_storage_bucket.b`,
    });
    assert.deepEqual(b.propertyChanges, [
      { path: 'labels', after: { team: 'infra', tier: 'gold' } },
      { path: 'name', after: 'acme-{literal}' },
    ]);
  });

  it('reads a single .tf object uploaded with uploadType=media', async () => {
    const { data } = await clients.storage.objects.insert(
      { bucket: BUCKET, name: 'single/main.tf', media: { mimeType: 'text/plain', body: 'resource "google_pubsub_topic" "t" {\n  name = "t"\n}\n' } },
      clients.uploadOptions,
    );
    assert.equal((await preview('single', `gs://${BUCKET}/single/main.tf#${data.generation ?? ''}`)).state, 'SUCCEEDED');
    assert.deepEqual(await changes(clients, `${PARENT}/previews/single`), ['google_pubsub_topic.t CREATE']);
    assert.equal((await preview('unpinned', `gs://${BUCKET}/single/main.tf`)).state, 'SUCCEEDED', 'no #generation means the live object');
  });

  it('fails the preview on an unclosed block, naming the file and line', async () => {
    const source = await uploadBlueprint(clients, 'broken.zip', {
      'ok.tf': 'variable "a" {\n  default = 1\n}\n',
      'main.tf': '\n\nresource "google_pubsub_topic" "t" {\n  name = "t"\n',
    });
    const result = await preview('broken', source);
    assert.equal(result.state, 'FAILED');
    assert.equal(result.errorCode, 'PREVIEW_BUILD_RUN_FAILED');
    assert.match(result.tfErrors[0] ?? '', /main\.tf:3: Unclosed configuration block/);
  });

  it('rejects an unknown directive and a duplicate resource', async () => {
    const unknown = await uploadBlueprint(clients, 'unknown.zip', { 'main.tf': 'resource "google_pubsub_topic" "t" {\n  # sim: sconds=3\n}\n' });
    const first = await preview('unknown', unknown);
    assert.equal(first.state, 'FAILED');
    assert.match(first.tfErrors[0] ?? '', /unknown sim directive "sconds"/);
    const duplicate = await uploadBlueprint(clients, 'dup.zip', {
      'a.tf': 'resource "google_pubsub_topic" "t" {\n}\n',
      'b.tf': 'resource "google_pubsub_topic" "t" {\n}\n',
    });
    const second = await preview('dup', duplicate);
    assert.equal(second.state, 'FAILED');
    assert.match(second.tfErrors[0] ?? '', /already declared/);
  });

  it('cancels a preview that is still planning', async () => {
    const source = await uploadBlueprint(clients, 'c.zip', { 'main.tf': 'resource "google_pubsub_topic" "t" {\n}\n' });
    const { data: op } = await clients.config.projects.locations.previews.create({
      parent: PARENT,
      previewId: 'cancelled',
      requestBody: { serviceAccount: SERVICE_ACCOUNT, terraformBlueprint: blueprint(source) },
    });
    await clients.config.projects.locations.operations.cancel({ name: op.name ?? '' });
    const done = await settle(sim, clients, op.name ?? '');
    assert.equal(done.error?.code, 1);
    assert.equal((await clients.config.projects.locations.previews.get({ name: `${PARENT}/previews/cancelled` })).data.state, 'FAILED');
  });
});
