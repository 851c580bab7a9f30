/**
 * Failures inside nested targets. A row inside another row is keyed by its parent's key, a slash
 * and its own ID ("Network/Subnet", deeper "App/Network/Subnet"). When a nested target fails
 * because something inside it failed, its own failure ("… was not successfully created") is a
 * consequence: the root cause is the first failure inside it. Its descendants' events may arrive
 * after its own (they are read from the nested target separately), so each takes the place in
 * the order of its earliest failed ancestor.
 */
import type { FailureReason, FailureSummary } from './resources';

function isInside(row: string, ancestor: string): boolean {
  return row.startsWith(`${ancestor}/`);
}

/** The summary with each failed nested target that has a failed descendant moved among the consequences. */
export function blameInsideNestedTargets(summary: FailureSummary): FailureSummary {
  const { rootCause } = summary;
  if (!rootCause || rootCause.onTarget) return summary;
  const failures = [rootCause, ...summary.otherFailures];
  const hasFailedDescendant = (f: FailureReason): boolean => failures.some((g) => isInside(g.logicalId, f.logicalId));
  const consequences = failures.filter(hasFailedDescendant);
  if (consequences.length === 0) return summary;
  const slot = (f: FailureReason, index: number): number => Math.min(index, ...failures.map((a, i) => (isInside(f.logicalId, a.logicalId) ? i : index)));
  const independent = failures
    .map((failure, index) => ({ failure, index, slot: slot(failure, index) }))
    .filter(({ failure }) => !hasFailedDescendant(failure))
    .sort((a, b) => a.slot - b.slot || a.index - b.index)
    .map(({ failure }) => failure);
  return {
    ...summary,
    rootCause: independent[0],
    otherFailures: independent.slice(1),
    cancellations: [...summary.cancellations, ...consequences],
  };
}
