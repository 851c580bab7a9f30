/**
 * The Cloud Storage JSON API routes the adapter needs: upload (media and multipart), get
 * (metadata or alt=media), list, delete.
 */
import type { ApiRequest, ApiResponse } from './api';
import type { SimContext } from './context';
import { GcpError } from './errors';
import { parseMultipart } from './multipart';
import { notFoundObject, objectJson } from './storage';

export function storageRoute(ctx: SimContext, req: ApiRequest): ApiResponse | undefined {
  const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(req.path);
  if (upload && req.method === 'POST') return insert(ctx, req, decodeURIComponent(upload[1] ?? ''));
  const one = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(req.path);
  if (one) {
    const bucket = decodeURIComponent(one[1] ?? '');
    const name = decodeURIComponent(one[2] ?? '');
    const generation = req.query['generation'];
    if (req.method === 'GET') {
      const object = ctx.objects.get(bucket, name, generation);
      if (!object) throw notFoundObject(bucket, name);
      if (req.query['alt'] === 'media') return { status: 200, raw: { data: object.data, contentType: object.contentType } };
      return { status: 200, json: objectJson(object, req.rootUrl) };
    }
    if (req.method === 'DELETE') {
      if (!ctx.objects.delete(bucket, name, generation)) throw notFoundObject(bucket, name);
      return { status: 204 };
    }
  }
  const list = /^\/storage\/v1\/b\/([^/]+)\/o$/.exec(req.path);
  if (list && req.method === 'GET') {
    const items = ctx.objects.list(decodeURIComponent(list[1] ?? ''), req.query['prefix'] ?? '').map((o) => objectJson(o, req.rootUrl));
    return { status: 200, json: { kind: 'storage#objects', items } };
  }
  return undefined;
}

function insert(ctx: SimContext, req: ApiRequest, bucket: string): ApiResponse {
  const uploadType = req.query['uploadType'];
  let name = req.query['name'];
  let data: Uint8Array;
  let contentType = req.contentType || 'application/octet-stream';
  let metadata: Record<string, string> = {};
  if (uploadType === 'media') {
    data = req.body;
  } else if (uploadType === 'multipart') {
    const parts = parseMultipart(req.body, req.contentType);
    if (!parts || parts.length !== 2 || !parts[0] || !parts[1]) throw bad('A multipart upload needs a JSON metadata part and a data part.');
    let resource: Record<string, unknown>;
    try {
      resource = JSON.parse(parts[0].body.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw bad('The metadata part of the upload is not JSON.');
    }
    if (typeof resource['name'] === 'string') name = resource['name'];
    if (typeof resource['metadata'] === 'object' && resource['metadata'] !== null) metadata = resource['metadata'] as Record<string, string>;
    contentType = typeof resource['contentType'] === 'string' ? resource['contentType'] : parts[1].contentType;
    data = parts[1].body;
  } else {
    throw bad(`im-sim supports uploadType=media and uploadType=multipart, not ${uploadType ?? '(none)'}.`);
  }
  if (!name) throw new GcpError(400, 'INVALID_ARGUMENT', 'Required parameter: name', 'required');
  const ifGenerationMatch = req.query['ifGenerationMatch'];
  if (ifGenerationMatch !== undefined) {
    const live = ctx.objects.get(bucket, name);
    if ((live?.generation ?? '0') !== ifGenerationMatch)
      throw new GcpError(412, 'FAILED_PRECONDITION', 'At least one of the pre-conditions you specified did not hold.', 'conditionNotMet');
  }
  // Copy: the request buffer is a slice of a pooled chunk list.
  const object = ctx.objects.put(bucket, name, Uint8Array.from(data), contentType, ctx.now(), metadata);
  return { status: 200, json: objectJson(object, req.rootUrl) };
}

function bad(message: string): GcpError {
  return new GcpError(400, 'INVALID_ARGUMENT', message, 'invalid');
}
