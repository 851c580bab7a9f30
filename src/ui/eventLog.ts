/**
 * Turns a deployment's events into log lines, incrementally. The machine keeps a bounded tail of
 * events, so "what is new" is found by the last event ID written, not by an index. Events are
 * written under a heading per provider operation (the automatic rollback is one of its own).
 */
import * as l10n from '@vscode/l10n';
import type { DeploymentEvent } from '../providers/provider';
import type { OperationHeadings } from './operationGroups';

export interface LogLine {
  level: 'info' | 'error' | 'warn';
  text: string;
}

/** Events after `lastSeenId`, oldest first. An ID no longer in the tail means all are new. */
export function eventsAfter(events: readonly DeploymentEvent[], lastSeenId: string | undefined): readonly DeploymentEvent[] {
  if (lastSeenId === undefined) return events;
  for (let i = events.length - 1; i >= 0; i--) {
    if (events[i].id === lastSeenId) return events.slice(i + 1);
  }
  return events;
}

export function eventLine(target: string, event: DeploymentEvent): LogLine {
  const physical = event.physicalId && event.physicalId !== event.logicalId ? ` [${event.physicalId}]` : '';
  const hook = event.hook
    ? event.hook.reason
      ? ` ${l10n.t('[hook {0} {1}: {2}]', event.hook.type, event.hook.status, event.hook.reason)}`
      : ` ${l10n.t('[hook {0} {1}]', event.hook.type, event.hook.status)}`
    : '';
  const request = event.requestId ? ` ${l10n.t('(request ID {0})', event.requestId)}` : '';
  const text = `${target} ${event.timestamp} ${event.logicalId} (${event.resourceType})${physical} ${event.providerStatus}${event.reason ? ` — ${event.reason}` : ''}${hook}${request}`;
  // Cancellations are consequences of the root cause; an error level for them would bury it.
  const level = event.status === 'failed' && !event.isCancellation ? 'error' : event.isCancellation || event.status === 'cancelled' ? 'warn' : 'info';
  return { level, text };
}

/** The lines for newly arrived events: each operation's heading before its first event, then the events. */
export function eventLines(target: string, events: readonly DeploymentEvent[], headings: OperationHeadings): LogLine[] {
  const lines: LogLine[] = [];
  for (const event of events) {
    const heading = headings.before(event);
    if (heading) lines.push({ level: 'info', text: `${target} ── ${heading} ──` });
    lines.push(eventLine(target, event));
  }
  return lines;
}
