/**
 * The simulator's own S3, on the same port as the CloudFormation endpoint: just enough of the
 * path-style REST API (PutObject, GetObject, HeadObject, CreateBucket) for
 * `new S3Client({ endpoint: sim.url, forcePathStyle: true })`, so nested templates can be
 * uploaded the way `aws cloudformation package` does it and TemplateURL values resolve into it.
 *
 * CloudFormation speaks `POST /` with form bodies; every other path (outside `/_sim`) is S3.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { validationError } from './errors';

interface StoredObject {
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
}

/** What CloudFormation answers when it cannot read a TemplateURL's object. */
export const S3_ACCESS_DENIED = 'S3 error: Access Denied For more information check http://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html';

export class S3Store {
  private readonly buckets = new Map<string, Map<string, StoredObject>>();

  put(bucket: string, key: string, body: Buffer | string, contentType = 'application/octet-stream'): string {
    const data = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const etag = `"${createHash('md5').update(data).digest('hex')}"`;
    this.bucketFor(bucket).set(key, { body: data, contentType, etag, lastModified: new Date() });
    return etag;
  }

  get(bucket: string, key: string): StoredObject | undefined {
    return this.buckets.get(bucket)?.get(key);
  }

  createBucket(bucket: string): void {
    this.bucketFor(bucket);
  }

  clear(): void {
    this.buckets.clear();
  }

  /** Every object as `bucket/key`, for the control route. */
  list(): { bucket: string; key: string; size: number }[] {
    return [...this.buckets].flatMap(([bucket, objects]) => [...objects].map(([key, o]) => ({ bucket, key, size: o.body.length })));
  }

  private bucketFor(bucket: string): Map<string, StoredObject> {
    let objects = this.buckets.get(bucket);
    if (!objects) this.buckets.set(bucket, (objects = new Map<string, StoredObject>()));
    return objects;
  }
}

/** True for requests this module answers: `/bucket[/key]`, i.e. anything but `/` and the `/_sim` routes. */
export function isS3Request(_method: string, path: string): boolean {
  return path !== '/' && path !== '/_sim' && !path.startsWith('/_sim/');
}

export function handleS3(store: S3Store, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const [bucket, key] = splitPath(url.pathname);
  const method = req.method ?? 'GET';
  if (bucket === '') return s3Error(res, method, 400, 'InvalidRequest', 'cfn-sim S3 speaks path-style only: /bucket/key');
  if (key === '') {
    if (method === 'PUT') {
      store.createBucket(bucket);
      res.writeHead(200, { location: `/${bucket}`, 'content-length': 0 });
      res.end();
      return;
    }
    return s3Error(res, method, 501, 'NotImplemented', `cfn-sim S3 does not list buckets (${method} /${bucket})`);
  }
  if (method === 'PUT') {
    const etag = store.put(bucket, key, decodedBody(req, body), header(req, 'content-type') ?? 'application/octet-stream');
    res.writeHead(200, { etag, 'content-length': 0 });
    res.end();
    return;
  }
  if (method !== 'GET' && method !== 'HEAD') return s3Error(res, method, 501, 'NotImplemented', `cfn-sim S3 does not implement ${method}`);
  const object = store.get(bucket, key);
  if (!object) return s3Error(res, method, 404, 'NoSuchKey', 'The specified key does not exist.', key);
  res.writeHead(200, {
    'content-type': object.contentType,
    'content-length': object.body.length,
    etag: object.etag,
    'last-modified': object.lastModified.toUTCString(),
  });
  res.end(method === 'HEAD' ? undefined : object.body);
}

/**
 * The object a TemplateURL names, from the simulator's store: path-style URLs on the simulator
 * itself (any host whose port is the simulator's, or localhost), and the S3 URL forms
 * `https://bucket.s3[.-]region.amazonaws.com/key` and `https://s3[.-]region.amazonaws.com/bucket/key`.
 */
export function templateFromUrl(store: S3Store, templateUrl: string, simUrl: string | undefined): string {
  const location = s3Location(templateUrl, simUrl);
  if (!location) throw validationError('TemplateURL must be a supported URL.');
  const object = store.get(location.bucket, location.key);
  if (!object) throw validationError(S3_ACCESS_DENIED);
  return object.body.toString('utf8');
}

export function s3Location(templateUrl: string, simUrl: string | undefined): { bucket: string; key: string } | undefined {
  let url: URL;
  try {
    url = new URL(templateUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const host = url.hostname.toLowerCase();
  const sim = simUrl === undefined ? undefined : new URL(simUrl);
  const onSim = sim !== undefined && url.port === sim.port && (host === sim.hostname || host === 'localhost' || host === '127.0.0.1');
  const pathStyle = /^s3([.-][a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/.test(host);
  if (onSim || pathStyle) {
    const [bucket, key] = splitPath(url.pathname);
    return bucket !== '' && key !== '' ? { bucket, key } : undefined;
  }
  const virtual = /^(.+)\.s3([.-][a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/.exec(host);
  if (virtual) {
    const key = decodeURIComponent(url.pathname.replace(/^\//, ''));
    return key !== '' ? { bucket: virtual[1], key } : undefined;
  }
  return undefined;
}

function splitPath(pathname: string): [string, string] {
  const trimmed = pathname.replace(/^\//, '');
  const slash = trimmed.indexOf('/');
  if (slash < 0) return [decodeURIComponent(trimmed), ''];
  return [decodeURIComponent(trimmed.slice(0, slash)), decodeURIComponent(trimmed.slice(slash + 1))];
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Newer SDKs may stream uploads as `aws-chunked` with a checksum trailer; the stored object is the payload. */
function decodedBody(req: IncomingMessage, body: Buffer): Buffer {
  const encoding = header(req, 'content-encoding') ?? '';
  const sha = header(req, 'x-amz-content-sha256') ?? '';
  if (!encoding.includes('aws-chunked') && !sha.startsWith('STREAMING-')) return body;
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = parseInt(body.subarray(offset, lineEnd).toString('ascii').split(';')[0], 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function s3Error(res: ServerResponse, method: string, status: number, code: string, message: string, key?: string): void {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${key === undefined ? '' : `<Key>${escapeXml(key)}</Key>`}<RequestId>cfn-sim</RequestId></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': method === 'HEAD' ? 0 : Buffer.byteLength(xml) });
  res.end(method === 'HEAD' ? undefined : xml);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
