/**
 * One request to Google Cloud, the way every request of the adapter is sent: with the caller's
 * AbortSignal, its own deadline, no retries of its own, and an answer that must be readable.
 *
 * googleapis (through gaxios) retries 5xx, 429 and dropped connections three times by itself,
 * each try with the full timeout: a stalled endpoint then looks like one slow call for minutes,
 * and the machine cannot say *retrying*. The machine's backoff owns retrying, so here a request
 * is tried once, and every way it can fail becomes a coded ProviderError at once.
 */
import { ProviderError } from '../provider';
import { toProviderError } from './errors';
import { GCP_SETTING_KEYS } from './settings';

/** A healthy endpoint answers in well under a second; this is well under the machine's read deadline. */
export const DEFAULT_CALL_TIMEOUT_MS = 20_000;
/** A blueprint zip is usually kilobytes; this still allows megabytes over a slow uplink. */
export const DEFAULT_UPLOAD_TIMEOUT_MS = 40_000;

/** Per-request options for googleapis and google-auth-library's `request`. */
export interface CallOptions {
  signal: AbortSignal;
  timeout: number;
  /** gaxios: no retries at all (and no retryConfig, which would turn them back on). */
  retry: false;
  rootUrl?: string;
}

interface ApiResponse<T> {
  data: T;
}

export interface CallerSettings {
  rootUrl?: string;
  project: string;
  timeoutMs: number;
  /** When set, no request may be sent: it would carry credentials to an endpoint that must not get them. */
  refusal?: () => ProviderError;
}

export interface CallSpec {
  /** Request deadline; the caller's default when absent. */
  timeoutMs?: number;
  /** False for calls that answer 204 / an empty body (Cloud Storage deletes). */
  expectsBody?: boolean;
}

export class GcpCaller {
  constructor(private readonly settings: CallerSettings) {}

  get rootUrl(): string | undefined {
    return this.settings.rootUrl;
  }

  get timeoutMs(): number {
    return this.settings.timeoutMs;
  }

  async call<T>(operation: string, signal: AbortSignal, send: (options: CallOptions) => Promise<ApiResponse<T>>, spec: CallSpec = {}): Promise<T> {
    // Before anything else: GoogleAuth would fetch (and attach) a token as soon as it is asked.
    if (this.settings.refusal) throw this.settings.refusal();
    if (signal.aborted) throw new ProviderError('Aborted', `${operation}: cancelled before it was sent.`);
    let data: T;
    try {
      // rootUrl per call as well: googleapis-common rewrites a client-wide rootUrl for the API
      // URL but not for media uploads, which would otherwise still go to storage.googleapis.com.
      const options: CallOptions = { signal, timeout: spec.timeoutMs ?? this.settings.timeoutMs, retry: false, ...(this.settings.rootUrl ? { rootUrl: this.settings.rootUrl } : {}) };
      data = (await send(options)).data;
    } catch (error) {
      if (signal.aborted) throw new ProviderError('Aborted', `${operation}: cancelled.`, { cause: error });
      // The signal tells toProviderError that an abort now can only be the request's own timeout.
      throw toProviderError(error, { operation, endpoint: this.settings.rootUrl, project: this.settings.project, signal });
    }
    if (spec.expectsBody !== false) checkReadable(operation, data, this.settings.rootUrl);
    return data;
  }
}

/**
 * gaxios hands back the raw text when a 2xx body is not JSON (a proxy's HTML page, a cut-off
 * answer). Read as an object it would be a deployment with no state, which looks like "missing":
 * a read that says nothing must not decide anything, so it is a retryable failure instead.
 */
function checkReadable(operation: string, data: unknown, endpoint: string | undefined): void {
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) return;
  const shown = typeof data === 'string' ? `${data.length} characters that are not a JSON object` : `a ${data === null ? 'null' : Array.isArray(data) ? 'list' : typeof data}`;
  throw new ProviderError('Transient', `${operation}: Google Cloud${endpoint ? ` at ${endpoint}` : ''} answered with ${shown}; asking again.`, {
    providerCode: 'UNREADABLE_RESPONSE',
    hint: endpoint ? `Check that the endpoint in ${GCP_SETTING_KEYS.endpoint} (${endpoint}) is an Infrastructure Manager endpoint.` : 'A proxy between you and Google Cloud may be answering instead of Google.',
  });
}
