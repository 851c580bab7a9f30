/**
 * poll: the new stack events of our operation since the cursor, and where it stands. The events
 * decide while they explain the stack; otherwise the stack itself is asked (stackVerdict.ts).
 */
import * as l10n from '@vscode/l10n';
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import type { OperationRef, OperationState, PollRequest, PollResult } from '../provider';
import { isNoChangesMarker } from './changeSetStates';
import type { AwsContext } from './context';
import { addHookResults, pollFailureDetails } from './failureDetails';
import { decodeNestedCursor, nestedCursorFields } from './nestedCursor';
import { followNestedStacks, mustReadRoot } from './nestedFollow';
import { type Attributed, attributeEvents, decodeCursor, encodeCursor, type EventCursor, readNewEvents, toDeploymentEvents } from './stackEvents';
import { isKnownStackStatus, isSettled, judgeStack, type StackVerdict } from './stackVerdict';
import { operationPhaseOf, stackStatusMeaning } from './statusTables';
import { requesterOf } from './tokens';

function deletedAfterFailure(): string {
  return l10n.t('The create failed, and the stack was deleted as OnStackFailure DELETE asks.');
}

/** Polls in a row with no event of ours before the stack itself is asked whether it moved on. */
const IDLE_POLLS_BEFORE_CHECK = 3;

export async function pollOperation(ctx: AwsContext, request: PollRequest): Promise<PollResult> {
  const first = await pollOnce(ctx, request);
  // A nested stack just settled: its parent's resource for it ends right after, so the root is
  // read at once rather than a poll later (one more read only; a plain stack never gets here).
  if (!first.rootMoves || isSettled(first.result.providerStatus)) return first.result;
  const { result } = await pollOnce(ctx, { ...request, cursor: first.result.cursor });
  const failureDetails = [...(first.result.failureDetails ?? []), ...(result.failureDetails ?? [])];
  return {
    ...result,
    events: [...first.result.events, ...result.events],
    pagesRead: first.result.pagesRead + result.pagesRead,
    notice: result.notice ?? first.result.notice,
    ...(failureDetails.length > 0 ? { failureDetails } : {}),
  };
}

async function pollOnce(ctx: AwsContext, { target, operation, cursor, signal }: PollRequest): Promise<{ result: PollResult; rootMoves: boolean }> {
  const previous = decodeCursor(cursor);
  // Nested stacks are followed beside the root; while only they work, the root may go unread (nestedFollow.ts).
  const nestedBefore = decodeNestedCursor(cursor);
  const now = Date.now();
  const rootRead = mustReadRoot(previous, nestedBefore, now);
  const stackRef = operation.targetId ?? target.name;
  const pages = ctx.eventPages(stackRef, signal);
  let pagesRead = 0;
  let lastEventId = previous.lastEventId;
  const fresh: StackEvent[] = [];
  const readMore = async (): Promise<void> => {
    const read = await readNewEvents(pages, operation, lastEventId);
    pagesRead += read.pagesRead;
    lastEventId = read.newestEventId;
    fresh.push(...read.events);
  };
  if (rootRead) await readMore();
  let knownIds = previous.operationIds ?? [];
  const attribute = (): Attributed => attributeEvents(fresh, operation, { ...previous, operationIds: knownIds });
  let attributed = attribute();
  // A poll that left the root unread (only its nested stacks work) is no quiet spell of the root's.
  let idle = attributed.ours.length > 0 ? 0 : (previous.idle ?? 0) + (rootRead ? 1 : 0);
  let unseen = previous.unseen ?? 0;
  let verdict: StackVerdict | undefined;

  const ourStatus = attributed.state.stackStatus;
  const endedByOurEvents = ourStatus !== undefined && isSettled(ourStatus);
  // A status this build does not know explains nothing: no event of ours will follow it to say
  // how the operation ended (the one that did may be the very event that carried it), so only
  // the stack can. Likewise after a poll the stack itself left 'unknown'.
  const unexplained = previous.recheck === true || (ourStatus !== undefined && !isKnownStackStatus(ourStatus));
  // The stack is the arbiter whenever our events stop explaining it: none of ours yet, someone
  // else's events showing up, a status we don't know, or a quiet spell (a token-less endpoint,
  // a missed end event).
  if (!endedByOurEvents && (ourStatus === undefined || unexplained || attributed.others > 0 || idle >= IDLE_POLLS_BEFORE_CHECK)) {
    const stack = await ctx.describeStack(stackRef, signal);
    idle = 0;
    verdict = judgeStack(stack, operation, attributed.state, unseen);
    if (verdict.unchangedSinceStart) verdict = await confirmByChangeSet(ctx, verdict, operation, stackRef, signal);
    unseen = verdict.unseen;
    // Operations the stack names as ours make this poll's events of theirs ours too.
    knownIds = verdict.operationIds;
    // The stack finished while we read: fetch the events that led there before reporting the end.
    if (verdict.believed && isSettled(verdict.status) && !isSettled(attributed.state.stackStatus ?? '')) await readMore();
    attributed = attribute();
  }

  const converted = toDeploymentEvents(attributed.ours, previous.stackStatus, previous.operationTypes);
  const state = attributed.state;
  let stackStatus = state.stackStatus;
  let stackReason = converted.stackStatus !== previous.stackStatus ? converted.stackReason : previous.stackReason;
  let phase: OperationState | undefined;
  if (verdict && !(stackStatus !== undefined && isSettled(stackStatus))) {
    phase = verdict.phase;
    stackStatus = verdict.status;
    stackReason = verdict.reason ?? stackReason;
  }
  const shownStatus = stackStatus ?? 'UNKNOWN';
  phase ??= operationPhaseOf(shownStatus, operation.kind);
  // The delete after a failed create says nothing of why (its events carry no reason): keep the failure's.
  if (phase === 'failed' && stackReason === undefined && shownStatus.startsWith('DELETE_')) stackReason = previous.stackReason ?? deletedAfterFailure();
  // Nothing is settled while the phase is unknown or the status is one we don't know: the next
  // poll asks the stack again, whatever the events say meanwhile.
  const recheck = phase === 'unknown' || !isKnownStackStatus(shownStatus);
  // Extras that explain a failure; they never change the phase (failureDetails.ts).
  await addHookResults(ctx, attributed.ours, converted.events, signal);
  const failures = await pollFailureDetails(ctx, phase, state.operationIds ?? [], previous, signal);
  const nested = await followNestedStacks(ctx, {
    rootEvents: attributed.ours,
    rootRows: converted.events,
    rootRead,
    firstRead: previous.lastEventId === undefined,
    previous: nestedBefore,
    now,
    signal,
  });
  pagesRead += nested.pagesRead;
  if (nested.nestedNews > 0) idle = 0;
  const next: EventCursor = {
    lastEventId,
    stackStatus: state.stackStatus,
    stackReason: converted.stackStatus !== previous.stackStatus ? converted.stackReason : previous.stackReason,
    unseen: unseen || undefined,
    idle: idle || undefined,
    operationIds: (state.operationIds ?? []).length > 0 ? state.operationIds : undefined,
    adoptedTokens: state.adoptedTokens,
    cancelledBy: state.cancelledBy,
    recheck: recheck || undefined,
    operationTypes: converted.operationTypes.length > 0 ? converted.operationTypes : undefined,
    ...failures.state,
  };
  const result: PollResult = {
    phase,
    providerStatus: shownStatus,
    statusReason: stackReason,
    events: nested.events,
    cursor: encodeCursor({ ...next, ...nestedCursorFields(nested.cursor) }),
    pagesRead,
    notice: cancelNotice(state.cancelledBy),
    ...(failures.details ? { failureDetails: failures.details } : {}),
  };
  return { result, rootMoves: nested.rootMoves };
}

/**
 * Some endpoints record no update time, so the stack cannot say whether its settled status is
 * ours. Our change set can: once it reports its execution finished, that status is our result.
 */
async function confirmByChangeSet(
  ctx: AwsContext,
  verdict: StackVerdict,
  operation: OperationRef,
  stackRef: string,
  signal: AbortSignal,
): Promise<StackVerdict> {
  if (!operation.stagedId || isNoChangesMarker(operation.stagedId)) return verdict;
  // A change set that is gone says nothing either way; any other failure is a failed read, and must not decide.
  const changeSet = await ctx.describeChangeSet(operation.stagedId, stackRef, signal);
  if (changeSet?.ExecutionStatus !== 'EXECUTE_COMPLETE' && changeSet?.ExecutionStatus !== 'EXECUTE_FAILED') return verdict;
  return { ...verdict, phase: stackStatusMeaning(verdict.status).phase, reason: undefined, believed: true, unchangedSinceStart: false };
}

/**
 * Someone else's cancel of our update, in words, for the person to hear once (the machine keeps
 * a notice once, so repeating it on every later poll is harmless). The rollback's own events
 * carry CloudFormation's reason; this says who asked for it.
 */
function cancelNotice(cancelledBy: string | undefined): string | undefined {
  if (!cancelledBy) return undefined;
  const who = requesterOf(cancelledBy === 'unknown' ? undefined : cancelledBy);
  return who ? l10n.t('The update was cancelled by {0}.', who) : l10n.t('The update was cancelled by someone else (its events carry no request token).');
}
