/**
 * The staged blueprint zip in Cloud Storage: upload and delete. Cloud Storage's JSON API takes a
 * simple media upload in one authorized POST; its googleapis module would add ~60 KB to the
 * bundle for these two calls.
 */
import { createHash } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import type { GoogleAuth, OAuth2Client } from 'google-auth-library';
import { ProviderError } from '../provider';
import type { GcpCaller } from './calls';

/** Pages of an object listing read at most (1,000 objects each). */
const MAX_LIST_PAGES = 5;

/** The fields of a storage#object this module reads. */
interface StoredObject {
  name?: unknown;
  generation?: unknown;
  md5Hash?: unknown;
  timeCreated?: unknown;
}

export interface ListedObject extends ObjectRef {
  generation: string;
  timeCreated: string;
}

export interface ObjectRef {
  bucket: string;
  object: string;
  /** Absent: whatever generation is live. */
  generation?: string;
}

export class StagingObjects {
  constructor(
    private readonly caller: GcpCaller,
    private readonly auth: GoogleAuth | OAuth2Client,
    private readonly uploadTimeoutMs: number,
  ) {}

  private url(path: string, query: Record<string, string>): string {
    const root = (this.caller.rootUrl ?? 'https://storage.googleapis.com/').replace(/\/?$/, '/');
    return `${root}${path}?${new URLSearchParams(query).toString()}`;
  }

  /**
   * Uploads the zip only if no object of that name exists (`ifGenerationMatch=0`), and returns
   * its generation. The name belongs to one staging attempt, so an existing object is this
   * attempt's earlier upload whose answer was lost, and a preview may already plan it: it is never
   * overwritten. It is adopted when its bytes are ours (same MD5), and refused otherwise.
   * https://cloud.google.com/storage/docs/request-preconditions
   */
  async upload(bucket: string, object: string, zip: Uint8Array, signal: AbortSignal): Promise<string> {
    const url = this.url(`upload/storage/v1/b/${encodeURIComponent(bucket)}/o`, { uploadType: 'media', name: object, ifGenerationMatch: '0' });
    let uploaded: StoredObject;
    try {
      uploaded = await this.caller.call(
        l10n.t('Uploading the blueprint to {0}', `gs://${bucket}/${object}`),
        signal,
        (o) =>
          this.auth.request<StoredObject>({
            url,
            method: 'POST',
            data: Buffer.from(zip),
            headers: { 'Content-Type': 'application/zip' },
            signal: o.signal,
            retry: o.retry,
          }),
        { timeoutMs: this.uploadTimeoutMs },
      );
    } catch (error) {
      if (!isPreconditionFailed(error)) throw error;
      return this.adoptEarlierUpload(bucket, object, zip, signal);
    }
    return generationOf(uploaded, bucket, object, 'upload');
  }

  private async adoptEarlierUpload(bucket: string, object: string, zip: Uint8Array, signal: AbortSignal): Promise<string> {
    const url = this.url(`storage/v1/b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(object)}`, {});
    const found = await this.caller.call(l10n.t('Reading {0}', `gs://${bucket}/${object}`), signal, (o) =>
      this.auth.request<StoredObject>({ url, method: 'GET', signal: o.signal, retry: o.retry }),
    );
    const ours = createHash('md5').update(zip).digest('base64');
    if (typeof found.md5Hash !== 'string') {
      throw new ProviderError(
        'Transient',
        l10n.t(
          "Cloud Storage described {0} without an MD5 hash, so Stackwatch cannot tell whether it is this deployment's upload; asking again.",
          `gs://${bucket}/${object}`,
        ),
        { providerCode: 'UNREADABLE_RESPONSE' },
      );
    }
    if (found.md5Hash !== ours) {
      throw new ProviderError(
        'Conflict',
        l10n.t(
          '{0} already exists with other contents than the blueprint Stackwatch checked; it was not overwritten, because a preview may be planning it. Nothing was staged.',
          `gs://${bucket}/${object}`,
        ),
        {
          hint: l10n.t('Deploy again: a new deployment stages under a new object name.'),
          providerCode: 'STAGED_OBJECT_DIFFERS',
        },
      );
    }
    return generationOf(found, bucket, object, 'read');
  }

  /** The objects under `prefix` with their generation and creation time, a few pages at most. */
  async list(bucket: string, prefix: string, signal: AbortSignal): Promise<ListedObject[]> {
    const listed: ListedObject[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const url = this.url(`storage/v1/b/${encodeURIComponent(bucket)}/o`, { prefix, ...(pageToken ? { pageToken } : {}) });
      const answer = await this.caller.call(l10n.t('Listing {0}', `gs://${bucket}/${prefix}`), signal, (o) =>
        this.auth.request<{ items?: StoredObject[]; nextPageToken?: unknown }>({ url, method: 'GET', signal: o.signal, retry: o.retry }),
      );
      for (const item of answer.items ?? []) {
        if (typeof item.name === 'string' && typeof item.generation === 'string' && typeof item.timeCreated === 'string') {
          listed.push({ bucket, object: item.name, generation: item.generation, timeCreated: item.timeCreated });
        }
      }
      pageToken = typeof answer.nextPageToken === 'string' && answer.nextPageToken !== '' ? answer.nextPageToken : undefined;
      if (!pageToken) break;
    }
    return listed;
  }

  /** Deletes the object (that generation only, when named). Already gone counts as deleted. */
  async remove({ bucket, object, generation }: ObjectRef, signal: AbortSignal): Promise<void> {
    const url = this.url(`storage/v1/b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(object)}`, generation ? { generation } : {});
    try {
      await this.caller.call(
        l10n.t('Deleting the staged blueprint {0}', `gs://${bucket}/${object}`),
        signal,
        (o) => this.auth.request({ url, method: 'DELETE', signal: o.signal, retry: o.retry }),
        { expectsBody: false },
      );
    } catch (error) {
      if (!(error instanceof ProviderError && error.code === 'NotFound')) throw error;
    }
  }
}

/** `answered`: the answer to our upload, or to our read of the object. */
function generationOf(answer: StoredObject, bucket: string, object: string, answered: 'upload' | 'read'): string {
  if (typeof answer.generation !== 'string' || !/^\d+$/.test(answer.generation)) {
    const uri = `gs://${bucket}/${object}`;
    const message =
      answered === 'upload'
        ? l10n.t('Cloud Storage answered the upload of {0} without a generation; asking again.', uri)
        : l10n.t('Cloud Storage described {0} without a generation; asking again.', uri);
    throw new ProviderError('Transient', message, {
      providerCode: 'UNREADABLE_RESPONSE',
    });
  }
  return answer.generation;
}

/** Cloud Storage's 412: an `ifGenerationMatch` that did not hold. Its JSON errors name no rpc status, only the HTTP code. */
function isPreconditionFailed(error: unknown): boolean {
  if (!(error instanceof ProviderError) || error.code !== 'Conflict') return false;
  const cause = error.cause as { status?: unknown; response?: { status?: unknown } } | undefined;
  return cause?.response?.status === 412 || cause?.status === 412;
}
