/**
 * What a project holds for the configure flow's listings: Infrastructure Manager locations
 * (config API `projects.locations.list`), service accounts (IAM `projects.serviceAccounts.list`)
 * and Cloud Storage buckets (`buckets.list`). A directory of projects set at start or later; a
 * project not in it answers 403 as Google does for a project you cannot see.
 *
 * Deployments do not consult it: every project name deploys, as before (simulator-only).
 */
import type { ApiRequest, ApiResponse } from './api';
import { GcpError, invalid } from './errors';
import type { ImSimProject } from './types';

/** The regions of cloud.google.com/infrastructure-manager/docs/locations (a selection), with their names. */
export const IM_LOCATIONS: Readonly<Record<string, string>> = {
  'asia-east1': 'Taiwan',
  'asia-northeast1': 'Tokyo',
  'asia-northeast3': 'Seoul',
  'australia-southeast1': 'Sydney',
  'europe-west1': 'Belgium',
  'europe-west2': 'London',
  'europe-west3': 'Frankfurt',
  'northamerica-northeast1': 'Montréal',
  'southamerica-east1': 'São Paulo',
  'us-central1': 'Iowa',
  'us-east1': 'South Carolina',
  'us-east4': 'Northern Virginia',
  'us-west1': 'Oregon',
};

/** The sample workspace's project (sample/.vscode/settings.json), so `npm start` lists something. */
export const SAMPLE_PROJECTS: Record<string, ImSimProject> = {
  'stackwatch-demo': {
    serviceAccounts: [
      { email: 'deployer@stackwatch-demo.iam.gserviceaccount.com', displayName: 'Infrastructure Manager deployer' },
      { email: 'stackwatch-demo@appspot.gserviceaccount.com', displayName: 'App Engine default service account' },
      { email: 'old-ci@stackwatch-demo.iam.gserviceaccount.com', displayName: 'Retired CI account', disabled: true },
    ],
    buckets: [
      { name: 'stackwatch-demo-blueprints', location: 'US-CENTRAL1' },
      { name: 'stackwatch-demo-logs', location: 'US' },
    ],
  },
};

type Api = 'config' | 'iam' | 'storage';
const SERVICE: Record<Api, { host: string; title: string }> = {
  config: { host: 'config.googleapis.com', title: 'Infrastructure Manager API' },
  iam: { host: 'iam.googleapis.com', title: 'Identity and Access Management (IAM) API' },
  storage: { host: 'storage.googleapis.com', title: 'Cloud Storage JSON API' },
};

export class ProjectDirectory {
  private readonly projects = new Map<string, ImSimProject>();

  constructor(initial: Record<string, ImSimProject>) {
    for (const [id, project] of Object.entries(initial)) this.set(id, project);
  }

  set(id: string, project: ImSimProject): void {
    this.projects.set(id, structuredClone(project));
  }

  /** The project, or the 403 Google gives for a project that does not exist or that you cannot see. */
  get(id: string, api: Api, permission: string): ImSimProject {
    const project = this.projects.get(id);
    if (!project) {
      throw new GcpError(
        403,
        'PERMISSION_DENIED',
        `Permission '${permission}' denied on resource (or it may not exist).`,
        api === 'storage' ? 'forbidden' : undefined,
      );
    }
    return project;
  }

  number(id: string): string {
    // A stable fake project number: Google's SERVICE_DISABLED messages name the number, not the ID.
    return String(100000000000 + ([...this.projects.keys()].indexOf(id) + 1) * 7919);
  }
}

/** The three listing routes; undefined for every other path. */
export function projectRoute(directory: ProjectDirectory, req: ApiRequest): ApiResponse | undefined {
  if (req.method !== 'GET') return undefined;
  const locations = /^\/v1\/projects\/([^/]+)\/locations$/.exec(req.path);
  if (locations) return listLocations(directory, decodeURIComponent(locations[1] ?? ''), req.query);
  const accounts = /^\/v1\/projects\/([^/]+)\/serviceAccounts$/.exec(req.path);
  if (accounts) return listServiceAccounts(directory, decodeURIComponent(accounts[1] ?? ''), req.query);
  if (req.path === '/storage/v1/b') return listBuckets(directory, req.query);
  return undefined;
}

function listLocations(directory: ProjectDirectory, id: string, query: Record<string, string>): ApiResponse {
  const project = directory.get(id, 'config', 'config.locations.list');
  const disabled = disabledAnswer(directory, id, project, 'config');
  if (disabled) return disabled;
  const all = (project.locations ?? Object.keys(IM_LOCATIONS)).map((locationId) => ({
    name: `projects/${id}/locations/${locationId}`,
    locationId,
    ...(IM_LOCATIONS[locationId] ? { displayName: IM_LOCATIONS[locationId] } : {}),
  }));
  return ok(paged(all, 'locations', query['pageToken'], pageSize(query['pageSize'], 100, 1000)));
}

/** pageSize: default 20, at most 100 (iam/docs/reference/rest/v1/projects.serviceAccounts/list). */
function listServiceAccounts(directory: ProjectDirectory, id: string, query: Record<string, string>): ApiResponse {
  const project = directory.get(id, 'iam', 'iam.serviceAccounts.list');
  const disabled = disabledAnswer(directory, id, project, 'iam');
  if (disabled) return disabled;
  const all = (project.serviceAccounts ?? []).map((account, index) => ({
    name: `projects/${id}/serviceAccounts/${account.email}`,
    projectId: id,
    uniqueId: `1${String(index + 1).padStart(20, '0')}`,
    email: account.email,
    ...(account.displayName ? { displayName: account.displayName } : {}),
    etag: 'MDEwMjE5MjA=',
    oauth2ClientId: `1${String(index + 1).padStart(20, '0')}`,
    ...(account.disabled ? { disabled: true } : {}),
  }));
  return ok(paged(all, 'accounts', query['pageToken'], pageSize(query['pageSize'], 20, 100)));
}

/** `project` is required; ordered by name; maxResults at most 1000 (storage/docs/json_api/v1/buckets/list). */
function listBuckets(directory: ProjectDirectory, query: Record<string, string>): ApiResponse {
  const id = query['project'];
  if (!id) throw new GcpError(400, 'INVALID_ARGUMENT', 'Required parameter: project', 'required');
  const project = directory.get(id, 'storage', 'storage.buckets.list');
  const disabled = disabledAnswer(directory, id, project, 'storage');
  if (disabled) return disabled;
  const all = [...(project.buckets ?? [])]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((bucket) => ({
      kind: 'storage#bucket',
      id: bucket.name,
      name: bucket.name,
      projectNumber: directory.number(id),
      location: bucket.location ?? 'US',
      locationType: (bucket.location ?? 'US').includes('-') ? 'region' : 'multi-region',
      storageClass: 'STANDARD',
    }));
  return ok({ kind: 'storage#buckets', ...paged(all, 'items', query['pageToken'], pageSize(query['maxResults'], 1000, 1000)) });
}

/**
 * 403 PERMISSION_DENIED with an ErrorInfo of reason SERVICE_DISABLED, the shape Google answers
 * for an API that is not enabled in the project (cloud.google.com/apis/design/errors#error_info).
 */
function disabledAnswer(directory: ProjectDirectory, id: string, project: ImSimProject, api: Api): ApiResponse | undefined {
  if (!project.disabledApis?.includes(api)) return undefined;
  const { host, title } = SERVICE[api];
  const number = directory.number(id);
  const message = `${title} has not been used in project ${number} before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/${host}/overview?project=${number} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`;
  return {
    status: 403,
    json: {
      error: {
        code: 403,
        message,
        status: 'PERMISSION_DENIED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'SERVICE_DISABLED',
            domain: 'googleapis.com',
            metadata: { service: host, consumer: `projects/${number}` },
          },
        ],
      },
    },
  };
}

function ok(json: unknown): ApiResponse {
  return { status: 200, json };
}

function pageSize(raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 0) throw invalid(`Invalid page size ${raw}.`);
  return size === 0 ? fallback : Math.min(size, max);
}

/** The page token is the offset, opaque to callers (as api.ts pages). */
function paged<T>(items: T[], field: string, token: string | undefined, size: number): Record<string, unknown> {
  let offset = 0;
  if (token) {
    offset = Number(
      Buffer.from(token, 'base64url')
        .toString('utf8')
        .replace(/^offset:/, ''),
    );
    if (!Number.isInteger(offset) || offset < 0 || offset > items.length) throw invalid('Invalid page token.');
  }
  const next = offset + size < items.length ? Buffer.from(`offset:${offset + size}`).toString('base64url') : undefined;
  // Google leaves an empty list out of the JSON altogether.
  const slice = items.slice(offset, offset + size);
  return { ...(slice.length > 0 ? { [field]: slice } : {}), ...(next ? { nextPageToken: next } : {}) };
}
