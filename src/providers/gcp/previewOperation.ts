/**
 * The long-running operation that is still creating a preview, found from the preview's name alone.
 *
 * A preview carries no field naming its operation (config.proto `Preview`), and the operation name
 * returned by `previews.create` lives only in the memory of the window that made it. After a
 * reload the operation is found the way ownApply.ts finds an apply's: `operations.list` of the
 * location, whose entries carry `metadata.target` (the resource the operation works on, here the
 * preview) and `metadata.verb` (config.proto `OperationMetadata`). The filter narrows the answer
 * where the service honours it; each entry is still checked, as a filter may be ignored.
 */
import type { config_v1 } from 'googleapis/build/src/apis/config';
import type { GcpCaller } from './calls';

/** A few pages of one location: a preview planning now was created minutes ago, near the top. */
const MAX_OPERATION_PAGES = 3;

export interface PreviewOperationLookup {
  caller: GcpCaller;
  im: config_v1.Config;
  /** projects/P/locations/L */
  parent: string;
}

/** The name of the unfinished create operation of `preview`, or undefined when none is listed. */
export async function findPlanningOperation(lookup: PreviewOperationLookup, preview: string, signal: AbortSignal): Promise<string | undefined> {
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_OPERATION_PAGES; page++) {
    const listed = await lookup.caller.call('operations.list', signal, (o) =>
      lookup.im.projects.locations.operations.list({ name: lookup.parent, filter: `metadata.target="${preview}"`, pageToken }, o),
    );
    for (const operation of listed.operations ?? []) {
      const metadata = (operation.metadata ?? {}) as config_v1.Schema$OperationMetadata;
      if (operation.name && !operation.done && metadata.target === preview && metadata.verb === 'create') return operation.name;
    }
    pageToken = listed.nextPageToken || undefined;
    if (!pageToken) break;
  }
  return undefined;
}
