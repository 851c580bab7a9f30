/**
 * What a change set's states mean to the adapter, and the marker stage hands back when
 * CloudFormation made no change set because nothing changed.
 */

/** Change set states during which CloudFormation refuses DeleteChangeSet (InvalidChangeSetStatus). */
export const BEING_CREATED = new Set(['CREATE_PENDING', 'CREATE_IN_PROGRESS']);
export const EXECUTED = new Set(['EXECUTE_IN_PROGRESS', 'EXECUTE_COMPLETE', 'EXECUTE_FAILED']);

/**
 * CreateChangeSet can throw "No updates are to be performed." instead of making an empty change
 * set (templates with a transform, some emulators). Nothing was created then, so there is no ID to
 * hand back; stage returns this marker instead, which describeStaged reports as `empty`. The
 * machine then ends `noChanges` through its ordinary path, and abortStaged finds nothing to remove.
 * Chosen over a dedicated error so that no machine state has to know about it.
 */
export const NO_CHANGES_PREFIX = 'stackwatch-no-changes:';
// l10n-exempt: CloudFormation's own reason for an empty change set, given in its place (isNoChangesReason matches it)
export const NO_UPDATES_REASON = 'No updates are to be performed.';

export function isNoChangesMarker(stagedId: string | undefined): boolean {
  return stagedId !== undefined && stagedId.startsWith(NO_CHANGES_PREFIX);
}

/** A change set's status, with its execution status when it has one: `CREATE_COMPLETE / AVAILABLE`. */
export function statusText(result: { Status?: string; ExecutionStatus?: string } | undefined): string | undefined {
  if (!result?.Status) return undefined;
  return result.ExecutionStatus ? `${result.Status} / ${result.ExecutionStatus}` : result.Status;
}
