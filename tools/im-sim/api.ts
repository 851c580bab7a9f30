/**
 * The REST surface: paths and methods to engine calls, for config.googleapis.com v1 and the
 * Cloud Storage JSON API. Names come in as googleapis sends them ({+name} keeps the slashes).
 */
import { cancelOperation } from './cancel';
import type { SimContext } from './context';
import { createDeployment, deleteDeployment, exportLock, getDeployment, lockDeployment, unlockDeployment, updateDeployment } from './deployments';
import { failedPrecondition, GcpError, invalid, notFound } from './errors';
import type { DeploymentRecord, PreviewRecord, RevisionRecord } from './model';
import type { OperationRecord } from './operations';
import { driftedPreview, findDrift, resourceDriftJson } from './driftApi';
import { exportPreview, signedArtifactRoute } from './planExport';
import { createPreview, deletePreview, getPreview } from './previews';
import { projectRoute } from './projects';
import { reportedResources } from './reporting';
import type { Body } from './spec';
import { storageRoute } from './storageApi';
import { valueText } from '../sim-kit/text';
import { getTerraformVersion, listTerraformVersions } from './terraformVersions';
import { deploymentJson, operationJson, previewJson, resourceChangeJson, resourceId, resourceJson, revisionJson } from './views';

export interface ApiRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Buffer;
  contentType: string;
  rootUrl: string;
}

export interface ApiResponse {
  status: number;
  json?: unknown;
  raw?: { data: Uint8Array; contentType: string };
}

const L = 'projects/[^/]+/locations/[^/]+';
type Handler = (ctx: SimContext, req: ApiRequest, match: string[]) => ApiResponse;
const ROUTES: { method: string; pattern: RegExp; handler: Handler }[] = [];
const route = (method: string, pattern: string, handler: Handler): void => {
  ROUTES.push({ method, pattern: new RegExp(`^${pattern}$`), handler });
};

const ok = (json: unknown): ApiResponse => ({ status: 200, json });
const op = (operation: OperationRecord): ApiResponse => ok(operationJson(operation));

route('GET', `(${L})/deployments`, (ctx, req, [parent = '']) => {
  const all = [...ctx.deployments.values()].filter((d) => d.name.startsWith(`${parent}/deployments/`));
  return ok(page(all.map(deploymentJson), 'deployments', req.query));
});
route('POST', `(${L})/deployments`, (ctx, req, [parent = '']) =>
  op(createDeployment(ctx, parent, req.query['deploymentId'], json(req), req.query['requestId'])),
);
route('GET', `(${L}/deployments/[^/:]+)`, (ctx, _req, [name = '']) => ok(deploymentJson(getDeployment(ctx, name))));
route('PATCH', `(${L}/deployments/[^/:]+)`, (ctx, req, [name = '']) =>
  op(updateDeployment(ctx, name, json(req), req.query['updateMask'], req.query['requestId'])),
);
route('DELETE', `(${L}/deployments/[^/:]+)`, (ctx, req, [name = '']) => op(deleteDeployment(ctx, name, req.query['deletePolicy'], req.query['requestId'])));
route('POST', `(${L}/deployments/[^/:]+):lock`, (ctx, req, [name = '']) => op(lockDeployment(ctx, name, { info: valueText(json(req)['info'] ?? '') })));
route('POST', `(${L}/deployments/[^/:]+):unlock`, (ctx, req, [name = '']) => {
  const lockId = json(req)['lockId'];
  return op(unlockDeployment(ctx, name, lockId === undefined || lockId === null ? undefined : valueText(lockId)));
});
route('GET', `(${L}/deployments/[^/:]+):exportLock`, (ctx, _req, [name = '']) => ok(exportLock(ctx, name)));

route('GET', `(${L}/deployments/[^/:]+)/revisions`, (ctx, req, [name = '']) => {
  const deployment = getDeployment(ctx, name);
  return ok(
    page(
      deployment.revisions.map((r) => revisionJson(deployment, r)),
      'revisions',
      req.query,
    ),
  );
});
route('GET', `(${L}/deployments/[^/:]+)/revisions/([^/:]+)`, (ctx, _req, [name = '', id = '']) => {
  const { deployment, revision } = findRevision(ctx, name, id);
  return ok(revisionJson(deployment, revision));
});
route('GET', `(${L}/deployments/[^/:]+)/revisions/([^/:]+)/resources`, (ctx, req, [name = '', id = '']) => {
  const { revision } = findRevision(ctx, name, id);
  return ok(
    page(
      reportedResources(ctx, revision).map((r) => resourceJson(revision, r)),
      'resources',
      req.query,
    ),
  );
});
route('GET', `(${L}/deployments/[^/:]+)/revisions/([^/:]+)/resources/([^/:]+)`, (ctx, _req, [name = '', id = '', res = '']) => {
  const { revision } = findRevision(ctx, name, id);
  const resource = reportedResources(ctx, revision).find((r) => resourceId(r.change.address) === res);
  if (!resource) throw notFound(`Resource '${revision.name}/resources/${res}' was not found`);
  return ok(resourceJson(revision, resource));
});

route('GET', `(${L})/previews`, (ctx, req, [parent = '']) => {
  const all = [...ctx.previews.values()].filter((p) => p.name.startsWith(`${parent}/previews/`));
  return ok(page(all.map(previewJson), 'previews', req.query));
});
route('POST', `(${L})/previews`, (ctx, req, [parent = '']) => op(createPreview(ctx, parent, req.query['previewId'], json(req), req.query['requestId'])));
route('GET', `(${L}/previews/[^/:]+)`, (ctx, _req, [name = '']) => ok(previewJson(getPreview(ctx, name))));
route('DELETE', `(${L}/previews/[^/:]+)`, (ctx, req, [name = '']) => op(deletePreview(ctx, name, req.query['requestId'])));
route('GET', `(${L}/previews/[^/:]+)/resourceChanges`, (ctx, req, [name = '']) => {
  const preview = changedPreview(ctx, name);
  const changes = preview.changes.filter((c) => c.intent !== 'UNCHANGED').map((c) => resourceChangeJson(preview, c));
  return ok(page(changes, 'resourceChanges', req.query));
});
route('GET', `(${L}/previews/[^/:]+)/resourceChanges/([^/:]+)`, (ctx, _req, [name = '', id = '']) => {
  const preview = changedPreview(ctx, name);
  const change = preview.changes.find((c) => c.intent !== 'UNCHANGED' && resourceId(c.address) === id);
  if (!change) throw notFound(`Resource '${name}/resourceChanges/${id}' was not found`);
  return ok(resourceChangeJson(preview, change));
});

route('POST', `(${L}/previews/[^/:]+):export`, (ctx, req, [name = '']) => ok(exportPreview(ctx, name, req.rootUrl)));
route('GET', `(${L}/previews/[^/:]+)/resourceDrifts`, (ctx, req, [name = '']) => {
  const preview = driftedPreview(ctx, name);
  return ok(
    page(
      (preview.drifts ?? []).map((d) => resourceDriftJson(preview, d)),
      'resourceDrifts',
      req.query,
    ),
  );
});
route('GET', `(${L}/previews/[^/:]+)/resourceDrifts/([^/:]+)`, (ctx, _req, [name = '', id = '']) => {
  const preview = driftedPreview(ctx, name);
  return ok(resourceDriftJson(preview, findDrift(preview, id)));
});

route('GET', `(${L})/terraformVersions`, (_ctx, req, [parent = '']) => ok(page(listTerraformVersions(parent), 'terraformVersions', req.query)));
route('GET', `(${L}/terraformVersions/[^/:]+)`, (_ctx, _req, [name = '']) => ok(getTerraformVersion(name)));

route('GET', `(${L})/operations`, (ctx, req, [parent = '']) => ok(page(ctx.operations.list(parent).map(operationJson), 'operations', req.query)));
route('GET', `(${L}/operations/[^/:]+)`, (ctx, _req, [name = '']) => op(getOperation(ctx, name)));
route('DELETE', `(${L}/operations/[^/:]+)`, (ctx, _req, [name = '']) => {
  getOperation(ctx, name);
  ctx.operations.delete(name);
  return ok({});
});
route('POST', `(${L}/operations/[^/:]+):cancel`, (ctx, _req, [name = '']) => {
  // Cancelling is a request, answered as SimSettings.cancelBehaviour says (cancel.ts).
  cancelOperation(ctx, getOperation(ctx, name));
  return ok({});
});

export function handleApi(ctx: SimContext, req: ApiRequest): ApiResponse {
  const listing = projectRoute(ctx.projects, req);
  if (listing) return listing;
  const storage = storageRoute(ctx, req) ?? signedArtifactRoute(ctx, req);
  if (storage) return storage;
  if (!req.path.startsWith('/v1/')) throw notFound(`The requested URL ${req.path} was not found on this server.`);
  const path = decodeURIComponent(req.path.slice('/v1/'.length));
  let pathMatched = false;
  for (const r of ROUTES) {
    const match = r.pattern.exec(path);
    if (!match) continue;
    pathMatched = true;
    if (r.method === req.method) return r.handler(ctx, req, match.slice(1));
  }
  if (pathMatched) throw new GcpError(405, 'INVALID_ARGUMENT', `Method ${req.method} is not allowed on ${req.path}.`);
  throw notFound(`The requested URL ${req.path} was not found on this server.`);
}

function json(req: ApiRequest): Body {
  if (req.body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(req.body.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid('The request body must be a JSON object.');
    return parsed as Body;
  } catch (error) {
    if (error instanceof GcpError) throw error;
    throw invalid(`Invalid JSON payload received. ${error instanceof Error ? error.message : ''}`.trim());
  }
}

/** List paging: pageToken is the offset, opaque to callers. */
function page<T>(items: T[], field: string, query: Record<string, string>): Record<string, unknown> {
  const size = query['pageSize'] === undefined ? 100 : Number(query['pageSize']);
  if (!Number.isInteger(size) || size < 0) throw invalid(`Invalid page_size ${query['pageSize'] ?? ''}.`);
  const effective = size === 0 ? 100 : Math.min(size, 1000);
  let offset = 0;
  if (query['pageToken']) {
    offset = Number(
      Buffer.from(query['pageToken'], 'base64url')
        .toString('utf8')
        .replace(/^offset:/, ''),
    );
    if (!Number.isInteger(offset) || offset < 0 || offset > items.length) throw invalid('Invalid page token.');
  }
  const slice = items.slice(offset, offset + effective);
  const next = offset + effective < items.length ? Buffer.from(`offset:${offset + effective}`).toString('base64url') : undefined;
  return { [field]: slice, ...(next ? { nextPageToken: next } : {}) };
}

function findRevision(ctx: SimContext, deploymentName: string, id: string): { deployment: DeploymentRecord; revision: RevisionRecord } {
  const deployment = getDeployment(ctx, deploymentName);
  const revision = deployment.revisions.find((r) => r.name === `${deployment.name}/revisions/${id}`);
  if (!revision) throw notFound(`Resource '${deployment.name}/revisions/${id}' was not found`);
  return { deployment, revision };
}

function changedPreview(ctx: SimContext, name: string): PreviewRecord {
  const preview = getPreview(ctx, name);
  if (preview.state !== 'SUCCEEDED') throw failedPrecondition(`Preview ${name} is ${preview.state}; resource changes exist only for a preview that SUCCEEDED.`);
  return preview;
}

function getOperation(ctx: SimContext, name: string): OperationRecord {
  const operation = ctx.operations.get(name);
  if (!operation) throw notFound(`Operation '${name}' was not found`);
  return operation;
}
