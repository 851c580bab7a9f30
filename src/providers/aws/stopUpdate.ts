/** Stop: CancelUpdateStack under our token, or a plain reason why this stack cannot be stopped now. */
import { CancelUpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { type OperationRef, ProviderError, type StopRequest, type StopResult } from '../provider';
import type { AwsContext } from './context';
import { findTokenEvents, isStackEvent, TOKEN_LOOKBACK_MS } from './stackEvents';
import { stackStatusMeaning } from './statusTables';
import { nothingToStop, stopRefusal } from './stopRules';
import { cancelToken, isOurCancelToken } from './tokens';

export async function stopUpdate(ctx: AwsContext, { target, operation, deploymentId, signal }: StopRequest): Promise<StopResult> {
  const stackRef = operation.targetId ?? target.name;
  let stack = await ctx.describeStack(stackRef, signal);
  if (stack?.StackStatus === 'UPDATE_IN_PROGRESS') {
    try {
      await ctx.call('CancelUpdateStack', signal, (c, o) =>
        c.send(new CancelUpdateStackCommand({ StackName: target.name, ClientRequestToken: cancelToken(deploymentId, operation.token) }), o),
      );
      return { rollsBack: true };
    } catch (error) {
      // The update moved on between our read and the cancel (or an earlier cancel of ours got
      // through): read again and answer from what the stack does now.
      if (!(error instanceof ProviderError && (error.code === 'Validation' || error.code === 'Conflict'))) throw error;
      stack = await ctx.describeStack(stackRef, signal);
    }
  }
  const status = stack?.StackStatus ?? 'DELETE_COMPLETE';
  // A stop asked again (a restart while stopping, a lost answer): our cancel already took effect.
  if (status.startsWith('UPDATE_ROLLBACK_') && (await ourCancelShows(ctx, stackRef, operation, deploymentId, signal))) return { rollsBack: true };
  // The rules the monitor's Stop button states too (stopRules.ts): no cancel for a create, no stopping a rollback.
  const creating = status === 'CREATE_IN_PROGRESS';
  const rollingBack = stackStatusMeaning(status).phase === 'rollingBack';
  throw new ProviderError('Unsupported', stopRefusal({ creating, rollingBack, status }) ?? nothingToStop(status));
}

async function ourCancelShows(ctx: AwsContext, stackRef: string, operation: OperationRef, deploymentId: string, signal: AbortSignal): Promise<boolean> {
  const notBefore = Date.parse(operation.startedAt) - TOKEN_LOOKBACK_MS;
  const found = await findTokenEvents(
    ctx.eventPages(stackRef, signal),
    (t) => isOurCancelToken(deploymentId, t),
    Number.isNaN(notBefore) ? undefined : notBefore,
  );
  return found.some((e) => isStackEvent(e) && e.ResourceStatus === 'UPDATE_ROLLBACK_IN_PROGRESS');
}
