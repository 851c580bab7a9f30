/**
 * What the Problems panel shows for a deployment, before it becomes VS Code diagnostics: each
 * validation finding, and each failure of a deployment that ended badly, with the place in the
 * template it points at. Pure (the place comes from the provider runtime's locate), so the
 * wording and the choice of what is shown are tested without an editor.
 */
import * as l10n from '@vscode/l10n';
import { failureSummaryOf } from '../deployment/failureDetails';
import { endedInFailure, finalState, type SnapshotLike } from '../deployment/snapshotReaders';
import type { FailureReason } from '../deployment/resources';
import { maskSecrets, secretValuesOf } from '../deployment/secrets';
import type { InputLocation, InputPointer } from '../providers/descriptor';
import type { TemplateFinding } from '../providers/provider';

export interface Placement {
  /** Where it goes; undefined: the top of the deployment's own template. */
  location?: InputLocation;
  severity: 'error' | 'warning';
  message: string;
  /** The provider's check name (findings) or status (failures). */
  code?: string;
}

export type Locate = (pointer: InputPointer) => InputLocation | undefined;

function pointerOf(logicalId: string | undefined, path: string | undefined): InputPointer {
  const pointer: InputPointer = {};
  if (logicalId !== undefined) pointer.logicalId = logicalId;
  if (path !== undefined) pointer.path = path;
  return pointer;
}

export function findingPlacements(findings: readonly TemplateFinding[], locate: Locate): Placement[] {
  return findings.map((finding) => {
    const location = finding.logicalId !== undefined || finding.path !== undefined ? locate(pointerOf(finding.logicalId, finding.path)) : undefined;
    // Without a line, the message must say what it is about.
    const about = location === undefined && finding.logicalId !== undefined ? `${finding.logicalId}: ` : '';
    const placement: Placement = { severity: finding.severity, message: `${about}${finding.message}` };
    if (location) placement.location = location;
    if (finding.check) placement.code = finding.check;
    return placement;
  });
}

/** The failure as one diagnostic message: what failed and why, then the hook and the request ID. */
export function failureMessage(failure: FailureReason, rootCause: boolean): string {
  const what = `${failure.logicalId} ${failure.providerStatus}: ${failure.reason}`;
  const lines = [rootCause ? l10n.t('Root cause: {0}', what) : what];
  const hook = failure.hook;
  if (hook) {
    lines.push(hook.reason ? l10n.t('Hook {0} ({1}): {2}', hook.type, hook.status, hook.reason) : l10n.t('Hook {0} ({1})', hook.type, hook.status));
    for (const annotation of hook.annotations ?? []) {
      const remediation = annotation.remediation ? ` ${l10n.t('Remediation: {0}', annotation.remediation)}` : '';
      lines.push(
        `  ${annotation.name}${annotation.status ? ` (${annotation.status})` : ''}${annotation.message ? `: ${annotation.message}` : ''}${remediation}`,
      );
    }
  }
  if (failure.propertyPath) lines.push(l10n.t('Property: {0}', failure.propertyPath));
  if (failure.requestId) lines.push(l10n.t('Request ID: {0}', failure.requestId));
  return lines.join('\n');
}

export function failurePlacements(failures: { rootCause?: FailureReason; otherFailures: readonly FailureReason[] }, locate: Locate): Placement[] {
  const all = [
    ...(failures.rootCause ? [{ failure: failures.rootCause, rootCause: true }] : []),
    ...failures.otherFailures.map((failure) => ({ failure, rootCause: false })),
  ];
  return all.map(({ failure, rootCause }) => {
    // The target's own failure names no resource: it goes to the top of the template.
    const location = failure.onTarget ? undefined : locate(pointerOf(failure.logicalId, failure.propertyPath));
    const placement: Placement = { severity: 'error', message: failureMessage(failure, rootCause), code: failure.providerStatus };
    if (location) placement.location = location;
    return placement;
  });
}

/**
 * What an ended deployment does to its target's failure diagnostics: a success clears them, a
 * failure after the changes ran replaces them, anything else (aborted, a staging failure where
 * nothing ran, no changes, unknown) leaves the last ones standing.
 */
export function failureVerdict(snapshot: SnapshotLike): 'clear' | 'replace' | 'keep' {
  const final = finalState(snapshot);
  if (final === 'succeeded' && !endedInFailure(snapshot)) return 'clear';
  if ((final === 'failed' || final === 'rolledBack') && endedInFailure(snapshot) && snapshot.context.executed) return 'replace';
  return 'keep';
}

/** The failure placements of an ended deployment, its secrets masked (diagnostics are copied into bug reports). */
export function endedFailurePlacements(snapshot: SnapshotLike, locate: Locate): Placement[] {
  const { context } = snapshot;
  const secrets = secretValuesOf(context);
  return failurePlacements(failureSummaryOf(context), locate).map((p) => ({ ...p, message: maskSecrets(p.message, secrets) }));
}

/** The finding placements of a staging, its secrets masked. */
export function stagedFindingPlacements(snapshot: SnapshotLike, locate: Locate): Placement[] {
  const { context } = snapshot;
  const secrets = secretValuesOf(context);
  return findingPlacements(context.findings ?? [], locate).map((p) => ({ ...p, message: maskSecrets(p.message, secrets) }));
}
