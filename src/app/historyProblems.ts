/**
 * What history keeps of a deployment's failures for the Problems panel, so they come back after a
 * window reload until the target's next successful deployment clears them: the failures with what
 * places them (logical ID, property path) and what they say (reason, hook, request ID), and the
 * path of the template they point into (its text is read again when placed). The caller redacts
 * secrets from the whole entry; parameter values are never part of it.
 */
import { failureSummaryOf } from '../deployment/failureDetails';
import type { FailureReason } from '../deployment/resources';
import type { FinalState, SnapshotLike } from '../deployment/snapshotReaders';
import type { TemplateSource } from '../providers/provider';
import { failureVerdict } from '../ui/diagnosticPlacement';

/** As many as history keeps per operation (historyOperations.ts); the log has them all. */
const MAX_KEPT_FAILURES = 20;

export interface HistoryProblems {
  /** The deployment's own template, as the template step named it. */
  template?: Pick<TemplateSource, 'path' | 'format'>;
  rootCause?: FailureReason;
  otherFailures: FailureReason[];
}

/** Only a deployment whose end replaces the Problems panel's failures (a failure after its changes ran) keeps them. */
export function historyProblems(snapshot: SnapshotLike): HistoryProblems | undefined {
  if (failureVerdict(snapshot) !== 'replace') return undefined;
  const { context } = snapshot;
  const { rootCause, otherFailures } = failureSummaryOf(context);
  const problems: HistoryProblems = { otherFailures: otherFailures.slice(0, MAX_KEPT_FAILURES) };
  if (rootCause) problems.rootCause = rootCause;
  const template = context.initialized?.template;
  if (template && template.format !== 'folder') problems.template = { path: template.path, format: template.format };
  return problems;
}

/** The part of a history entry that decides. */
export interface ProblemsRecord {
  status: FinalState;
  failed: boolean;
  problems?: HistoryProblems;
}

/**
 * The failures still standing for a target, from its history (newest first): the latest
 * deployment that failed after its changes ran, unless a success came after it. Anything else
 * (aborted, no changes, a failure before anything ran) leaves the earlier failures standing, as
 * it does while the window is open (diagnosticPlacement.failureVerdict).
 */
export function standingProblems(entries: readonly ProblemsRecord[]): HistoryProblems | undefined {
  for (const entry of entries) {
    if (entry.status === 'succeeded' && !entry.failed) return undefined;
    if (entry.problems) return entry.problems;
  }
  return undefined;
}
