/**
 * How an apply ended, from its operation (or, reattached without one, the deployment's state).
 * Infrastructure Manager has no rollback: cancelled and failed both leave what was applied.
 */
import type { config_v1 } from 'googleapis/build/src/apis/config';
import { failureReason } from './failures';
import type { OperationRef } from '../provider';
import type { PollSnapshot } from './events';
import { RPC_CANCELLED } from './statusTables';

type Outcome = NonNullable<PollSnapshot['outcome']>;

/** A state this version does not know: shown raw and read again, never taken for an ending. */
export interface UnknownState {
  status: 'unknown';
  providerStatus: string;
  reason?: string;
}

/** Deployment states after a run that say how it ended. */
const ENDED_WELL = new Set(['ACTIVE']);
const ENDED_BADLY = new Set(['FAILED', 'SUSPENDED']);
const RUNNING = new Set(['CREATING', 'UPDATING', 'DELETING']);

const VERB: Record<OperationRef['kind'], string> = { create: 'it was being created', update: 'it was being updated', delete: 'it was being deleted', rollback: 'it was being rolled back', unknown: 'an operation was running on it' };

/** Undefined while the operation runs. `kind` is what the operation was doing to the deployment. */
export function operationOutcome(
  op: config_v1.Schema$Operation | undefined,
  deployment: config_v1.Schema$Deployment | undefined,
  revision: config_v1.Schema$Revision | undefined,
  kind: OperationRef['kind'],
): Outcome | UnknownState | undefined {
  if (op) {
    if (!op.done) return undefined;
    if (op.error) {
      const cancelled = op.error.code === RPC_CANCELLED;
      const detail = failureReason(revision ?? {}) ?? failureReason(deployment ?? {}) ?? op.error.message ?? undefined;
      // After a cancel the service's own detail only says "cancelled" again; Terraform errors are news.
      const errors = (revision?.tfErrors?.length ?? 0) > 0 ? detail : undefined;
      return cancelled
        ? { status: 'cancelled', providerStatus: 'CANCELLED', reason: `The apply was cancelled; resources applied before the cancel stay applied (Infrastructure Manager has no rollback).${errors ? ` ${errors}` : ''}` }
        : { status: 'failed', providerStatus: revision?.state ?? 'FAILED', reason: detail };
    }
    if (revision?.state === 'FAILED') return { status: 'failed', providerStatus: 'FAILED', reason: failureReason(revision) };
    return { status: 'succeeded', providerStatus: revision?.state ?? 'APPLIED' };
  }
  // Reattached without an operation name: the deployment's own state is all there is.
  const state = deployment ? (deployment.state ?? 'STATE_UNSPECIFIED') : 'DELETED';
  if (RUNNING.has(state)) return undefined;
  if (state === 'DELETED') {
    // Gone is what our own delete wants. For anything else someone removed the deployment under
    // it, and with no operation to ask, how the run ended before that is not known: not "failed".
    return kind === 'delete'
      ? { status: 'succeeded', providerStatus: state }
      : {
          status: 'unknown',
          providerStatus: state,
          reason: `The deployment disappeared while ${VERB[kind]}: it was deleted outside this run, so how that run ended is not known. Deploy again to create it.`,
        };
  }
  if (ENDED_WELL.has(state)) return { status: 'succeeded', providerStatus: state };
  if (ENDED_BADLY.has(state)) return { status: 'failed', providerStatus: state, reason: failureReason(revision ?? deployment ?? {}) ?? deployment?.stateDetail ?? undefined };
  return { status: 'unknown', providerStatus: state };
}
