/**
 * The provider calls the machine makes, by actor name, with the words messages use for them, and
 * the error a call's missed deadline becomes.
 */
import * as l10n from '@vscode/l10n';
import { describeDeadline, type DeadlineKind, type Deadlines } from '../deadlines';
import type { ErrorInfo } from '../errorInfo';

/** Every provider call the machine makes, by its actor's name. */
export const CALL_NAMES = [
  'initialize',
  'describeTarget',
  'stage',
  'describeStaged',
  'execute',
  'findExecution',
  'abortStaged',
  'poll',
  'stop',
  'recover',
  'outputs',
  'describeRecovery',
  'discardRecoveryPlan',
] as const;

export type CallName = (typeof CALL_NAMES)[number];

/** A provider call's name in messages (translated when asked, never at load). */
export function callLabel(call: CallName): string {
  switch (call) {
    case 'initialize':
      return l10n.t('Loading and validating the template');
    case 'describeTarget':
      return l10n.t('Reading the target');
    case 'stage':
      return l10n.t('Staging the changes');
    case 'describeStaged':
      return l10n.t('Reading the staged changes');
    case 'execute':
      return l10n.t('Executing the changes');
    case 'findExecution':
      return l10n.t('Asking whether the changes were executed');
    case 'abortStaged':
      return l10n.t('Removing the staged changes');
    case 'poll':
      return l10n.t('Reading the deployment status');
    case 'stop':
      return l10n.t('Stopping the deployment');
    case 'recover':
      return l10n.t('Recovering the target');
    case 'outputs':
      return l10n.t('Reading the outputs');
    case 'describeRecovery':
      return l10n.t('Listing what the recovery would destroy');
    case 'discardRecoveryPlan':
      return l10n.t('Removing the delete preview');
  }
}

/** Which call missed which deadline: the params of every timeout action. */
export interface TimeoutParams {
  call: CallName;
  kind: DeadlineKind;
}

/** A missed deadline, as a retryable error that names the call and the time it had. */
export function timeoutError(deadlines: Deadlines, { call, kind }: TimeoutParams): ErrorInfo {
  const operation = callLabel(call);
  const reason = l10n.t({ message: 'no answer within {0}', args: [describeDeadline(deadlines[kind])], comment: ['{0} is a time ("25 s").'] });
  return {
    code: 'Transient',
    message: l10n.t({
      message: '{0}: no answer within {1}.',
      args: [operation, describeDeadline(deadlines[kind])],
      comment: ['{0} is a provider call ("Reading the target"), {1} a time ("25 s").'],
    }),
    retryable: true,
    operation,
    reason,
  };
}
