/** describeTarget: what the stack is now, what it offers to recover, and the operation it runs, if any. */
import * as l10n from '@vscode/l10n';
import { ListChangeSetsCommand, type Stack, type StackEvent } from '@aws-sdk/client-cloudformation';
import type { DescribeTargetRequest, DescribeTargetResult, OperationRef } from '../provider';
import type { AwsContext } from './context';
import { lastFailureOf } from './lastFailure';
import { recoveryAction } from './recovery';
import { isStackEvent } from './stackEvents';
import { stackStatusMeaning } from './statusTables';
import { requesterOf } from './tokens';

export async function describeTargetState(ctx: AwsContext, { target, signal }: DescribeTargetRequest): Promise<DescribeTargetResult> {
  const stack = await ctx.describeStack(target.name, signal);
  if (!stack?.StackStatus) return { condition: 'missing', recoveryActions: [] };
  const status = stack.StackStatus;
  if (status === 'REVIEW_IN_PROGRESS') return describeReviewShell(ctx, stack, signal);
  const meaning = stackStatusMeaning(status);
  const lastUpdatedAt = (stack.LastUpdatedTime ?? stack.CreationTime)?.toISOString();
  const result: DescribeTargetResult = {
    condition: meaning.condition,
    providerStatus: status,
    statusReason: stack.StackStatusReason,
    targetId: stack.StackId,
    recoveryActions: meaning.recovery.map((id) => recoveryAction(id, target.name, status)),
    lastUpdatedAt,
  };
  if (meaning.condition === 'inProgress') result.operation = await runningOperation(ctx, stack, meaning.operation, lastUpdatedAt, signal);
  if (meaning.condition === 'unrecoverable') {
    // Best effort: a failed read leaves it absent and never changes the condition.
    const lastFailure = await lastFailureOf(ctx, stack, signal);
    if (lastFailure) result.lastFailure = lastFailure;
  }
  return result;
}

/**
 * A REVIEW_IN_PROGRESS stack was made by a CREATE change set and never executed; it holds no
 * resources. What it may still hold is a change set:
 * - none: an empty shell (its change set was deleted). It is as good as missing: staging makes a
 *   new CREATE change set on it (CloudFormation accepts that on this status), so nothing needs
 *   deleting and no consent is asked. Its ID is reported, so it is the one we deploy into.
 * - someone's change set, waiting for review: theirs to execute or delete. The stack is busy
 *   with it, never deleted and never adopted; the person may wait for it to be decided.
 */
async function describeReviewShell(ctx: AwsContext, stack: Stack, signal: AbortSignal): Promise<DescribeTargetResult> {
  const stackId = stack.StackId ?? stack.StackName ?? '';
  const listed = await ctx.call('ListChangeSets', signal, (c, o) => c.send(new ListChangeSetsCommand({ StackName: stackId }), o));
  const waiting = listed.Summaries ?? [];
  const createdAt = stack.CreationTime?.toISOString();
  if (waiting.length === 0 && !listed.NextToken) {
    return {
      condition: 'missing',
      providerStatus: 'REVIEW_IN_PROGRESS',
      statusReason: l10n.t('An empty stack left by a CREATE change set that was never executed; Stackwatch creates the stack in it.'),
      targetId: stack.StackId,
      recoveryActions: [],
      lastUpdatedAt: createdAt,
    };
  }
  const newest = [...waiting].sort((a, b) => (b.CreationTime?.getTime() ?? 0) - (a.CreationTime?.getTime() ?? 0))[0];
  const name = newest?.ChangeSetName ?? l10n.t('a change set');
  const state = [newest?.Status, newest?.ExecutionStatus].filter(Boolean).join(' / ');
  return {
    condition: 'inProgress',
    providerStatus: 'REVIEW_IN_PROGRESS',
    statusReason: state
      ? l10n.t(
          'The stack holds the change set {0} ({1}), made by someone else and not executed. Stackwatch leaves it alone: execute or delete it, then deploy again.',
          name,
          state,
        )
      : l10n.t(
          'The stack holds the change set {0}, made by someone else and not executed. Stackwatch leaves it alone: execute or delete it, then deploy again.',
          name,
        ),
    targetId: stack.StackId,
    recoveryActions: [],
    lastUpdatedAt: createdAt,
    operation: {
      kind: 'create',
      targetId: stack.StackId,
      startedAt: (newest?.CreationTime ?? stack.CreationTime ?? new Date()).toISOString(),
      startedBy: l10n.t('the change set {0}, waiting for review', name),
    },
  };
}

/**
 * The operation a busy stack is running, as far as its newest events tell: whose request it is
 * (the token), its OperationId, and when it started. Watching it then follows exactly that
 * operation's events.
 */
async function runningOperation(
  ctx: AwsContext,
  stack: Stack,
  kind: OperationRef['kind'],
  lastUpdatedAt: string | undefined,
  signal: AbortSignal,
): Promise<OperationRef> {
  const page = await ctx.eventPages(stack.StackId ?? stack.StackName ?? '', signal)(undefined);
  const latest = page.events.find((e) => isStackEvent(e) && (e.ResourceStatus as string | undefined) !== 'REVIEW_IN_PROGRESS');
  const token = latest?.ClientRequestToken;
  const operationId = latest?.OperationId ?? stack.LastOperations?.[0]?.OperationId;
  // The operation's first stack event on this page, if its start is that recent.
  const start = [...page.events].reverse().find((e) => isStackEvent(e) && latest !== undefined && sameOperation(e, latest));
  return {
    token,
    operationId,
    startedBy: requesterOf(token),
    targetId: stack.StackId,
    kind,
    startedAt: start?.Timestamp?.toISOString() ?? lastUpdatedAt ?? new Date().toISOString(),
  };
}

/** Two events of one operation: the same OperationId, or (without one) the same request token. */
function sameOperation(a: StackEvent, b: StackEvent): boolean {
  if (a.OperationId !== undefined || b.OperationId !== undefined) return a.OperationId === b.OperationId;
  return a.ClientRequestToken === b.ClientRequestToken;
}
