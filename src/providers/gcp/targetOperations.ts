/**
 * The long-running operations of one resource (a deployment or a preview), from `operations.list`
 * of its location. Nothing on a Deployment or Preview names its operation, so after a lost answer
 * or a reload this is the only way back to it. The filter narrows the answer where the service
 * honours it; each entry's `metadata.target` (config.proto `OperationMetadata`) is still checked,
 * as a filter may be ignored.
 */
import type { config_v1 } from 'googleapis/build/src/apis/config';
import type { GcpCaller } from './calls';

/** A few pages of one location: the operations looked for started minutes ago, near the top. */
const MAX_OPERATION_PAGES = 3;

export interface OperationLookup {
  caller: GcpCaller;
  im: config_v1.Config;
  /** projects/P/locations/L */
  parent: string;
}

export interface TargetOperation {
  operation: config_v1.Schema$Operation & { name: string };
  metadata: config_v1.Schema$OperationMetadata;
}

/** The listed operations whose target is `target`, newest pages first, until the caller stops. */
export async function* operationsOn(lookup: OperationLookup, target: string, signal: AbortSignal): AsyncGenerator<TargetOperation> {
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_OPERATION_PAGES; page++) {
    const listed = await lookup.caller.call('operations.list', signal, (o) =>
      lookup.im.projects.locations.operations.list({ name: lookup.parent, filter: `metadata.target="${target}"`, pageToken }, o),
    );
    for (const operation of listed.operations ?? []) {
      const metadata = (operation.metadata ?? {}) as config_v1.Schema$OperationMetadata;
      const name = operation.name;
      if (name && metadata.target === target) yield { operation: { ...operation, name }, metadata };
    }
    pageToken = listed.nextPageToken || undefined;
    if (!pageToken) return;
  }
}
