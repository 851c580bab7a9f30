/**
 * previews.export and the plan files behind its signed URLs.
 *
 * The service answers `previews.export` with two signed Cloud Storage URLs, one for the binary
 * plan file and one for its JSON form (`terraform show -json`). Signed URLs carry their
 * authorization in the query string; a client downloads them without a bearer token (gcloud's
 * `previews export --file` does a plain GET). The sim signs its own URLs (HMAC of the path),
 * serves them itself without the token check, and builds the JSON from the preview's plan, in
 * Terraform's plan representation, with sensitive values in clear and marked, as Terraform does.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import type { ApiRequest, ApiResponse } from './api';
import { loadBlueprint, type Blueprint } from './blueprint';
import { TF_VERSION, type SimContext } from './context';
import { failedPrecondition } from './errors';
import type { DriftRecord, PlannedChange, PreviewRecord } from './model';
import { iso } from './names';
import { getPreview } from './previews';

/** Where signed plan files live on the sim's host (a bucket-like first segment, as storage.googleapis.com/BUCKET/OBJECT). */
export const SIGNED_PREFIX = '/im-sim-preview-artifacts/';
const SIGNING_KEY = randomBytes(32);
const FILES = { json: 'plan.json', binary: 'plan.tfplan' } as const;
const TF_ACTIONS: Record<PlannedChange['intent'], string[]> = {
  CREATE: ['create'],
  UPDATE: ['update'],
  DELETE: ['delete'],
  RECREATE: ['delete', 'create'],
  UNCHANGED: ['no-op'],
};

export function isSignedPath(path: string): boolean {
  return path.startsWith(SIGNED_PREFIX);
}

function signature(path: string): string {
  return createHmac('sha256', SIGNING_KEY).update(path).digest('hex');
}

function signedUrl(rootUrl: string, previewName: string, file: string, now: number): string {
  const path = `${SIGNED_PREFIX}${previewName}/${file}`;
  const query = new URLSearchParams({
    'X-Goog-Algorithm': 'GOOG4-RSA-SHA256',
    'X-Goog-Credential': `im-sim@im-sim.iam.gserviceaccount.com/${iso(now).slice(0, 10).replace(/-/g, '')}/auto/storage/goog4_request`,
    'X-Goog-Date': iso(now).replace(/[-:]/g, '').replace(/\.\d+/, ''),
    'X-Goog-Expires': '900',
    'X-Goog-SignedHeaders': 'host',
    'X-Goog-Signature': signature(path),
  });
  return `${rootUrl.replace(/\/$/, '')}${path}?${query.toString()}`;
}

/** previews.export: "To export a preview, its state must be SUCCEEDED or STALE" (the sim has no STALE). */
export function exportPreview(ctx: SimContext, name: string, rootUrl: string): Record<string, unknown> {
  const preview = getPreview(ctx, name);
  if (preview.state !== 'SUCCEEDED') throw failedPrecondition(`Preview ${name} is ${preview.state}; only a preview that SUCCEEDED can be exported.`);
  const now = ctx.now();
  return { result: { binarySignedUri: signedUrl(rootUrl, name, FILES.binary, now), jsonSignedUri: signedUrl(rootUrl, name, FILES.json, now) } };
}

/** Cloud Storage's XML API answers signed-URL requests; its errors are XML too. */
function xmlError(status: number, code: string, message: string): ApiResponse {
  const body = `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  return { status, raw: { data: strToU8(body), contentType: 'application/xml; charset=UTF-8' } };
}

/** GET on a signed URL: no bearer token needed or looked at; the signature in the query decides. */
export function signedArtifactRoute(ctx: SimContext, req: ApiRequest): ApiResponse | undefined {
  if (!isSignedPath(req.path)) return undefined;
  if (req.method !== 'GET') return xmlError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  if (req.query['X-Goog-Signature'] !== signature(req.path)) {
    return xmlError(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  }
  const rest = req.path.slice(SIGNED_PREFIX.length);
  const file = rest.slice(rest.lastIndexOf('/') + 1);
  const preview = ctx.previews.get(rest.slice(0, rest.lastIndexOf('/')));
  // Simulator-only: the plan files go with their preview.
  if (!preview || preview.state !== 'SUCCEEDED') return xmlError(404, 'NoSuchKey', 'The specified key does not exist.');
  if (file === FILES.binary) return { status: 200, raw: { data: binaryPlan(preview), contentType: 'application/octet-stream' } };
  return { status: 200, raw: { data: strToU8(JSON.stringify(planJson(ctx, preview))), contentType: 'application/json' } };
}

/** A Terraform plan file is a zip; the sim's holds a placeholder, not a plan Terraform could apply. */
function binaryPlan(preview: PreviewRecord): Uint8Array {
  return zipSync({ tfplan: strToU8(`im-sim binary plan of ${preview.name}: ${preview.changes.length} resource changes\n`) });
}

/** `{ attr: true }` for the attributes that hold sensitive values; false when none do. */
function marks(values: Record<string, unknown> | undefined, sensitive: ReadonlySet<string>): Record<string, boolean> | false {
  if (!values) return false;
  const marked = Object.keys(values).filter((key) => sensitive.has(key));
  return marked.length === 0 ? {} : Object.fromEntries(marked.map((key) => [key, true]));
}

function resourceHead(r: { address: string; type: string; name: string; provider: string }): Record<string, unknown> {
  return { address: r.address, mode: 'managed', type: r.type, name: r.name, provider_name: r.provider };
}

function driftJson(drift: DriftRecord, ctx: SimContext, preview: PreviewRecord): Record<string, unknown> {
  const state = preview.deployment ? ctx.deployments.get(preview.deployment)?.applied.find((a) => a.address === drift.address) : undefined;
  const before = { ...(state?.attrs ?? {}) };
  const after = { ...before, ...Object.fromEntries(drift.properties.map((p) => [p.path, p.after])) };
  const sensitive = new Set(drift.properties.filter((p) => p.sensitive).map((p) => p.path));
  return {
    ...resourceHead(drift),
    change: { actions: ['update'], before, after, after_unknown: {}, before_sensitive: marks(before, sensitive), after_sensitive: marks(after, sensitive) },
  };
}

/** The plan as `terraform show -json` prints it (format 1.x), built from what the sim planned. */
export function planJson(ctx: SimContext, preview: PreviewRecord): Record<string, unknown> {
  const loaded = preview.previewMode === 'DELETE' ? undefined : loadBlueprint(ctx.objects, preview.spec.terraformBlueprint);
  const blueprint: Blueprint | undefined = loaded?.ok ? loaded.blueprint : undefined;
  const sensitiveOf = (address: string): Set<string> => new Set(blueprint?.resources.find((r) => r.address === address)?.sensitiveAttrs ?? []);
  const deployment = preview.deployment ? ctx.deployments.get(preview.deployment) : undefined;
  const priorOutputs = deployment?.revisions.at(-1)?.outputs ?? {};
  const outputs = blueprint?.outputs ?? {};
  const variables = blueprint?.variables ?? {};

  const resourceChanges = preview.changes.map((c) => {
    const sensitive = sensitiveOf(c.address);
    const before = c.intent === 'CREATE' ? null : (c.before ?? null);
    const after = c.intent === 'DELETE' ? null : (c.after ?? null);
    return {
      ...resourceHead(c),
      change: {
        actions: TF_ACTIONS[c.intent],
        before,
        after,
        after_unknown: c.intent === 'CREATE' || c.intent === 'RECREATE' ? { id: true } : after === null ? false : {},
        before_sensitive: marks(before ?? undefined, sensitive),
        after_sensitive: marks(after ?? undefined, sensitive),
      },
    };
  });
  const outputChanges: Record<string, unknown> = {};
  for (const name of new Set([...Object.keys(priorOutputs), ...Object.keys(outputs)])) {
    const was = priorOutputs[name];
    const now = outputs[name];
    const actions = !now ? ['delete'] : !was ? ['create'] : JSON.stringify(was.value) === JSON.stringify(now.value) ? ['no-op'] : ['update'];
    outputChanges[name] = {
      actions,
      before: was?.value ?? null,
      after: now?.value ?? null,
      after_unknown: false,
      before_sensitive: was?.sensitive ?? false,
      after_sensitive: now?.sensitive ?? false,
    };
  }
  return {
    format_version: '1.2',
    terraform_version: TF_VERSION,
    variables: Object.fromEntries(Object.entries(variables).map(([name, v]) => [name, { value: v.value }])),
    planned_values: {
      outputs: Object.fromEntries(Object.entries(outputs).map(([name, o]) => [name, { sensitive: o.sensitive, value: o.value }])),
      root_module: {
        resources: preview.changes
          .filter((c) => c.intent !== 'DELETE')
          .map((c) => ({ ...resourceHead(c), schema_version: 0, values: c.after ?? {}, sensitive_values: marks(c.after, sensitiveOf(c.address)) || {} })),
      },
    },
    resource_drift: (preview.drifts ?? []).map((d) => driftJson(d, ctx, preview)),
    resource_changes: resourceChanges,
    output_changes: outputChanges,
    ...(deployment
      ? {
          prior_state: {
            format_version: '1.0',
            terraform_version: TF_VERSION,
            values: {
              outputs: Object.fromEntries(Object.entries(priorOutputs).map(([name, o]) => [name, { sensitive: o.sensitive, value: o.value }])),
              root_module: {
                resources: deployment.applied.map((a) => ({
                  ...resourceHead(a),
                  schema_version: 0,
                  values: { ...a.attrs, ...(a.actual ?? {}) },
                  sensitive_values: {},
                })),
              },
            },
          },
        }
      : {}),
    configuration: {
      root_module: {
        variables: Object.fromEntries(Object.entries(variables).map(([name, v]) => [name, v.sensitive ? { sensitive: true } : {}])),
        outputs: Object.fromEntries(Object.entries(outputs).map(([name, o]) => [name, { expression: {}, ...(o.sensitive ? { sensitive: true } : {}) }])),
      },
    },
    timestamp: iso(ctx.now()),
    applyable: resourceChanges.some((c) => c.change.actions[0] !== 'no-op'),
    complete: true,
    errored: false,
  };
}
