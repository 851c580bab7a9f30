/**
 * recover: the consented delete, force delete, continued rollback or rollback of a stack stuck
 * in a failed state, sent once per attempt and never on a consent about another stack.
 */
import * as l10n from '@vscode/l10n';
import { ContinueUpdateRollbackCommand, DeleteStackCommand, RollbackStackCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { type OperationRef, ProviderError, type RecoverRequest, type RecoverResult } from '../provider';
import type { AwsContext } from './context';
import { stackStatusMeaning } from './statusTables';
import { attemptSuffix, requestToken } from './tokens';

/**
 * The statuses a stack shows once each recovery action was accepted: running, or finished (it
 * then no longer offers that action, and CloudFormation would refuse it). A missing stack is a
 * finished delete. A plain delete that failed again (DELETE_FAILED) is not here: asking again is
 * a new delete, as consented.
 */
const RECOVERY_TOOK_EFFECT: Record<RecoverRequest['action'], readonly string[]> = {
  delete: ['DELETE_IN_PROGRESS'],
  forceDelete: ['DELETE_IN_PROGRESS'],
  continueRollback: ['UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE'],
  rollback: [
    'ROLLBACK_IN_PROGRESS',
    'UPDATE_ROLLBACK_IN_PROGRESS',
    'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
    'ROLLBACK_COMPLETE',
    'UPDATE_ROLLBACK_COMPLETE',
    'ROLLBACK_FAILED',
    'UPDATE_ROLLBACK_FAILED',
  ],
  unlock: [],
};

export async function recoverStack(ctx: AwsContext, { target, action, deploymentId, targetId, signal }: RecoverRequest): Promise<RecoverResult> {
  if (action === 'unlock') throw new ProviderError('Unsupported', l10n.t('CloudFormation stacks have no lock to release.'));
  const stack = await ctx.describeStack(target.name, signal);
  const startedAt = new Date().toISOString();
  const kind: OperationRef['kind'] = action === 'delete' || action === 'forceDelete' ? 'delete' : 'rollback';
  if (!stack?.StackId) {
    // A delete asked again after it finished (its answer was lost, or the window reloaded while
    // recreating): what was consented to is done. The machine's check reads the stack next.
    if (kind === 'delete') return { operation: { startedAt, kind } };
    throw new ProviderError('NotFound', l10n.t('The stack {0} no longer exists; nothing to recover.', target.name));
  }
  // A retry whose first attempt got through (a lost answer, a window reloaded while recreating):
  // the recovery runs or has finished, so nothing is sent again; the machine's check reads the
  // stack next and decides.
  if (RECOVERY_TOOK_EFFECT[action].includes(stack.StackStatus ?? '')) return { operation: { startedAt, kind } };
  if (targetId !== undefined) refuseStaleConsent(target.name, action, targetId, stack);
  // One token per attempt: a second recovery of the same stack must not look like a duplicate of the first.
  const token = requestToken(deploymentId, `${action}-${attemptSuffix()}`);
  const stackId = stack.StackId;
  switch (action) {
    case 'delete':
    case 'forceDelete':
      await ctx.call('DeleteStack', signal, (c, o) =>
        c.send(
          new DeleteStackCommand({ StackName: stackId, ClientRequestToken: token, DeletionMode: action === 'forceDelete' ? 'FORCE_DELETE_STACK' : undefined }),
          o,
        ),
      );
      break;
    case 'continueRollback':
      await ctx.call('ContinueUpdateRollback', signal, (c, o) =>
        c.send(new ContinueUpdateRollbackCommand({ StackName: stackId, ClientRequestToken: token }), o),
      );
      break;
    case 'rollback':
      await ctx.call('RollbackStack', signal, (c, o) => c.send(new RollbackStackCommand({ StackName: stackId, ClientRequestToken: token }), o));
      break;
  }
  return { operation: { token, startedAt, kind } };
}

/**
 * A consent was given about one stack in one state. Another stack under the same name (the first
 * was deleted and someone created a new one), or the same stack no longer needing the action, is
 * never touched on that consent.
 */
function refuseStaleConsent(stackName: string, action: RecoverRequest['action'], consentedId: string, stack: Stack): void {
  const status = stack.StackStatus ?? l10n.t('an unknown status');
  if (stack.StackId !== consentedId) {
    throw new ProviderError(
      'Conflict',
      l10n.t(
        'The stack you agreed to recover is gone, and another stack named {0} ({1}) exists now. Nothing was changed; deploy again to see what it needs.',
        stackName,
        status,
      ),
    );
  }
  if (!stackStatusMeaning(status).recovery.includes(action)) {
    throw new ProviderError(
      'Conflict',
      l10n.t('The stack is now {0}, so the recovery you agreed to no longer applies. Nothing was changed; deploy again to see what it needs.', status),
    );
  }
}
