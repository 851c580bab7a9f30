/**
 * The staged blueprint zip in Cloud Storage: upload and delete. Cloud Storage's JSON API takes a
 * simple media upload in one authorized POST; its googleapis module would add ~60 KB to the
 * bundle for these two calls.
 */
import type { GoogleAuth, OAuth2Client } from 'google-auth-library';
import { ProviderError } from '../provider';
import type { GcpCaller } from './calls';

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

  /** Uploads the zip; returns the new generation. */
  async upload(bucket: string, object: string, zip: Uint8Array, signal: AbortSignal): Promise<string> {
    const url = this.url(`upload/storage/v1/b/${encodeURIComponent(bucket)}/o`, { uploadType: 'media', name: object });
    const uploaded = await this.caller.call(
      `Uploading the blueprint to gs://${bucket}/${object}`,
      signal,
      (o) => this.auth.request<{ generation?: unknown }>({ url, method: 'POST', data: Buffer.from(zip), headers: { 'Content-Type': 'application/zip' }, signal: o.signal, retry: o.retry }),
      { timeoutMs: this.uploadTimeoutMs },
    );
    if (typeof uploaded.generation !== 'string' || !/^\d+$/.test(uploaded.generation)) {
      throw new ProviderError('Transient', `Cloud Storage answered the upload of gs://${bucket}/${object} without a generation; uploading again.`, { providerCode: 'UNREADABLE_RESPONSE' });
    }
    return uploaded.generation;
  }

  /** Deletes the object (that generation only, when named). Already gone counts as deleted. */
  async remove({ bucket, object, generation }: ObjectRef, signal: AbortSignal): Promise<void> {
    const url = this.url(`storage/v1/b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(object)}`, generation ? { generation } : {});
    try {
      await this.caller.call(`Deleting the staged blueprint gs://${bucket}/${object}`, signal, (o) => this.auth.request({ url, method: 'DELETE', signal: o.signal, retry: o.retry }), { expectsBody: false });
    } catch (error) {
      if (!(error instanceof ProviderError && error.code === 'NotFound')) throw error;
    }
  }
}
