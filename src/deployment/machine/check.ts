/**
 * The background check (InitializedDeployment.check): a provider's slow local check (a linter)
 * that runs beside reading the target and staging instead of before them. It is spawned at the
 * end of initializing and settles into context.check; states read context.check through the
 * guards below (their `always` transitions react as soon as it settles):
 * - it fails: nothing in flight → clean up and end failed with its error; a stage in flight → wait
 *   for the answer first (like Abort);
 * - Execute (the person's, or auto-execute's) while it runs: remembered, carried out once it
 *   passes, never if it fails;
 * - it cannot run: a notice, never a block.
 *
 * Times are wall-clock epoch ms for the step list only; no transition depends on them.
 */
import * as l10n from '@vscode/l10n';
import { assign, enqueueActions, stopChild } from 'xstate';
import { toErrorInfo } from '../errorInfo';
import type { withActions } from './actions';
import type { CheckProgress, CheckReport, DeploymentContext, ExecuteRequester, InitializedDeployment, ReadinessStep } from './context';
import { errorOf, outputOf } from './guards';

/** The spawned check's id: its done and error events are `xstate.done.actor.check` / `xstate.error.actor.check`. */
export const CHECK_ID = 'check';

type Setup = ReturnType<typeof withActions>;

const running = (context: DeploymentContext): boolean => context.check?.state === 'running';

/** The input the check is spawned with: what staging submits this round. */
function checkInput({ context }: { context: DeploymentContext }) {
  const { template, parameters } = context.initialized as InitializedDeployment;
  return { deploymentId: context.deploymentId, round: context.status.round, template, parameters };
}

function settled(context: DeploymentContext, change: Partial<CheckProgress>): Pick<DeploymentContext, 'check'> {
  const check = context.check;
  return check ? { check: { ...check, ...change, endedAt: Date.now() } } : {};
}

/** The check's state in a few words, as the step list shows it beside the check's label. */
function stepNote(note: 'failed' | 'unavailable' | 'stopped'): string {
  switch (note) {
    case 'failed':
      return l10n.t({ message: 'found an error', comment: ["Beside a background check (a linter) in the deployment's step list: what became of it."] });
    case 'unavailable':
      return l10n.t({ message: 'could not run', comment: ["Beside a background check (a linter) in the deployment's step list: what became of it."] });
    case 'stopped':
      return l10n.t({ message: 'stopped', comment: ["Beside a background check (a linter) in the deployment's step list: what became of it."] });
  }
}

/** Execute was asked for while the check runs: it waits for the check. */
function stillRunningNotice(label: string | undefined): string {
  if (label === undefined) return l10n.t('A check is still running: the changes are executed once it finishes without an error.');
  return l10n.t({
    message: '{0} is still running: the changes are executed once it finishes without an error.',
    args: [label],
    comment: ["{0} is the check's label in the provider's words (the step list's)."],
  });
}

export function withCheck(s: Setup) {
  return s.extend({
    guards: {
      /** This round's check found an error: the execute never runs. */
      checkFailed: ({ context }) => context.check?.state === 'failed',
      checkRunning: ({ context }) => running(context),
      /** Execute was asked for while the check ran, and the check has passed (or could not run). */
      requestedExecuteReady: ({ context }) =>
        context.executeRequested === true && context.check !== undefined && !running(context) && context.check.state !== 'failed',
      /** The stage call has answered (what it staged is known), so the end can remove it. */
      stageAnswered: ({ context }) => context.staged !== undefined,
    },
    actions: {
      /** Stops a check still running (an earlier round's, or one the deployment no longer waits for): its process ends. */
      stopCheck: stopChild(CHECK_ID),
      /** Spawns the check context.check says is running (after recordCheckStart or restartCheck). */
      spawnCheck: enqueueActions(({ context, enqueue }) => {
        if (running(context)) enqueue.spawnChild('check', { id: CHECK_ID, input: checkInput({ context }) });
      }),
      recordCheckStart: assign(({ context }) => {
        const plan = context.initialized?.check;
        if (!plan) return { check: undefined, executeRequested: false };
        const now = Date.now();
        const check: CheckProgress = plan.skipped
          ? { label: plan.label, state: 'skipped', round: context.status.round, startedAt: now, endedAt: now, note: plan.skipped }
          : { label: plan.label, state: 'running', round: context.status.round, startedAt: now };
        return { check, executeRequested: false };
      }),
      /** After a restore: the check that was running starts again (its process did not survive the reload). */
      restartCheck: assign(({ context }) => (context.check ? { check: { ...context.check, startedAt: Date.now(), endedAt: undefined } } : {})),
      storeCheckReport: assign(({ context, event }) => {
        if (!running(context)) return {};
        const report = outputOf<CheckReport>(event);
        const initialized = context.initialized;
        return {
          ...settled(context, { state: report.outcome, note: report.note }),
          ...(initialized && report.warnings.length > 0 ? { initialized: { ...initialized, warnings: [...initialized.warnings, ...report.warnings] } } : {}),
        };
      }),
      /** A rejection: the provider's bad-input error blocks; anything else means it could not run. */
      storeCheckError: assign(({ context, event }) => {
        if (!running(context)) return {};
        const error = toErrorInfo(errorOf(event));
        if (error.code === 'Template') return settled(context, { state: 'failed', note: stepNote('failed'), error });
        const label = context.check?.label;
        return {
          ...settled(context, { state: 'unavailable', note: stepNote('unavailable') }),
          notices: [
            ...context.notices,
            label === undefined
              ? l10n.t('The check could not run, so it checked nothing: {0}', error.message)
              : l10n.t({
                  message: '{0} could not run, so it checked nothing: {1}',
                  args: [label, error.message],
                  comment: ["{0} is the check's label in the provider's words (the step list's)."],
                }),
          ],
        };
      }),
      /** The deployment ends without waiting for the check: its process is stopped, and it counts as not run. */
      abandonCheck: assign(({ context }) =>
        running(context) ? { ...settled(context, { state: 'skipped', note: stepNote('stopped') }), executeRequested: false } : {},
      ),
      /** The check's error is the deployment's. */
      failByCheck: assign({ error: ({ context }) => context.check?.error ?? context.error }),
      requestExecute: assign(({ context }, by: ExecuteRequester) => ({
        executeRequested: true,
        // A click stays a click: auto-execute turned off later withdraws only its own request.
        executeRequestedBy: context.executeRequested === true && context.executeRequestedBy === 'person' ? 'person' : by,
        notices: context.executeRequested ? context.notices : [...context.notices, stillRunningNotice(context.check?.label)],
      })),
      forgetExecuteRequest: assign({ executeRequested: false, executeRequestedBy: undefined }),
      startSpan: assign({
        readiness: ({ context }, step: ReadinessStep) => ({ ...context.readiness, [step]: { startedAt: Date.now() } }),
      }),
      endSpan: assign({
        readiness: ({ context }, step: ReadinessStep) => {
          const span = context.readiness?.[step];
          return span && span.endedAt === undefined ? { ...context.readiness, [step]: { ...span, endedAt: Date.now() } } : context.readiness;
        },
      }),
    },
  });
}

/** What a state before the execute does when the check fails while nothing is in flight. */
export const failOnCheck = { guard: 'checkFailed', target: '#deployment.cleaningUp', actions: ['failByCheck', { type: 'endWith', params: 'failed' }] } as const;
