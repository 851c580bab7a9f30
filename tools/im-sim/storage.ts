/**
 * Cloud Storage objects, as a bucket without object versioning: an upload replaces the live
 * object with a new generation, and older generations are gone. Buckets spring into existence
 * on first upload.
 */
import { createHash } from 'node:crypto';
import { GcpError } from './errors';

export interface StoredObject {
  bucket: string;
  name: string;
  generation: string;
  data: Uint8Array;
  contentType: string;
  md5Hash: string;
  created: number;
  metadata: Record<string, string>;
}

export class ObjectStore {
  private live = new Map<string, StoredObject>();
  private lastGeneration = 0;

  put(bucket: string, name: string, data: Uint8Array, contentType: string, now: number, metadata: Record<string, string> = {}): StoredObject {
    checkName(bucket, name);
    // Real generations are microsecond timestamps; they only have to grow.
    this.lastGeneration = Math.max(this.lastGeneration + 1, Math.floor(now) * 1000);
    const object: StoredObject = {
      bucket,
      name,
      generation: String(this.lastGeneration),
      data,
      contentType,
      md5Hash: createHash('md5').update(data).digest('base64'),
      created: now,
      metadata,
    };
    this.live.set(key(bucket, name), object);
    return object;
  }

  /** The live object, or the named generation if it is still live. */
  get(bucket: string, name: string, generation?: string): StoredObject | undefined {
    const object = this.live.get(key(bucket, name));
    if (!object || (generation !== undefined && object.generation !== generation)) return undefined;
    return object;
  }

  delete(bucket: string, name: string, generation?: string): boolean {
    if (!this.get(bucket, name, generation)) return false;
    this.live.delete(key(bucket, name));
    return true;
  }

  list(bucket?: string, prefix = ''): StoredObject[] {
    return [...this.live.values()].filter((o) => (bucket === undefined || o.bucket === bucket) && o.name.startsWith(prefix));
  }

  clear(): void {
    this.live.clear();
  }
}

export function notFoundObject(bucket: string, name: string): GcpError {
  return new GcpError(404, 'NOT_FOUND', `No such object: ${bucket}/${name}`, 'notFound');
}

/** The storage#object JSON the API returns. */
export function objectJson(object: StoredObject, rootUrl: string): Record<string, unknown> {
  const encoded = encodeURIComponent(object.name);
  const time = new Date(object.created).toISOString();
  return {
    kind: 'storage#object',
    id: `${object.bucket}/${object.name}/${object.generation}`,
    selfLink: `${rootUrl}storage/v1/b/${object.bucket}/o/${encoded}`,
    mediaLink: `${rootUrl}download/storage/v1/b/${object.bucket}/o/${encoded}?generation=${object.generation}&alt=media`,
    name: object.name,
    bucket: object.bucket,
    generation: object.generation,
    metageneration: '1',
    contentType: object.contentType,
    storageClass: 'STANDARD',
    size: String(object.data.length),
    md5Hash: object.md5Hash,
    etag: `${object.generation}01`,
    timeCreated: time,
    updated: time,
    timeStorageClassUpdated: time,
    ...(Object.keys(object.metadata).length > 0 ? { metadata: object.metadata } : {}),
  };
}

export interface GcsLocation {
  bucket: string;
  name: string;
  generation?: string;
}

/** `gs://bucket/object#generation`; the generation is optional. */
export function parseGcsSource(source: string): GcsLocation | undefined {
  const match = /^gs:\/\/([a-z0-9][a-z0-9._-]{1,220}[a-z0-9])\/(.+?)(?:#(\d+))?$/.exec(source);
  if (!match) return undefined;
  const [, bucket, name, generation] = match;
  if (bucket === undefined || name === undefined) return undefined;
  return generation === undefined ? { bucket, name } : { bucket, name, generation };
}

function key(bucket: string, name: string): string {
  return `${bucket}/${name}`;
}

function checkName(bucket: string, name: string): void {
  if (!/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/.test(bucket)) throw new GcpError(400, 'INVALID_ARGUMENT', `Invalid bucket name: '${bucket}'`, 'invalid');
  if (name.length === 0 || Buffer.byteLength(name) > 1024) throw new GcpError(400, 'INVALID_ARGUMENT', 'Object name must be 1-1024 bytes of UTF-8.', 'invalid');
}
