/**
 * One request to Google Cloud, the way every request of the adapter is sent: with the caller's
 * AbortSignal, its own deadline, no retries of its own, and an answer that must be readable.
 *
 * googleapis (through gaxios) retries 5xx, 429 and dropped connections three times by itself,
 * each try with the full timeout: a stalled endpoint then looks like one slow call for minutes,
 * and the machine cannot say *retrying*. The machine's backoff owns retrying, so here a request
 * is tried once, and every way it can fail becomes a coded ProviderError at once.
 */
import * as l10n from '@vscode/l10n';
import { callError, ProviderError } from '../provider';
import { toProviderError } from './errors';
import { GCP_SETTING_KEYS } from './settings';

/** A healthy endpoint answers in well under a second; this is well under the machine's read deadline. */
export const DEFAULT_CALL_TIMEOUT_MS = 20_000;
/** A blueprint zip is usually kilobytes; this still allows megabytes over a slow uplink. */
export const DEFAULT_UPLOAD_TIMEOUT_MS = 40_000;

/** Per-request options for googleapis and google-auth-library's `request`. */
export interface CallOptions {
  /** Fires when the caller aborts or the request's deadline passes. */
  signal: AbortSignal;
  /** gaxios: no retries at all (and no retryConfig, which would turn them back on). */
  retry: false;
  rootUrl?: string;
}

/** What googleapis and google-auth-library answer a request with; only the body is read. */
export interface ApiResponse<T> {
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

  async call<T>(operation: string, signal: AbortSignal, send: (options: CallOptions) => Promise<ApiResponse<T>>, spec: CallSpec = {}): Promise<T> {
    // Before anything else: GoogleAuth would fetch (and attach) a token as soon as it is asked.
    if (this.settings.refusal) throw this.settings.refusal();
    if (signal.aborted) throw new ProviderError('Aborted', l10n.t('{0}: cancelled before it was sent.', operation));
    const timeoutMs = spec.timeoutMs ?? this.settings.timeoutMs;
    const deadline = new Deadline(signal, timeoutMs);
    let data: T;
    try {
      // rootUrl per call as well: googleapis-common rewrites a client-wide rootUrl for the API
      // URL but not for media uploads, which would otherwise still go to storage.googleapis.com.
      data = (await send({ signal: deadline.signal, retry: false, ...(this.settings.rootUrl ? { rootUrl: this.settings.rootUrl } : {}) })).data;
    } catch (error) {
      if (signal.aborted) throw new ProviderError('Aborted', l10n.t('{0}: cancelled.', operation), { cause: error });
      if (deadline.passed) {
        const rootUrl = this.settings.rootUrl;
        const seconds = timeoutMs / 1000;
        const reason = rootUrl
          ? l10n.t('Google Cloud at {0} did not answer in time (no answer within {1} s).', rootUrl, seconds)
          : l10n.t('Google Cloud did not answer in time (no answer within {0} s).', seconds);
        throw callError('Transient', operation, reason, {
          cause: error,
          providerCode: 'TimeoutError',
          hint: rootUrl
            ? l10n.t('Check that the endpoint in {0} ({1}) is running and reachable.', GCP_SETTING_KEYS.endpoint, rootUrl)
            : l10n.t('Check your network connection; Google APIs did not answer.'),
        });
      }
      throw toProviderError(error, { operation, endpoint: this.settings.rootUrl, project: this.settings.project, signal });
    } finally {
      deadline.dispose();
    }
    if (spec.expectsBody !== false) checkReadable(operation, data, this.settings.rootUrl);
    return data;
  }
}

/**
 * The caller's signal plus a deadline, as one signal. Not gaxios' own `timeout`: it builds
 * AbortSignal.any([signal, AbortSignal.timeout(ms)]), which nothing holds strongly, and on
 * Node 20 (the VS Code extension host) a 200 ms timeout built that way was seen not to fire at
 * all: the stalled request waited for the caller's 30 s signal instead (intermittently, as
 * garbage collection would). A plain timer held here always fires, and tells a deadline from a
 * cancel without guessing from the error's shape.
 */
class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly onAbort = (): void => this.controller.abort(this.caller.reason);
  passed = false;

  constructor(
    private readonly caller: AbortSignal,
    ms: number,
  ) {
    this.timer = setTimeout(() => {
      this.passed = true;
      this.controller.abort(new DOMException(l10n.t('No answer within {0} ms', ms), 'TimeoutError'));
    }, ms);
    caller.addEventListener('abort', this.onAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.caller.removeEventListener('abort', this.onAbort);
  }
}

/**
 * gaxios hands back the raw text when a 2xx body is not JSON (a proxy's HTML page, a cut-off
 * answer). Read as an object it would be a deployment with no state, which looks like "missing":
 * a read that says nothing must not decide anything, so it is a retryable failure instead.
 */
function checkReadable(operation: string, data: unknown, endpoint: string | undefined): void {
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) return;
  const shown = unreadableAnswer(data);
  const reason = endpoint
    ? l10n.t('Google Cloud at {0} answered with {1}; asking again.', endpoint, shown)
    : l10n.t('Google Cloud answered with {0}; asking again.', shown);
  throw callError('Transient', operation, reason, {
    providerCode: 'UNREADABLE_RESPONSE',
    hint: endpoint
      ? l10n.t('Check that the endpoint in {0} ({1}) is an Infrastructure Manager endpoint.', GCP_SETTING_KEYS.endpoint, endpoint)
      : l10n.t('A proxy between you and Google Cloud may be answering instead of Google.'),
  });
}

/** An answer that is not a JSON object, as the end of "answered with {0}": a noun phrase. */
function unreadableAnswer(data: unknown): string {
  if (typeof data === 'string') return l10n.t('{0} characters that are not a JSON object', data.length);
  if (data === null) return l10n.t('a null');
  if (Array.isArray(data)) return l10n.t('a list');
  return l10n.t('a {0}', typeof data);
}
