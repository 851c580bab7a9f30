/**
 * Helpers for im-sim's tests: the real googleapis clients pointed at the sim, blueprint uploads,
 * and driving simulated time until an operation is done. Tests run with speed 0 and move time
 * with advance(), so nothing depends on how fast the machine is.
 */
import { strict as assert } from 'node:assert';
import { Readable } from 'node:stream';
import { strToU8, zipSync } from 'fflate';
import { OAuth2Client } from 'google-auth-library';
import { config_v1 } from 'googleapis/build/src/apis/config';
import { storage_v1 } from 'googleapis/build/src/apis/storage';
import type { ImSim } from '../../tools/im-sim/index';

export const PARENT = 'projects/demo-project/locations/us-central1';
export const SERVICE_ACCOUNT = 'projects/demo-project/serviceAccounts/deployer@demo-project.iam.gserviceaccount.com';
export const BUCKET = 'demo-blueprints';

export interface Clients {
  config: config_v1.Config;
  storage: storage_v1.Storage;
  /** Per-call options: googleapis ignores the client-level rootUrl for media uploads. */
  uploadOptions: { rootUrl: string };
}

export function clientsFor(sim: ImSim, token = sim.token): Clients {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: token });
  return {
    config: new config_v1.Config({ rootUrl: sim.rootUrl, auth }),
    storage: new storage_v1.Storage({ rootUrl: sim.rootUrl, auth }),
    uploadOptions: { rootUrl: sim.rootUrl },
  };
}

/** Zips `files` and uploads them the way an adapter would (multipart: metadata + media). Returns the pinned gcsSource. */
export async function uploadBlueprint(clients: Clients, name: string, files: Record<string, string>): Promise<string> {
  const zip = zipSync(Object.fromEntries(Object.entries(files).map(([file, text]) => [file, strToU8(text)])));
  const { data } = await clients.storage.objects.insert(
    { bucket: BUCKET, requestBody: { name, contentType: 'application/zip' }, media: { mimeType: 'application/zip', body: Readable.from([Buffer.from(zip)]) } },
    clients.uploadOptions,
  );
  assert.ok(data.generation, 'upload returned no generation');
  return `gs://${BUCKET}/${name}#${data.generation}`;
}

export function blueprint(gcsSource: string, inputs: Record<string, unknown> = {}): config_v1.Schema$TerraformBlueprint {
  return { gcsSource, inputValues: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, { inputValue: v }])) };
}

/** Advances a second at a time until the operation is done; returns it. */
export async function settle(sim: ImSim, clients: Clients, operationName: string, maxSeconds = 300): Promise<config_v1.Schema$Operation> {
  for (let elapsed = 0; elapsed <= maxSeconds; elapsed++) {
    const { data } = await clients.config.projects.locations.operations.get({ name: operationName });
    if (data.done) return data;
    sim.advance(1);
  }
  throw new Error(`${operationName} not done after ${maxSeconds} simulated seconds`);
}

export async function createDeployment(
  sim: ImSim,
  clients: Clients,
  id: string,
  gcsSource: string,
  inputs: Record<string, unknown> = {},
): Promise<config_v1.Schema$Operation> {
  const { data } = await clients.config.projects.locations.deployments.create({
    parent: PARENT,
    deploymentId: id,
    requestBody: { serviceAccount: SERVICE_ACCOUNT, terraformBlueprint: blueprint(gcsSource, inputs) },
  });
  assert.ok(data.name);
  return settle(sim, clients, data.name);
}

export async function resources(clients: Clients, revision: string): Promise<string[]> {
  const { data } = await clients.config.projects.locations.deployments.revisions.resources.list({ parent: revision });
  return (data.resources ?? []).map((r) => `${r.terraformInfo?.address ?? '?'} ${r.intent ?? '?'} ${r.state ?? '?'}`);
}

export async function changes(clients: Clients, preview: string): Promise<string[]> {
  const { data } = await clients.config.projects.locations.previews.resourceChanges.list({ parent: preview });
  return (data.resourceChanges ?? []).map((c) => `${c.terraformInfo?.address ?? '?'} ${c.intent ?? '?'}`);
}

/** The API error a googleapis call was rejected with: HTTP status and Google status string. */
export async function apiError(call: Promise<unknown>): Promise<{ httpStatus: number; status: string; message: string }> {
  try {
    await call;
  } catch (error) {
    const e = error as { status?: number; response?: { data?: { error?: { status?: string; message?: string; code?: number } } } };
    const body = e.response?.data?.error;
    assert.ok(body, `expected a Google error body, got ${String(error)}`);
    assert.equal(body.code, e.status, 'error.code must repeat the HTTP status');
    return { httpStatus: e.status ?? 0, status: body.status ?? '', message: body.message ?? '' };
  }
  assert.fail('expected the call to fail');
}

/** An operation's deploymentMetadata.step: googleapis types operation metadata as any. */
export function stepOf(metadata: unknown): string | undefined {
  return (metadata as { deploymentMetadata?: { step?: string } } | null | undefined)?.deploymentMetadata?.step;
}
