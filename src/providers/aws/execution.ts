/**
 * Executing a change set under a token of this deployment's, and finding out, when the answer
 * was lost, whether it ran: the token in the stack's events is the proof.
 */
import * as l10n from '@vscode/l10n';
import { type DescribeChangeSetCommandOutput, ExecuteChangeSetCommand, type OperationEntry, type StackEvent } from '@aws-sdk/client-cloudformation';
import { type ExecuteRequest, type ExecuteResult, type FindExecutionRequest, type FindExecutionResult, type OperationRef, ProviderError } from '../provider';
import { BEING_CREATED, EXECUTED, isNoChangesMarker, statusText } from './changeSetStates';
import type { AwsContext } from './context';
import { findTokenEvents, isStackEvent } from './stackEvents';
import { executeToken } from './tokens';

export async function executeChangeSet(ctx: AwsContext, { target, stagedId, deploymentId, signal }: ExecuteRequest): Promise<ExecuteResult> {
  if (isNoChangesMarker(stagedId))
    throw new ProviderError('Validation', l10n.t('There are no changes to execute: CloudFormation said "No updates are to be performed."'));
  const startedAt = new Date().toISOString();
  const token = executeToken(deploymentId, stagedId);
  await ctx.call('ExecuteChangeSet', signal, (c, o) =>
    c.send(new ExecuteChangeSetCommand({ ChangeSetName: stagedId, StackName: target.name, ClientRequestToken: token }), o),
  );
  const staged = ctx.staged.get(stagedId);
  // Staged in a window since reloaded: the change set still names its stack, whose events must be
  // read by ARN once a failed create's OnStackFailure DELETE has removed the name. Best effort: the
  // execute has happened, so a failed read leaves the stack to be found by name.
  const stackId = staged?.stackId ?? (await ctx.describeChangeSet(stagedId, target.name, signal).catch(() => undefined))?.StackId;
  // The execute token, not just the deployment's prefix: events of an earlier request of this
  // deployment (a recovery, an earlier round) are then never taken for this execution's.
  return { operation: { token, startedAt, kind: staged?.kind ?? 'unknown', targetId: stackId, stagedId } };
}

export async function findExecution(ctx: AwsContext, { target, stagedId, deploymentId, signal }: FindExecutionRequest): Promise<FindExecutionResult> {
  if (isNoChangesMarker(stagedId)) return { state: 'gone', reason: l10n.t('There were no changes to execute.') };
  const token = executeToken(deploymentId, stagedId);
  const changeSet = await ctx.describeChangeSet(stagedId, target.name, signal);
  const execution = changeSet?.ExecutionStatus;
  if (execution === 'AVAILABLE') return { state: 'notExecuted' };
  if (changeSet?.Status !== undefined && BEING_CREATED.has(changeSet.Status)) return { state: 'notExecuted' };
  const stackRef = changeSet?.StackId ?? target.name;
  // Our execute's own events: the request token is the proof, whatever the change set shows now.
  let ours: StackEvent[] = [];
  try {
    const notBefore = changeSet?.CreationTime ? changeSet.CreationTime.getTime() - 1_000 : undefined;
    ours = await findTokenEvents(ctx.eventPages(stackRef, signal), (t) => t === token || t.startsWith(`${token}-`), notBefore);
  } catch (error) {
    if (!(error instanceof ProviderError && error.code === 'NotFound')) throw error;
  }
  if ((execution !== undefined && EXECUTED.has(execution)) || ours.length > 0) {
    return { state: 'executed', operation: await executedOperation(ctx, stagedId, token, changeSet, ours, stackRef, signal) };
  }
  if (!changeSet) return { state: 'gone', reason: l10n.t('The change set no longer exists: someone deleted it or executed another change set.') };
  const shown = statusText(changeSet);
  const why =
    execution === 'OBSOLETE'
      ? l10n.t('the stack changed since it was made (OBSOLETE)')
      : shown !== undefined
        ? l10n.t('it is {0}', shown)
        : l10n.t('it is in an unknown state');
  return {
    state: 'gone',
    reason: changeSet.StatusReason
      ? l10n.t('The change set can no longer be executed: {0} ({1}).', why, changeSet.StatusReason)
      : l10n.t('The change set can no longer be executed: {0}.', why),
  };
}

/** The operation an execute started, from its first event when there is one, else the stack's record. */
async function executedOperation(
  ctx: AwsContext,
  stagedId: string,
  token: string,
  changeSet: DescribeChangeSetCommandOutput | undefined,
  ours: readonly StackEvent[],
  stackRef: string,
  signal: AbortSignal,
): Promise<OperationRef> {
  // Newest first: the last stack-level match is where our operation started.
  const start = [...ours].reverse().find(isStackEvent) ?? ours[ours.length - 1];
  let kind: OperationRef['kind'] =
    start?.ResourceStatus === 'CREATE_IN_PROGRESS'
      ? 'create'
      : start?.ResourceStatus === 'UPDATE_IN_PROGRESS'
        ? 'update'
        : (ctx.staged.get(stagedId)?.kind ?? 'unknown');
  let operationId = start?.OperationId;
  if (!operationId || kind === 'unknown') {
    const stack = await ctx.describeStack(stackRef, signal);
    const recorded = stack?.ChangeSetId === stagedId ? executionOf(stack.LastOperations ?? []) : undefined;
    operationId ??= recorded?.OperationId;
    if (kind === 'unknown' && recorded?.OperationType) kind = recorded.OperationType === 'CREATE_STACK' ? 'create' : 'update';
  }
  return {
    token,
    operationId,
    stagedId,
    targetId: changeSet?.StackId ?? start?.StackId,
    kind,
    startedAt: (start?.Timestamp ?? changeSet?.CreationTime ?? new Date()).toISOString(),
  };
}

/** The execution among a stack's last operations: the newest create or update, past the rollbacks that followed it. */
function executionOf(operations: readonly OperationEntry[]): OperationEntry | undefined {
  for (const entry of operations) {
    if (entry.OperationType === 'CREATE_STACK' || entry.OperationType === 'UPDATE_STACK') return entry;
    if (entry.OperationType !== 'ROLLBACK') return undefined;
  }
  return undefined;
}
