/**
 * Symlinks in a blueprint folder: followed and zipped while they stay inside the workspace,
 * refused with the file and its target named when they lead outside, and never dropped
 * silently (a symlinked .tf left out of the zip planned a destroy of its resources).
 */
import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { BlueprintFileError, listBlueprintFiles, zipBlueprint } from '../../src/providers/gcp/blueprintFiles';
import type { GcpProviderSettings } from '../../src/providers/gcp/settings';
import { createBlueprintInitializer } from '../../src/providers/gcp/initializeBlueprint';
import { InputError } from '../../src/input/inputError';

const TOPIC = 'resource "google_pubsub_topic" "t" {\n  name = "t"\n}\n';

describe('blueprint symlinks', () => {
  let root: string;
  let workspace: string;
  let outside: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'sw-gcp-links-'));
    workspace = join(root, 'ws');
    outside = join(root, 'elsewhere');
    await mkdir(join(workspace, 'shared', 'modules', 'net'), { recursive: true });
    await mkdir(outside, { recursive: true });
    await writeFile(join(workspace, 'shared', 'topic.tf'), TOPIC);
    await writeFile(join(workspace, 'shared', 'modules', 'net', 'main.tf'), 'resource "google_compute_network" "n" {\n  name = "n"\n}\n');
    await writeFile(join(outside, 'secret.tf'), 'resource "google_storage_bucket" "x" {\n  name = "x"\n}\n');
  });
  after(() => rm(root, { recursive: true, force: true }));

  async function blueprint(name: string, setup: (folder: string) => Promise<void>): Promise<string> {
    const folder = join(workspace, name);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'main.tf'), 'variable "region" {\n  default = "us"\n}\n');
    await setup(folder);
    return folder;
  }

  it('a symlinked .tf and a symlinked folder inside the workspace are followed and zipped under the link name', async () => {
    const folder = await blueprint('linked', async (f) => {
      await symlink(join(workspace, 'shared', 'topic.tf'), join(f, 'topic.tf'));
      await symlink(join(workspace, 'shared', 'modules'), join(f, 'modules'));
    });
    const files = await listBlueprintFiles(folder, { workspaceFolder: workspace });
    assert.deepEqual(
      files.map((f) => f.path),
      ['main.tf', 'modules/net/main.tf', 'topic.tf'],
    );
    const zip = unzipSync(await zipBlueprint(files));
    assert.equal(strFromU8(zip['topic.tf'] ?? new Uint8Array()), TOPIC, "the target's content, under the link's name");
    assert.ok(zip['modules/net/main.tf'], 'a symlinked folder is walked');
  });

  it('a symlink to a file outside the workspace is refused, naming the file and its target', async () => {
    const folder = await blueprint('escape', (f) => symlink(join(outside, 'secret.tf'), join(f, 'secret.tf')));
    await assert.rejects(listBlueprintFiles(folder, { workspaceFolder: workspace }), (error: unknown) => {
      assert.ok(error instanceof BlueprintFileError);
      assert.equal(error.problem.kind, 'outside');
      assert.match(error.message, /escape\/secret\.tf: A symlink to .*elsewhere\/secret\.tf, which resolves to .*elsewhere\/secret\.tf, outside the workspace/);
      assert.match(error.hint, /Copy the file into the workspace/);
      return true;
    });
  });

  it('without a workspace folder, the blueprint folder is the boundary', async () => {
    const folder = await blueprint('no-workspace', (f) => symlink(join(workspace, 'shared', 'topic.tf'), join(f, 'topic.tf')));
    await assert.rejects(
      listBlueprintFiles(folder),
      (error: unknown) => error instanceof BlueprintFileError && /outside the blueprint folder/.test(error.message),
    );
  });

  it('a broken symlink is refused, not dropped', async () => {
    const folder = await blueprint('dangling', (f) => symlink(join(workspace, 'shared', 'gone.tf'), join(f, 'gone.tf')));
    await assert.rejects(listBlueprintFiles(folder, { workspaceFolder: workspace }), (error: unknown) => {
      assert.ok(error instanceof BlueprintFileError);
      assert.equal(error.problem.kind, 'dangling');
      assert.match(error.message, /dangling\/gone\.tf: A symlink to .*gone\.tf, which does not exist/);
      return true;
    });
  });

  it('a folder link back into itself is refused, not walked forever', async () => {
    const folder = await blueprint('loop', (f) => symlink(f, join(f, 'again')));
    await assert.rejects(
      listBlueprintFiles(folder, { workspaceFolder: workspace }),
      (error: unknown) => error instanceof BlueprintFileError && error.problem.kind === 'loop',
    );
  });

  it('a socket in the blueprint folder is refused, not dropped', async () => {
    const folder = await blueprint('socket', async () => undefined);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(folder, 'agent.sock'), resolve));
    try {
      await assert.rejects(listBlueprintFiles(folder, { workspaceFolder: workspace }), (error: unknown) => {
        assert.ok(error instanceof BlueprintFileError);
        assert.equal(error.problem.kind, 'special');
        assert.match(error.message, /socket\/agent\.sock: Neither a file nor a folder/);
        return true;
      });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('the initializer reports an outside link as an InputError on that file, before anything is uploaded', async () => {
    const folder = await blueprint('init-escape', (f) => symlink(join(outside, 'secret.tf'), join(f, 'zz.tf')));
    const settings: GcpProviderSettings = {
      project: 'p-1',
      location: 'us-central1',
      deploymentName: 'orders',
      serviceAccount: 'sa@p-1.iam.gserviceaccount.com',
      blueprintFolder: folder,
      inputValues: {},
      stagingBucket: 'b',
      workspaceFolder: workspace,
    };
    const init = createBlueprintInitializer(settings, { displayPath: (p) => p.slice(workspace.length + 1) });
    const input = { deploymentId: 'd-1', round: 0, target: { provider: 'gcp' as const, name: 'orders', region: 'us-central1' } };
    await assert.rejects(init(input, AbortSignal.timeout(5_000)), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.equal(error.file, join(folder, 'zz.tf'));
      assert.equal(error.setting, 'stackwatch.gcp.blueprintFolder');
      assert.match(
        error.message,
        /^init-escape\/zz\.tf: A symlink to .*elsewhere\/secret\.tf, which resolves to .*elsewhere\/secret\.tf, outside the workspace/,
      );
      return true;
    });
  });
});
