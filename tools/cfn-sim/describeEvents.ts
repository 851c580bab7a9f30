/**
 * DescribeEvents (events by stack, change set or operation, as OperationEvents) and GetHookResult.
 *
 * - Input: one of `StackName`, `ChangeSetName` (name with StackName, or ARN), `OperationId`;
 *   `Filters.FailedEvents`; `NextToken`. Pages hold `eventsPageSize` events (the DescribeStackEvents
 *   page size option), newest first; the token is a cursor, so events that arrive between pages
 *   are neither repeated nor skipped on later pages.
 * - `EventType`: STACK_EVENT for the stack's own events; VALIDATION_ERROR for early validation
 *   (earlyValidation.ts); HOOK_INVOCATION_ERROR for a hook's HOOK_COMPLETE_FAILED/HOOK_FAILED
 *   event; PROVISIONING_ERROR for a resource's `*_FAILED` event except the cancellations that
 *   follow another failure ("Resource creation cancelled", …); PROGRESS_EVENT otherwise.
 * - `Filters.FailedEvents`: the three error types and the stack's own `*_FAILED` events.
 * - `OperationType`/`OperationStatus`: each event's operation, with its status now (IN_PROGRESS,
 *   SUCCEEDED, FAILED: an operation a rollback took over counts as FAILED). A change set's
 *   validation events belong to its own CREATE_CHANGESET operation (not in LastOperations here).
 * - `StartTime`: when the resource's (or stack's) step in that operation began; `EndTime`: the
 *   event's time when it ends that step (`*_COMPLETE`, `*_FAILED`, `*_SKIPPED`).
 * Source: API DescribeEvents and OperationEvent,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeEvents.html,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_OperationEvent.html.
 */
import type { ActionContext } from './actions';
import type { Engine } from './engine';
import { SimError, validationError } from './errors';
import { getHookResultXml, hookEventXml } from './hooks';
import type { ChangeSet, OperationType, Stack, StackEvent } from './model';
import { boolParam, optional, type FormParams } from './protocol';
import type { ValidationEvent } from './earlyValidation';
import type { XmlObject } from './xml';

type Handler = (params: FormParams, ctx: ActionContext) => XmlObject | undefined;

/** One event in DescribeEvents' order: (timestamp, source, index in source), newest last. */
interface Entry {
  stack: Stack;
  key: [number, number, number];
  stackEvent?: StackEvent;
  validation?: ValidationEvent;
}

const CANCELLATIONS = new Set(['Resource creation cancelled', 'Resource update cancelled', 'Resource deletion cancelled', 'Resource import cancelled']);
const ERROR_TYPES = new Set(['VALIDATION_ERROR', 'PROVISIONING_ERROR', 'HOOK_INVOCATION_ERROR']);

export const OPERATION_EVENT_ACTIONS: Record<string, Handler> = {
  DescribeEvents(params, { engine, eventsPageSize }) {
    engine.sync();
    const entries = selectEntries(engine, params);
    const failedOnly = boolParam(params, 'Filters.FailedEvents') ?? false;
    const visible = failedOnly ? entries.filter((e) => isFailure(e)) : entries;
    visible.sort((a, b) => compareKeys(b.key, a.key));
    const token = optional(params, 'NextToken');
    const cursor = token === undefined ? undefined : decodeCursor(token);
    const rest = cursor === undefined ? visible : visible.filter((e) => compareKeys(e.key, cursor) < 0);
    const page = rest.slice(0, eventsPageSize);
    const last = page[page.length - 1];
    return {
      OperationEvents: page.map((e) => operationEventXml(e, engine)),
      NextToken: rest.length > page.length && last ? encodeCursor(last.key) : undefined,
    };
  },

  GetHookResult(params, { engine }) {
    engine.sync();
    return getHookResultXml(engine.allStacks(), optional(params, 'HookResultId'), engine.options);
  },
};

function selectEntries(engine: Engine, params: FormParams): Entry[] {
  const stackName = optional(params, 'StackName');
  const changeSetName = optional(params, 'ChangeSetName');
  const operationId = optional(params, 'OperationId');
  if (stackName === undefined && changeSetName === undefined && operationId === undefined) {
    throw validationError('One of ChangeSetName, OperationId or StackName must be specified as input.');
  }
  let stacks: readonly Stack[];
  let changeSetId: string | undefined;
  if (changeSetName !== undefined) {
    const found = findChangeSet(engine, changeSetName, stackName);
    stacks = [found.stack];
    changeSetId = found.changeSetId;
  } else if (stackName !== undefined) {
    stacks = [engine.requireStack(stackName)];
  } else {
    stacks = engine.allStacks();
  }
  const entries: Entry[] = [];
  for (const stack of stacks) {
    if (changeSetId === undefined) {
      stack.events.forEach((event, i) => entries.push({ stack, key: [event.timestamp, 0, i], stackEvent: event }));
    }
    (stack.validationEvents ?? []).forEach((event, i) => {
      if (changeSetId === undefined || event.changeSetId === changeSetId) entries.push({ stack, key: [event.timestamp, 1, i], validation: event });
    });
  }
  return operationId === undefined ? entries : entries.filter((e) => operationIdOf(e) === operationId);
}

/** A deleted change set's events stay readable by its ARN, as its stack keeps them. */
function findChangeSet(engine: Engine, name: string, stackName: string | undefined): { stack: Stack; changeSetId: string } {
  try {
    const { stack, changeSet } = engine.findChangeSet(name, stackName);
    return { stack, changeSetId: changeSet.id };
  } catch (error) {
    if (!(error instanceof SimError) || !name.startsWith('arn:')) throw error;
    const stack = engine.allStacks().find((s) => s.validationEvents?.some((e) => e.changeSetId === name));
    if (!stack) throw error;
    return { stack, changeSetId: name };
  }
}

function operationIdOf(entry: Entry): string | undefined {
  return entry.validation?.operationId ?? entry.stackEvent?.operationId;
}

function isStackLevel(stack: Stack, event: StackEvent): boolean {
  return event.resourceType === 'AWS::CloudFormation::Stack' && event.physicalId === stack.id;
}

function eventType(entry: Entry): string {
  const event = entry.stackEvent;
  if (!event) return 'VALIDATION_ERROR';
  if (isStackLevel(entry.stack, event)) return 'STACK_EVENT';
  if (event.hook && (event.hook.status === 'HOOK_COMPLETE_FAILED' || event.hook.status === 'HOOK_FAILED')) return 'HOOK_INVOCATION_ERROR';
  if (event.status.endsWith('_FAILED') && !CANCELLATIONS.has(event.reason ?? '')) return 'PROVISIONING_ERROR';
  return 'PROGRESS_EVENT';
}

function isFailure(entry: Entry): boolean {
  const type = eventType(entry);
  return ERROR_TYPES.has(type) || (type === 'STACK_EVENT' && (entry.stackEvent?.status.endsWith('_FAILED') ?? false));
}

function operationTypeOf(stack: Stack, operationId: string | undefined, entry: Entry): OperationType | 'CREATE_CHANGESET' | undefined {
  if (entry.validation) return 'CREATE_CHANGESET';
  return stack.operationLog?.find((o) => o.id === operationId)?.type;
}

const SUCCESS: Record<string, string[]> = {
  CREATE_STACK: ['CREATE_COMPLETE'],
  UPDATE_STACK: ['UPDATE_COMPLETE'],
  DELETE_STACK: ['DELETE_COMPLETE'],
  ROLLBACK: ['ROLLBACK_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE'],
  CONTINUE_ROLLBACK: ['UPDATE_ROLLBACK_COMPLETE'],
};

function operationStatus(entry: Entry, operationId: string | undefined): 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | undefined {
  const { stack } = entry;
  // A new stack's REVIEW_IN_PROGRESS event belongs to no operation.
  if (operationId === undefined) return undefined;
  if (entry.validation) {
    const changeSet: ChangeSet | undefined = stack.changeSets.find((c) => c.id === entry.validation?.changeSetId);
    return changeSet?.status === 'FAILED' || (changeSet?.validation ?? []).some((f) => f.mode === 'FAIL') ? 'FAILED' : 'SUCCEEDED';
  }
  const type = operationTypeOf(stack, operationId, entry);
  const last = [...stack.events].reverse().find((e) => e.operationId === operationId && isStackLevel(stack, e));
  if (last && type !== undefined && SUCCESS[type]?.includes(last.status)) return 'SUCCEEDED';
  if (last?.status.endsWith('_FAILED')) return 'FAILED';
  // Not finished: still running, or taken over by the rollback after a failure (or a cancel).
  return stack.operation?.operationId === operationId && !stack.deleted ? 'IN_PROGRESS' : 'FAILED';
}

function operationEventXml(entry: Entry, engine: Engine): XmlObject {
  const { stack } = entry;
  const operationId = operationIdOf(entry);
  const common = {
    StackId: stack.id,
    OperationId: operationId,
    OperationType: operationTypeOf(stack, operationId, entry),
    OperationStatus: operationStatus(entry, operationId),
    EventType: eventType(entry),
  };
  const validation = entry.validation;
  if (validation) {
    const f = validation.finding;
    return {
      EventId: validation.eventId,
      ...common,
      LogicalResourceId: f.logicalId,
      ResourceType: f.resourceType,
      Timestamp: new Date(validation.timestamp),
      ResourceStatusReason: f.mode === 'FAIL' ? f.reason : undefined,
      ClientRequestToken: validation.token,
      DetailedStatus: f.mode === 'FAIL' ? 'VALIDATION_FAILED' : undefined,
      ValidationFailureMode: f.mode,
      ValidationName: f.name,
      ValidationStatus: 'FAILED',
      ValidationStatusReason: f.reason,
      ValidationPath: f.path,
    };
  }
  const event = entry.stackEvent!;
  const span = stepSpan(stack, event);
  return {
    EventId: event.eventId,
    ...common,
    LogicalResourceId: event.logicalId,
    PhysicalResourceId: event.physicalId,
    ResourceType: event.resourceType,
    Timestamp: new Date(event.timestamp),
    StartTime: new Date(span.start),
    EndTime: span.end === undefined ? undefined : new Date(span.end),
    ResourceStatus: event.status,
    ResourceStatusReason: event.reason,
    ResourceProperties: event.properties,
    ClientRequestToken: engine.settings.echoEventTokens ? event.token : undefined,
    ...hookEventXml(event, false),
    DetailedStatus: event.detailedStatus,
  };
}

/** From the first event of this resource (or the stack) in the same operation to this one, if it ends the step. */
function stepSpan(stack: Stack, event: StackEvent): { start: number; end?: number } {
  const first = stack.events.find((e) => e.operationId === event.operationId && e.logicalId === event.logicalId && e.resourceType === event.resourceType);
  const ends = /_(COMPLETE|FAILED|SKIPPED)$/.test(event.status);
  return { start: first?.timestamp ?? event.timestamp, end: ends ? event.timestamp : undefined };
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function encodeCursor(key: readonly number[]): string {
  return Buffer.from(JSON.stringify({ before: key }), 'utf8').toString('base64');
}

function decodeCursor(token: string): [number, number, number] {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    const before = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['before'] : undefined;
    if (Array.isArray(before) && before.length === 3 && before.every((n) => typeof n === 'number'))
      return [before[0], before[1], before[2]] as [number, number, number];
  } catch {
    // fall through
  }
  throw validationError('Invalid NextToken');
}
