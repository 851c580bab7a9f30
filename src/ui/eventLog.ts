/**
 * Turns a deployment's events into log lines, incrementally. The machine keeps a bounded tail of
 * events, so "what is new" is found by the last event ID written, not by an index.
 */
import type { DeploymentEvent } from '../providers/provider';

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
  const text = `${target} ${event.timestamp} ${event.logicalId} (${event.resourceType})${physical} ${event.providerStatus}${event.reason ? ` — ${event.reason}` : ''}`;
  // Cancellations are consequences of the root cause; an error level for them would bury it.
  const level = event.status === 'failed' && !event.isCancellation ? 'error' : event.isCancellation || event.status === 'cancelled' ? 'warn' : 'info';
  return { level, text };
}
