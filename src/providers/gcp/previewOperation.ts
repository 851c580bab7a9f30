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
import { operationsOn, type OperationLookup } from './targetOperations';

export type PreviewOperationLookup = OperationLookup;

/** The name of the unfinished create operation of `preview`, or undefined when none is listed. */
export async function findPlanningOperation(lookup: PreviewOperationLookup, preview: string, signal: AbortSignal): Promise<string | undefined> {
  for await (const { operation, metadata } of operationsOn(lookup, preview, signal)) {
    if (!operation.done && metadata.verb === 'create') return operation.name;
  }
  return undefined;
}
