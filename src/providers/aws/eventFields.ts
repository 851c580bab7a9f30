/**
 * What a CloudFormation event tells beyond its status, in the port's words: the operation it
 * belongs to, "configured, stabilizing", the hook that failed it, the request ID and the property
 * its reason names. Shared by the stack-event stream (stackEvents.ts) and DescribeEvents'
 * failure copies (operationEvents.ts).
 */
import type { OperationEvent, StackEvent } from '@aws-sdk/client-cloudformation';
import type { DeploymentEvent } from '../provider';
import { hookOf } from './hookResults';
import { propertyPathOf } from './propertyPaths';
import { requestIdOf } from './requestIds';

export type EventExtras = Pick<DeploymentEvent, 'operationId' | 'operationType' | 'stabilizing' | 'hook' | 'requestId' | 'propertyPath'>;

/**
 * The stack status that opens an operation, and that operation's type in DescribeEvents' words
 * (OperationType). Stack events carry no type; their operation's first stack event tells it.
 */
const OPERATION_TYPE_OF_START: Readonly<Record<string, string>> = {
  CREATE_IN_PROGRESS: 'CREATE_STACK',
  UPDATE_IN_PROGRESS: 'UPDATE_STACK',
  DELETE_IN_PROGRESS: 'DELETE_STACK',
  IMPORT_IN_PROGRESS: 'UPDATE_STACK',
  ROLLBACK_IN_PROGRESS: 'ROLLBACK',
  UPDATE_ROLLBACK_IN_PROGRESS: 'ROLLBACK',
  IMPORT_ROLLBACK_IN_PROGRESS: 'ROLLBACK',
};

/** The type of the operation a stack-level event opens, if it opens one. */
export function operationTypeOpenedBy(stackStatus: string | undefined): string | undefined {
  return stackStatus === undefined ? undefined : OPERATION_TYPE_OF_START[stackStatus];
}

/** Reasons in which the provider says the resource is configured and now waits to stabilize. */
function isStabilizing(event: Pick<StackEvent, 'DetailedStatus' | 'ResourceStatus'>): boolean {
  return event.DetailedStatus === 'CONFIGURATION_COMPLETE' && (event.ResourceStatus ?? '').endsWith('_IN_PROGRESS');
}

/**
 * The extras of one event. `operationType` is the caller's knowledge of the event's operation
 * (DescribeEvents says it on every event; for stack events, the operation's start event did).
 */
export function eventExtras(event: StackEvent | OperationEvent, operationType: string | undefined): EventExtras {
  const reason = event.ResourceStatusReason;
  const hook = hookOf(event);
  const requestId = requestIdOf(reason) ?? requestIdOf(event.HookStatusReason);
  const propertyPath = propertyPathOf(reason);
  return {
    ...(event.OperationId ? { operationId: event.OperationId } : {}),
    ...(operationType ? { operationType } : {}),
    ...(isStabilizing(event) ? { stabilizing: true } : {}),
    ...(hook ? { hook } : {}),
    ...(requestId ? { requestId } : {}),
    ...(propertyPath ? { propertyPath } : {}),
  };
}
