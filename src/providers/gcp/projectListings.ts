/**
 * What a project offers the configure flow: Infrastructure Manager's locations, the project's
 * service accounts and its Cloud Storage buckets. Each is one listing, read through GcpCaller
 * (one try, a deadline, a readable answer) and paged to a bound.
 *
 * The IAM and Cloud Storage listings are plain authorized GETs, as the staging upload is: their
 * googleapis modules would add hundreds of kilobytes to the bundle for one call each.
 */
import * as l10n from '@vscode/l10n';
import type { GoogleAuth, OAuth2Client } from 'google-auth-library';
import { config_v1 } from 'googleapis/build/src/apis/config';
import { ProviderError } from '../provider';
import type { CallOptions, GcpCaller } from './calls';

export interface LocationEntry {
  id: string;
  /** "Iowa", when the service names it. */
  displayName?: string;
}

export interface ServiceAccountEntry {
  email: string;
  displayName?: string;
  /** A disabled account cannot run Terraform. */
  disabled: boolean;
}

export interface BucketEntry {
  name: string;
  /** "US-CENTRAL1", "US", … when the service says. */
  location?: string;
}

/** A configure step waits on one listing at most this long, then offers typing instead. */
export const LISTING_TIMEOUT_MS = 10_000;
/** A project with more than this many pages of anything is typed into, not scrolled through. */
const MAX_PAGES = 5;

interface Page {
  nextPageToken?: unknown;
}

export class ProjectListings {
  private readonly config: config_v1.Config;

  constructor(
    private readonly caller: GcpCaller,
    private readonly auth: GoogleAuth | OAuth2Client,
  ) {
    this.config = new config_v1.Config({ auth, ...(caller.rootUrl ? { rootUrl: caller.rootUrl } : {}) });
  }

  /** config API `projects.locations.list`: where Infrastructure Manager runs for this project. */
  async locations(project: string, signal: AbortSignal): Promise<LocationEntry[]> {
    const found = await this.pages(
      l10n.t('Listing Infrastructure Manager locations of project {0}', project),
      project,
      'config.googleapis.com',
      signal,
      (pageToken, o) => this.config.projects.locations.list({ name: `projects/${project}`, pageSize: 100, ...(pageToken ? { pageToken } : {}) }, o),
    );
    const entries: LocationEntry[] = [];
    for (const page of found) {
      for (const location of page.locations ?? []) {
        const id = location.locationId ?? location.name?.split('/').pop();
        if (id) entries.push({ id, ...(location.displayName ? { displayName: location.displayName } : {}) });
      }
    }
    return entries.sort((a, b) => a.id.localeCompare(b.id));
  }

  /** IAM `GET v1/projects/P/serviceAccounts` (iam.serviceAccounts.list). */
  async serviceAccounts(project: string, signal: AbortSignal): Promise<ServiceAccountEntry[]> {
    const url = (pageToken?: string): string =>
      this.url('https://iam.googleapis.com/', `v1/projects/${encodeURIComponent(project)}/serviceAccounts`, {
        pageSize: '100',
        ...(pageToken ? { pageToken } : {}),
      });
    const found = await this.pages(l10n.t('Listing the service accounts of project {0}', project), project, 'iam.googleapis.com', signal, (pageToken, o) =>
      this.auth.request<{ accounts?: unknown } & Page>({ url: url(pageToken), method: 'GET', signal: o.signal, retry: o.retry }),
    );
    const entries: ServiceAccountEntry[] = [];
    for (const page of found) {
      for (const account of asArray(page.accounts)) {
        const email = field(account, 'email');
        if (!email) continue;
        const displayName = field(account, 'displayName');
        entries.push({ email, ...(displayName ? { displayName } : {}), disabled: (account as { disabled?: unknown }).disabled === true });
      }
    }
    return entries.sort((a, b) => a.email.localeCompare(b.email));
  }

  /** Cloud Storage `GET storage/v1/b?project=P` (storage.buckets.list). */
  async buckets(project: string, signal: AbortSignal): Promise<BucketEntry[]> {
    const url = (pageToken?: string): string => this.url('https://storage.googleapis.com/', 'storage/v1/b', { project, ...(pageToken ? { pageToken } : {}) });
    const found = await this.pages(
      l10n.t('Listing the Cloud Storage buckets of project {0}', project),
      project,
      'storage.googleapis.com',
      signal,
      (pageToken, o) => this.auth.request<{ items?: unknown } & Page>({ url: url(pageToken), method: 'GET', signal: o.signal, retry: o.retry }),
    );
    const entries: BucketEntry[] = [];
    for (const page of found) {
      for (const bucket of asArray(page.items)) {
        const name = field(bucket, 'name');
        const location = field(bucket, 'location');
        if (name) entries.push({ name, ...(location ? { location } : {}) });
      }
    }
    return entries.sort((a, b) => a.name.localeCompare(b.name));
  }

  private url(googleRoot: string, path: string, query: Record<string, string>): string {
    const root = (this.caller.rootUrl ?? googleRoot).replace(/\/?$/, '/');
    return `${root}${path}?${new URLSearchParams(query).toString()}`;
  }

  /** Follows nextPageToken up to MAX_PAGES; a failed page fails the listing (half a list would mislead). */
  private async pages<T extends Page>(
    operation: string,
    project: string,
    service: string,
    signal: AbortSignal,
    send: (pageToken: string | undefined, options: CallOptions) => Promise<{ data: T }>,
  ): Promise<T[]> {
    const found: T[] = [];
    let pageToken: string | undefined;
    try {
      for (let n = 0; n < MAX_PAGES; n++) {
        const token = pageToken;
        const page = await this.caller.call(operation, signal, (o) => send(token, o), { timeoutMs: LISTING_TIMEOUT_MS });
        found.push(page);
        pageToken = typeof page.nextPageToken === 'string' && page.nextPageToken !== '' ? page.nextPageToken : undefined;
        if (!pageToken) break;
      }
    } catch (error) {
      throw listingError(error, operation, project, service);
    }
    return found;
  }
}

/**
 * The deploy-time hints (roles/config.admin, …) would mislead here: a listing needs a list
 * permission, or the API enabled. Said plainly, since the person types the value instead.
 */
function listingError(error: unknown, operation: string, project: string, service: string): unknown {
  if (!(error instanceof ProviderError) || error.code !== 'Credentials') return error;
  if (serviceDisabled(error.cause)) {
    // Google's own text runs to three sentences and a console link; this one fits a prompt.
    return new ProviderError('Credentials', l10n.t('{0}: {1} is not enabled in project {2}.', operation, service, project), {
      cause: error.cause,
      providerCode: 'SERVICE_DISABLED',
      hint: l10n.t('Enable {0} (gcloud services enable {0} --project {1}), or type the value.', service, project),
    });
  }
  if (error.details.providerCode === 'PERMISSION_DENIED' || error.details.providerCode === '403') {
    return new ProviderError('Credentials', error.message, {
      cause: error.cause,
      providerCode: error.details.providerCode,
      hint: listingPermissionHint(service),
    });
  }
  return error;
}

/** The permission a listing of `service` needs, and a role that grants it. */
function listingPermissionHint(service: string): string {
  switch (service) {
    case 'config.googleapis.com':
      return l10n.t('Listing needs {0} in the project; you can type the value instead.', 'config.locations.list');
    case 'iam.googleapis.com':
      return l10n.t(
        'Listing needs {0} (e.g. {1}) in the project; you can type the value instead.',
        'iam.serviceAccounts.list',
        'roles/iam.serviceAccountViewer',
      );
    case 'storage.googleapis.com':
      return l10n.t('Listing needs {0} (e.g. {1}) in the project; you can type the value instead.', 'storage.buckets.list', 'roles/storage.admin');
    default:
      return l10n.t('Listing needs a list permission in the project; you can type the value instead.');
  }
}

/** Google's "API has not been used in project … or it is disabled": ErrorInfo reason SERVICE_DISABLED. */
function serviceDisabled(cause: unknown): boolean {
  const data = (cause as { response?: { data?: unknown } } | undefined)?.response?.data;
  const body = typeof data === 'object' && data !== null ? (data as { error?: { details?: unknown; message?: unknown } }).error : undefined;
  if (asArray(body?.details).some((d) => field(d, 'reason') === 'SERVICE_DISABLED')) return true;
  return typeof body?.message === 'string' && /has not been used in project .* or it is disabled/i.test(body.message);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function field(value: unknown, name: string): string | undefined {
  const found = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
  return typeof found === 'string' && found !== '' ? found : undefined;
}
