/**
 * What history keeps of each provider operation a deployment saw: its kind, how it ended and
 * what failed in it (with the request ID and the hook, which support asks for first). Bounded,
 * because entries live in workspace state; the caller redacts secrets from the whole entry.
 */
import * as l10n from '@vscode/l10n';
import { enrichFailure } from '../deployment/failureDetails';
import { isTargetEvent, summarizeFailures, type FailureReason } from '../deployment/resources';
import type { DeploymentEvent, HookFailure } from '../providers/provider';
import { groupByOperation, operationHeading } from '../ui/operationGroups';

/** A deployment sees one or two operations (the update, its rollback); more is a reattached history. */
export const MAX_HISTORY_OPERATIONS = 10;
/** The root cause and the first further failures; the log has them all. */
export const MAX_HISTORY_FAILURES = 20;

export interface HistoryFailure {
  logicalId: string;
  providerStatus: string;
  reason: string;
  rootCause?: boolean;
  requestId?: string;
  /** "type (status)": which hook failed it. */
  hook?: string;
}

export interface HistoryOperation {
  id: string;
  type?: string;
  automaticRollback?: boolean;
  /** A rollback the person's Stop started (not the provider's automatic one). */
  rollbackAfterStop?: boolean;
  /** The target's last status in this operation, in the provider's words; absent when it did not end while watched. */
  outcome?: string;
  failures: HistoryFailure[];
}

function hookText(hook: HookFailure | undefined): string | undefined {
  return hook ? `${hook.type} (${hook.status})` : undefined;
}

function historyFailure(summarized: FailureReason, details: readonly DeploymentEvent[], rootCause: boolean): HistoryFailure {
  // The provider's failure read and the events themselves may tell more than the summary does.
  const failure = enrichFailure(summarized, details);
  const made: HistoryFailure = { logicalId: failure.logicalId, providerStatus: failure.providerStatus, reason: failure.reason };
  if (rootCause) made.rootCause = true;
  if (failure.requestId) made.requestId = failure.requestId;
  const hook = hookText(failure.hook);
  if (hook) made.hook = hook;
  return made;
}

/**
 * `failureDetails`: the provider's richer copies of failure events (the deployment's failureDetails);
 * `stopRequested`: the person asked the deployment to Stop.
 */
export function historyOperations(
  events: readonly DeploymentEvent[],
  targetName: string,
  failureDetails: readonly DeploymentEvent[] = [],
  stopRequested = false,
): HistoryOperation[] {
  return groupByOperation(events, stopRequested)
    .slice(-MAX_HISTORY_OPERATIONS)
    .map((group) => {
      const operation: HistoryOperation = { id: group.id, failures: [] };
      if (group.type) operation.type = group.type;
      if (group.automaticRollback) operation.automaticRollback = true;
      if (group.rollbackAfterStop) operation.rollbackAfterStop = true;
      const outcome = group.events.filter((e) => isTargetEvent(e, targetName)).at(-1)?.providerStatus;
      if (outcome) operation.outcome = outcome;
      // Cancellations are consequences of the root cause; history keeps the causes.
      const { rootCause, otherFailures } = summarizeFailures(group.events, targetName);
      const details = [...failureDetails, ...group.events];
      const failures = rootCause ? [historyFailure(rootCause, details, true)] : [];
      for (const failure of otherFailures) failures.push(historyFailure(failure, details, false));
      operation.failures = failures.slice(0, MAX_HISTORY_FAILURES);
      return operation;
    });
}

/** Markdown cells must not break the table: pipes escaped, newlines flattened. */
export function markdownCell(text: string | undefined): string {
  return (text ?? '').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A Markdown table's header row and the row under it; an empty column has no heading. */
export function tableHead(...columns: string[]): string[] {
  return [`|${columns.map((column) => (column ? ` ${column} |` : ' |')).join('')}`, `|${columns.map(() => ' --- |').join('')}`];
}

export function operationsMarkdown(operations: readonly HistoryOperation[]): string[] {
  const out = [`## ${l10n.t('Operations')}`, ''];
  for (const operation of operations) {
    const heading = operationHeading({
      id: operation.id,
      type: operation.type,
      automaticRollback: operation.automaticRollback ?? false,
      rollbackAfterStop: operation.rollbackAfterStop,
    });
    out.push(`### ${heading}${operation.outcome ? `: ${operation.outcome}` : ''}`, '');
    if (operation.failures.length === 0) {
      out.push(l10n.t('No failures.'), '');
      continue;
    }
    out.push(...tableHead('', l10n.t('Resource'), l10n.t('Status'), l10n.t('Reason'), l10n.t('Hook'), l10n.t('Request ID')));
    for (const f of operation.failures)
      out.push(
        `| ${f.rootCause ? `**${l10n.t('root cause')}**` : l10n.t({ message: 'failure', comment: ['A row of the failures table: a failure that is not the root cause.'] })} | ${markdownCell(f.logicalId)} | ${markdownCell(f.providerStatus)} | ${markdownCell(f.reason)} | ${markdownCell(f.hook)} | ${markdownCell(f.requestId)} |`,
      );
    out.push('');
  }
  return out;
}
