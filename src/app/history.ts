/**
 * Deployment history: what a finished deployment was, as plain JSON for workspace state, and how
 * it reads as Markdown for Show Last Deployment. Pure; the store is a Memento-shaped object.
 */
import * as l10n from '@vscode/l10n';
import type { ErrorInfo } from '../deployment/errorInfo';
import { summarizeFailures, type FailureSummary } from '../deployment/resources';
import type { ChangeAction, ProviderKind, Replacement, StackOutput } from '../providers/provider';
import { descriptorOf, isKnownKind } from '../providers/registry';
import { endedInFailure, finalState, type FinalState, type SnapshotLike } from '../deployment/snapshotReaders';
import { redactSecrets, secretValuesOf, withoutSensitiveOutputs } from '../deployment/secrets';
import { historyOperations, markdownCell, operationsMarkdown, tableHead, type HistoryOperation } from './historyOperations';
import { historyProblems, type HistoryProblems } from './historyProblems';
import { timeMarkdown, type TimeWords } from './historyTimes';

/** Keeps more than the 20 per target people look back on, bounded so workspace state stays small. */
export const HISTORY_LIMIT = 25;

export interface HistoryChange {
  logicalId: string;
  action: ChangeAction;
  resourceType: string;
  replacement?: Replacement;
}

export interface HistoryEntry {
  deploymentId: string;
  /** The target's name (the field keeps its first name: entries are persisted). */
  stack: string;
  provider: ProviderKind;
  region?: string;
  status: FinalState;
  failed: boolean;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  changeCount: number;
  changes: HistoryChange[];
  outputs: StackOutput[];
  failures: FailureSummary;
  error?: ErrorInfo;
  notices: string[];
  /** The provider's last status for the target, in its own words. */
  providerStatus?: string;
  /** The provider's operations this deployment saw, in order (absent in entries older than them). */
  operations?: HistoryOperation[];
  /** The failures the Problems panel showed, to show them again after a reload (absent unless it failed after its changes ran). */
  problems?: HistoryProblems;
}

/** The entry for a finished deployment; undefined while it still runs. */
export function historyEntry(snapshot: SnapshotLike, startedAt: string, finishedAt: string): HistoryEntry | undefined {
  const status = finalState(snapshot);
  if (!status) return undefined;
  const { context } = snapshot;
  // History is written to workspace state: no secret value, in any field, ever goes in. Parameters
  // are not recorded at all.
  const entry: HistoryEntry = {
    deploymentId: context.deploymentId,
    stack: context.target.name,
    provider: context.target.provider,
    region: context.target.region,
    status,
    failed: endedInFailure(snapshot),
    startedAt,
    finishedAt,
    durationMs: Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)),
    changeCount: context.changes.length,
    changes: context.changes.map((c) => ({ logicalId: c.logicalId, action: c.action, resourceType: c.resourceType, replacement: c.replacement })),
    outputs: withoutSensitiveOutputs(context.outputs),
    failures: summarizeFailures(context.events, context.target.name),
    error: context.error,
    notices: context.notices,
    providerStatus: context.providerStatus,
  };
  const operations = historyOperations(context.events, context.target.name, context.failureDetails, context.stopRequested);
  if (operations.length > 0) entry.operations = operations;
  const problems = historyProblems(snapshot);
  if (problems) entry.problems = problems;
  return redactSecrets(entry, secretValuesOf(context));
}

/** Newest first; a deployment recorded twice (e.g. after a reload) keeps one entry. */
export function appendHistory(list: readonly HistoryEntry[], entry: HistoryEntry, limit = HISTORY_LIMIT): HistoryEntry[] {
  return [entry, ...list.filter((e) => e.deploymentId !== entry.deploymentId)].slice(0, limit);
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return l10n.t('{0} s', seconds);
  const minutes = Math.floor(seconds / 60);
  return l10n.t('{0} min {1} s', minutes, seconds % 60);
}

/** How each way of ending reads in the document. */
function statusWords(status: FinalState): string {
  switch (status) {
    case 'succeeded':
      return l10n.t('Succeeded');
    case 'failed':
      return l10n.t('Failed');
    case 'rolledBack':
      return l10n.t('Rolled back');
    case 'aborted':
      return l10n.t('Aborted');
    case 'noChanges':
      return l10n.t('No changes');
    case 'unknown':
      // Contact was lost after the execute: what the cloud did is not known, so it is not "failed".
      return l10n.t('Outcome unknown (contact lost)');
  }
}

const cell = markdownCell;

/** The service's name as its users know it; an entry from a provider no longer registered keeps its kind. */
function providerName(kind: string): string {
  return isKnownKind(kind) ? descriptorOf(kind).words.service : kind;
}

/** `time`: the clock, locale and time zone the times are told in (relative, local); now and the system's by default. */
export function historyMarkdown(entry: HistoryEntry, earlier: readonly HistoryEntry[] = [], time: TimeWords = { now: new Date() }): string {
  const out: string[] = [];
  const when = (iso: string): string => timeMarkdown(iso, time);
  const status = entry.failed && entry.status === 'rolledBack' ? l10n.t('Failed, rolled back') : statusWords(entry.status);
  out.push(`# ${l10n.t('{0}: {1}', entry.stack, status)}`, '');
  const provider = providerName(entry.provider);
  out.push(
    entry.region ? l10n.t('- **Provider:** {0} ({1})', provider, entry.region) : l10n.t('- **Provider:** {0}', provider),
    l10n.t('- **Started:** {0}', when(entry.startedAt)),
    l10n.t('- **Finished:** {0} (took {1})', when(entry.finishedAt), formatDuration(entry.durationMs)),
  );
  if (entry.providerStatus) out.push(l10n.t('- **Stack status:** {0}', entry.providerStatus));
  out.push(l10n.t('- **Deployment ID:** {0}', entry.deploymentId), '');
  if (entry.error) {
    const where = entry.error.file ? ` (${entry.error.file}${entry.error.line ? `:${entry.error.line}` : ''})` : '';
    out.push(`## ${l10n.t('Error')}`, '', `${entry.error.message}${where}`);
    if (entry.error.hint) out.push('', entry.error.hint);
    out.push('');
  }
  const { rootCause, otherFailures, cancellations } = entry.failures;
  if (rootCause || otherFailures.length > 0 || cancellations.length > 0) {
    out.push(`## ${l10n.t('Failures')}`, '', ...tableHead('', l10n.t('Resource'), l10n.t('Type'), l10n.t('Status'), l10n.t('Reason')));
    const failureRow = (kind: string, f: { logicalId: string; resourceType: string; providerStatus: string; reason: string }): string =>
      `| ${kind} | ${cell(f.logicalId)} | ${cell(f.resourceType)} | ${cell(f.providerStatus)} | ${cell(f.reason)} |`;
    if (rootCause) out.push(failureRow(`**${l10n.t('root cause')}**`, rootCause));
    for (const f of otherFailures)
      out.push(failureRow(l10n.t({ message: 'failure', comment: ['A row of the failures table: a failure that is not the root cause.'] }), f));
    for (const f of cancellations)
      out.push(`| _${l10n.t('cancelled')}_ | _${cell(f.logicalId)}_ | _${cell(f.resourceType)}_ | _${cell(f.providerStatus)}_ | _${cell(f.reason)}_ |`);
    out.push('');
  }
  if (entry.operations && entry.operations.length > 0) out.push(...operationsMarkdown(entry.operations));
  out.push(`## ${l10n.t('Changes ({0})', entry.changeCount)}`, '');
  if (entry.changes.length > 0) {
    out.push(...tableHead(l10n.t('Action'), l10n.t('Logical ID'), l10n.t('Type'), l10n.t('Replacement')));
    for (const c of entry.changes) out.push(`| ${c.action} | ${cell(c.logicalId)} | ${cell(c.resourceType)} | ${c.replacement ?? ''} |`);
  } else {
    out.push(l10n.t({ message: 'None.', comment: ['Under the Changes heading: the deployment had no changes.'] }));
  }
  out.push('');
  if (entry.outputs.length > 0) {
    out.push(`## ${l10n.t('Outputs')}`, '', ...tableHead(l10n.t('Key'), l10n.t('Value'), l10n.t('Description')));
    for (const o of entry.outputs) out.push(`| ${cell(o.key)} | \`${cell(o.value)}\` | ${cell(o.description)} |`);
    out.push('');
  }
  if (entry.notices.length > 0) out.push(`## ${l10n.t('Notes')}`, '', ...entry.notices.map((n) => `- ${n}`), '');
  if (earlier.length > 0) {
    out.push(`## ${l10n.t('Earlier deployments')}`, '', ...tableHead(l10n.t('Finished'), l10n.t('Status'), l10n.t('Duration'), l10n.t('Changes')));
    for (const e of earlier) {
      const shown = e.failed ? l10n.t('{0} (failed)', statusWords(e.status)) : statusWords(e.status);
      out.push(`| ${when(e.finishedAt)} | ${shown} | ${formatDuration(e.durationMs)} | ${e.changeCount} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** The slice of VS Code's Memento that history needs. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
  keys(): readonly string[];
}

const PREFIX = 'history:';

export class HistoryStore {
  constructor(private readonly state: StateStore) {}

  list(stackKey: string): HistoryEntry[] {
    return this.state.get<HistoryEntry[]>(PREFIX + stackKey) ?? [];
  }

  async record(stackKey: string, entry: HistoryEntry): Promise<void> {
    await this.state.update(PREFIX + stackKey, appendHistory(this.list(stackKey), entry));
  }

  /** Every target's entries, newest first, with its key. */
  targets(): { stackKey: string; entries: HistoryEntry[] }[] {
    return this.state
      .keys()
      .filter((key) => key.startsWith(PREFIX))
      .map((key) => ({ stackKey: key.slice(PREFIX.length), entries: this.state.get<HistoryEntry[]>(key) ?? [] }));
  }

  /** The most recent deployment of any stack, for Show Last Deployment without a configured stack. */
  latest(): { stackKey: string; entries: HistoryEntry[] } | undefined {
    let best: { stackKey: string; entries: HistoryEntry[] } | undefined;
    for (const key of this.state.keys()) {
      if (!key.startsWith(PREFIX)) continue;
      const entries = this.state.get<HistoryEntry[]>(key) ?? [];
      const first = entries[0];
      if (first && (!best || first.finishedAt > best.entries[0].finishedAt)) best = { stackKey: key.slice(PREFIX.length), entries };
    }
    return best;
  }
}
