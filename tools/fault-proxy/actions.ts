/**
 * A readable name for each request, so rules can say "DescribeStackEvents" or "operations.get"
 * instead of matching bodies and paths.
 *
 * - awsQuery (CloudFormation, form-encoded POST): the `Action` form field.
 * - Google REST (`/v1/...`): googleapis' method name without the `projects.locations.` prefix:
 *   the collections on the path joined by dots, then the verb (`:cancel`, `:lock`, …) or the method's
 *   standard verb: `list`/`create` on a collection, `get`/`patch`/`delete` on a resource.
 *   e.g. `deployments.patch`, `previews.create`, `operations.get`, `deployments.revisions.resources.list`.
 * - Cloud Storage: `storage.upload`, `storage.get`, `storage.list`, `storage.delete`.
 */

export function actionOf(method: string, path: string, contentType: string, body: Buffer): string | undefined {
  if (contentType.includes('application/x-www-form-urlencoded')) {
    return new URLSearchParams(body.toString('utf8')).get('Action') ?? undefined;
  }
  return storageAction(method, path) ?? googleAction(method, path);
}

function storageAction(method: string, path: string): string | undefined {
  if (path.startsWith('/upload/storage/v1/')) return 'storage.upload';
  const match = /^\/storage\/v1\/b\/[^/]+\/o(\/.+)?$/.exec(path);
  if (!match) return undefined;
  if (match[1] === undefined) return method === 'POST' ? 'storage.upload' : 'storage.list';
  return method === 'DELETE' ? 'storage.delete' : 'storage.get';
}

function googleAction(method: string, path: string): string | undefined {
  if (!path.startsWith('/v1/')) return undefined;
  const segments = path
    .slice('/v1/'.length)
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  // projects/P/locations/L is the parent of everything Infrastructure Manager has.
  const rest = segments[0] === 'projects' && segments[2] === 'locations' ? segments.slice(4) : segments;
  if (rest.length === 0) return undefined;
  const last = rest[rest.length - 1] ?? '';
  const colon = last.indexOf(':');
  const verb = colon >= 0 ? last.slice(colon + 1) : undefined;
  if (colon >= 0) rest[rest.length - 1] = last.slice(0, colon);
  const collections = rest.filter((_, i) => i % 2 === 0);
  const onCollection = rest.length % 2 === 1;
  const standard = onCollection
    ? method === 'POST'
      ? 'create'
      : 'list'
    : ({ GET: 'get', PATCH: 'patch', DELETE: 'delete', PUT: 'update' } as Record<string, string>)[method];
  return [...collections, verb ?? standard ?? method.toLowerCase()].join('.');
}
