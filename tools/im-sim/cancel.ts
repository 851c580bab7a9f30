/**
 * operations.cancel. google.longrunning promises only a best effort: "The server makes a best
 * effort to cancel the operation, but success is not guaranteed. If the server doesn't support
 * this method, it returns google.rpc.Code.UNIMPLEMENTED." (google/longrunning/operations.proto,
 * CancelOperation). Infrastructure Manager does not document what its jobs do with a cancel, so
 * the sim can play each answer a client must survive (SimSettings.cancelBehaviour).
 */
import type { CancelBehaviour, SimContext } from './context';
import { GcpError } from './errors';
import type { OperationRecord } from './operations';

const BEHAVIOURS: readonly CancelBehaviour[] = ['boundary', 'ignored', 'unimplemented'];

export function cancelOperation(ctx: SimContext, operation: OperationRecord): void {
  const behaviour = ctx.settings.cancelBehaviour;
  if (behaviour === 'unimplemented')
    throw new GcpError(501, 'UNIMPLEMENTED', `Method google.longrunning.Operations.CancelOperation is not implemented for ${operation.name}.`);
  // Cancelling a done operation does nothing, whatever the behaviour.
  if (operation.done) return;
  // Recorded either way (metadata.requestedCancellation); only 'boundary' makes the job act on it.
  operation.requestedCancellation = true;
  if (behaviour === 'ignored') operation.cancelIgnored = true;
}

/** Whether the job should stop at its next boundary. */
export function cancelHonoured(operation: OperationRecord): boolean {
  return operation.requestedCancellation && operation.cancelIgnored !== true;
}

/** Validates the behaviour from callers that are not type-checked (the CLI, plain JS tests). */
export function checkedCancelBehaviour(value: CancelBehaviour): CancelBehaviour {
  if (!BEHAVIOURS.includes(value)) throw new TypeError(`cancelBehaviour must be one of ${BEHAVIOURS.join(', ')}, got ${String(value)}`);
  return value;
}
