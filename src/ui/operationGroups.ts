/**
 * A deployment's events by the provider's operation they belong to. One deployment can span
 * several: the update, then the automatic rollback the provider starts as an operation of its
 * own. Logs… and history show each under its own heading, in the order they began.
 */
import * as l10n from '@vscode/l10n';
import type { DeploymentEvent } from '../providers/provider';

export interface OperationGroup {
  id: string;
  /** The operation's kind in the provider's words (UPDATE_STACK, ROLLBACK, …), when told. */
  type?: string;
  /** A rollback that followed another operation of this deployment: the provider undoing it. */
  automaticRollback: boolean;
  /** Such a rollback, when the person had asked to Stop: their Stop started it, not a failure. */
  rollbackAfterStop?: boolean;
  events: DeploymentEvent[];
}

const ROLLBACK_TYPE = /rollback/i;
/** Enough of an operation's ID to tell it from the others of the deployment. */
const SHOWN_ID_CHARS = 8;

export function shortOperationId(id: string): string {
  return id.length > SHOWN_ID_CHARS ? `${id.slice(0, SHOWN_ID_CHARS)}…` : id;
}

type RollbackKind = Pick<OperationGroup, 'automaticRollback' | 'rollbackAfterStop'>;

/**
 * A rollback kind that is not the first operation seen undoes the one before it: after the
 * person's Stop, that is what their Stop asked for; otherwise the provider's automatic rollback.
 */
function rollbackKind(type: string | undefined, earlierOperations: number, stopRequested: boolean): RollbackKind {
  const follows = earlierOperations > 0 && type !== undefined && ROLLBACK_TYPE.test(type) && !/continue/i.test(type);
  if (!follows) return { automaticRollback: false };
  return stopRequested ? { automaticRollback: false, rollbackAfterStop: true } : { automaticRollback: true };
}

type Headed = Pick<OperationGroup, 'id' | 'type' | 'automaticRollback' | 'rollbackAfterStop'>;

/** "Operation 1a2b3c4d… (ROLLBACK) — the automatic rollback" (or "— rollback after Stop") */
export function operationHeading(group: Headed, continued = false): string {
  const id = shortOperationId(group.id);
  const operation = group.type ? l10n.t('Operation {0} ({1})', id, group.type) : l10n.t('Operation {0}', id);
  const heading = group.rollbackAfterStop
    ? l10n.t({ message: '{0} — rollback after Stop', args: [operation], comment: ['Stop is the button the person pressed.'] })
    : group.automaticRollback
      ? l10n.t('{0} — the automatic rollback', operation)
      : operation;
  return continued ? l10n.t({ message: '{0}, continued', args: [heading], comment: ['A heading of the log repeated where its events resume.'] }) : heading;
}

/**
 * Groups in the order their first event came; events with no operation are left out.
 * `stopRequested`: the person asked this deployment to Stop, so a rollback after its first operation is theirs.
 */
export function groupByOperation(events: readonly DeploymentEvent[], stopRequested = false): OperationGroup[] {
  const groups = new Map<string, OperationGroup>();
  for (const event of events) {
    if (!event.operationId) continue;
    let group = groups.get(event.operationId);
    if (!group) {
      group = { id: event.operationId, automaticRollback: false, events: [] };
      groups.set(event.operationId, group);
    }
    // The type may come with a later event than the first one.
    if (!group.type && event.operationType) {
      group.type = event.operationType;
      Object.assign(group, rollbackKind(event.operationType, [...groups.keys()].indexOf(event.operationId), stopRequested));
    }
    group.events.push(event);
  }
  return [...groups.values()];
}

/**
 * Follows a stream of events (the log is written as they arrive) and says when a new heading is
 * due: at the first event of each operation, and again when events of an earlier one resume
 * after another's (nested operations interleave).
 */
export class OperationHeadings {
  private current: string | undefined;
  private readonly seen = new Map<string, Headed>();

  /** `stopRequested`: whether the person has asked to Stop by the time an operation's first event arrives. */
  constructor(private readonly stopRequested: () => boolean = () => false) {}

  /** The heading to write before this event, or undefined when it continues the current operation. */
  before(event: DeploymentEvent): string | undefined {
    const id = event.operationId;
    if (!id || id === this.current) return undefined;
    this.current = id;
    const known = this.seen.get(id);
    if (known) return operationHeading(known, true);
    const group = { id, type: event.operationType, ...rollbackKind(event.operationType, this.seen.size, this.stopRequested()) };
    this.seen.set(id, group);
    return operationHeading(group);
  }
}
