/**
 * The provider calls the machine makes, by actor name, with the words messages use for them, and
 * the error a call's missed deadline becomes.
 */
import { describeDeadline, type DeadlineKind, type Deadlines } from '../deadlines';
import type { ErrorInfo } from '../errorInfo';

/** A provider call's name in messages, by actor. */
export const CALL_LABELS = {
  initialize: 'Loading and validating the template',
  describeTarget: 'Reading the target',
  stage: 'Staging the changes',
  describeStaged: 'Reading the staged changes',
  execute: 'Executing the changes',
  findExecution: 'Asking whether the changes were executed',
  abortStaged: 'Removing the staged changes',
  poll: 'Reading the deployment status',
  stop: 'Stopping the deployment',
  recover: 'Recovering the target',
  outputs: 'Reading the outputs',
  describeRecovery: 'Listing what the recovery would destroy',
  discardRecoveryPlan: 'Removing the delete preview',
} as const;

export type CallName = keyof typeof CALL_LABELS;

/** Which call missed which deadline: the params of every timeout action. */
export interface TimeoutParams {
  call: CallName;
  kind: DeadlineKind;
}

/** A missed deadline, as a retryable error that names the call and the time it had. */
export function timeoutError(deadlines: Deadlines, { call, kind }: TimeoutParams): ErrorInfo {
  return { code: 'Transient', message: `${CALL_LABELS[call]}: no answer within ${describeDeadline(deadlines[kind])}.`, retryable: true };
}
