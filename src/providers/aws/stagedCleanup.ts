/**
 * Abort's clean-up: the change set this deployment staged (waited for while CloudFormation still
 * creates it, or while an abandoned CreateChangeSet may still land), and the empty stack shell a
 * CREATE change set of ours made.
 */
import * as l10n from '@vscode/l10n';
import { DeleteChangeSetCommand, DeleteStackCommand, type DescribeChangeSetCommandOutput, ListChangeSetsCommand } from '@aws-sdk/client-cloudformation';
import { abortableDelay } from '../abortableDelay';
import { type AbortStagedRequest, type AbortStagedResult, ProviderError } from '../provider';
import { BEING_CREATED, EXECUTED, isNoChangesMarker } from './changeSetStates';
import type { AwsContext } from './context';
import { stagingNames } from './tokens';

/** How often Abort looks again at a change set CloudFormation is still creating. */
const DEFAULT_CHANGE_SET_POLL_MS = 1_000;

/**
 * Reads of a change set by name, one poll interval apart, before Abort concludes that a stage it
 * abandoned never made one: CreateChangeSet may still be on its way and land after the first read.
 */
const SETTLE_READS = 10;

export async function abortStaged(ctx: AwsContext, req: AbortStagedRequest): Promise<AbortStagedResult> {
  const { target, signal } = req;
  // Executed: the change set and the stack are CloudFormation's operation now; nothing here is a leftover.
  if (req.executed) return {};
  if (isNoChangesMarker(req.stagedId)) return {};
  const name = req.stagedId ?? stagingNames(req.deploymentId, req.attempt).changeSetName;
  // Without a stage answer, a CreateChangeSet this deployment abandoned may still land after our
  // first read: it is waited for a while, unless CloudFormation refused it in this window.
  const settleReads = req.stagedId === undefined && !ctx.refusedStages.has(name) ? SETTLE_READS : 0;
  // A re-stage that ended before staging again: the round before's change set is removed already.
  const changeSet = req.nothingStaged ? undefined : await deleteWhenCreated(ctx, name, target.name, signal, settleReads);
  // An execute that landed after all (Abort cancelled its request, not CloudFormation's work):
  // the deployment must follow it rather than end as if nothing had run.
  if (changeSet && changeSet.ExecutionStatus !== undefined && EXECUTED.has(changeSet.ExecutionStatus)) return { executedMeanwhile: true };
  if (!req.removeCreatedTarget) return {};
  const stackId = req.targetId ?? changeSet?.StackId ?? (req.stagedId ? ctx.staged.get(req.stagedId)?.stackId : undefined);
  if (!stackId) return {};
  // Only the empty shell our CREATE change set made, by its ID, and only if nobody else has a
  // change set waiting on it. Every other stack, and one holding anything, is never touched here.
  const stack = await ctx.describeStack(stackId, signal);
  if (stack?.StackStatus !== 'REVIEW_IN_PROGRESS' || stack.StackId !== stackId) return {};
  const others = await ctx.call('ListChangeSets', signal, (c, o) => c.send(new ListChangeSetsCommand({ StackName: stackId }), o));
  if ((others.Summaries ?? []).length > 0) return {};
  await ctx.call('DeleteStack', signal, (c, o) => c.send(new DeleteStackCommand({ StackName: stackId }), o));
  return {};
}

/**
 * Deletes a change set, first waiting while CloudFormation is still creating it (it refuses
 * DeleteChangeSet then). Returns what the change set looked like, or undefined if it never
 * existed or is already gone. An executed change set is left alone.
 */
async function deleteWhenCreated(
  ctx: AwsContext,
  name: string,
  stackName: string,
  signal: AbortSignal,
  settleReads = 0,
): Promise<DescribeChangeSetCommandOutput | undefined> {
  const pollMs = ctx.config.changeSetPollMs ?? DEFAULT_CHANGE_SET_POLL_MS;
  let readsLeft = settleReads;
  for (;;) {
    const changeSet = await ctx.describeChangeSet(name, stackName, signal);
    if (!changeSet) {
      if (readsLeft-- <= 0) return undefined;
      await pause(pollMs, signal);
      continue;
    }
    // Found: from here on it is waited for and removed, never given up on for being slow.
    readsLeft = 0;
    if (changeSet.ExecutionStatus !== undefined && EXECUTED.has(changeSet.ExecutionStatus)) return changeSet;
    if (changeSet.Status !== undefined && BEING_CREATED.has(changeSet.Status)) {
      await pause(pollMs, signal);
      continue;
    }
    try {
      await ctx.call('DeleteChangeSet', signal, (c, o) =>
        c.send(new DeleteChangeSetCommand({ ChangeSetName: changeSet.ChangeSetId ?? name, StackName: stackName }), o),
      );
      return changeSet;
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'NotFound') return changeSet;
      // Read as complete, refused as still being created (or being executed): look again.
      if (error instanceof ProviderError && error.details.providerCode?.startsWith('InvalidChangeSetStatus')) {
        await pause(pollMs, signal);
        continue;
      }
      throw error;
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return abortableDelay(ms, signal, l10n.t('Cancelled while waiting for the change set to be created.'));
}
