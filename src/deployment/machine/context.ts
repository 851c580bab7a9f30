/**
 * What the deployment machine holds and hears: its input, its context, the events a person (or
 * the session) sends, and what each provider call is given. Types only, plus the bounds that keep
 * a persisted snapshot small.
 */
import type {
  Change,
  DeploymentEvent,
  DeploymentOptionValues,
  DescribeTargetRequest,
  DescribeTargetResult,
  OperationRef,
  OperationState,
  ParameterValue,
  Provider,
  RecoveryActionId,
  RecoveryPlanBasis,
  StackOutput,
  StageResult,
  TargetRef,
  TemplateFinding,
  TemplateSource,
} from '../../providers/provider';
import type { CallName } from './calls';
import type { ErrorInfo } from '../errorInfo';
import type { ResourceMap } from '../resources';
import type { DeploymentStatus } from '../status';
import type { FinalState } from './tags';
import type { PollTiming } from '../pollSchedule';

/** What initializing produces: the exact template and inputs that staging will submit. */
export interface InitializedDeployment {
  template: TemplateSource;
  parameters: ParameterValue[];
  capabilities: string[];
  /** Non-blocking findings (lint warnings, unused parameters), shown but never fatal. */
  warnings: string[];
  /** Where and as whom it deploys, when the provider can tell (e.g. "project p · as deployer@p.iam…"). */
  identity?: string;
  /**
   * Outputs whose value derives from a secret input (the provider's input step tells which):
   * masked everywhere, like outputs a provider marks sensitive; copy still works from the host.
   */
  sensitiveOutputs?: string[];
  /**
   * A check the provider runs beside staging, from here until the execute (e.g. a linter): its
   * error blocks the execute and ends the deployment failed. Absent when the provider has none.
   */
  check?: BackgroundCheckPlan;
}

/** The provider's background check for this round, as its initialize step announces it. */
export interface BackgroundCheckPlan {
  /** What it does, in the provider's words: the step list's label (e.g. "Checking with <tool>"). */
  label: string;
  /** Set when it will not run this time, with why in a word or two ("turned off"); nothing is spawned. */
  skipped?: string;
}

/** What the background check is given: the exact template and inputs staging submits. */
export interface CheckInput {
  deploymentId: string;
  round: number;
  template: TemplateSource;
  parameters: ParameterValue[];
}

/**
 * A background check that finished without blocking. An error that blocks is a rejection with the
 * provider's InputError (file, line): the machine then fails the deployment with it. Any other
 * rejection means the check could not run, which never blocks.
 */
export interface CheckReport {
  /** passed: it ran (warnings may follow); unavailable: it could not run (not installed, crashed, timed out). */
  outcome: 'passed' | 'unavailable';
  /** Shown with the template's other warnings. */
  warnings: string[];
  /** A few words for the step list: "2 warnings", "from cache", "not installed". */
  note?: string;
}

/** Where the background check of the current round stands (wall-clock epoch ms, for display only). */
export interface CheckProgress {
  label: string;
  state: 'running' | 'passed' | 'failed' | 'unavailable' | 'skipped';
  round: number;
  startedAt: number;
  endedAt?: number;
  note?: string;
  /** The error a failed check found: it ends the deployment once nothing is in flight. */
  error?: ErrorInfo;
}

/** When a step of getting ready started and ended (wall-clock epoch ms, for display only). */
export interface StepSpan {
  startedAt: number;
  endedAt?: number;
}

/** The steps of getting ready whose times the step list shows; `recover` only after a consent to recover. */
export type ReadinessStep = 'template' | 'target' | 'recover' | 'stage';

export interface DeploymentInput {
  deploymentId: string;
  target: TargetRef;
  autoExecute: boolean;
  /** Let auto-execute run changes that replace or delete a data store (stackwatch.autoExecuteDestructive). */
  autoExecuteDestructive?: boolean;
  watched?: boolean;
  /**
   * Where it runs beyond the target's name and region: the profile or project and the endpoint,
   * in words. A reload resumes the deployment only where it was started.
   */
  where?: string;
  /** The deployment options remembered for this target (by the descriptor's ids), passed to every stage. */
  options?: DeploymentOptionValues;
}

/** Keeps a persisted snapshot bounded; older events stay in the log channel. */
export const MAX_KEPT_EVENTS = 2_000;
/** Polls in a row answering a status Stackwatch can't judge before it asks the person (Check again / record unknown). */
export const UNKNOWN_POLLS_BEFORE_ASKING = 5;
/** Recreating more often than this means something outside Stackwatch keeps breaking the stack. */
export const MAX_RECOVERIES = 3;
/**
 * Looks at a delete being planned before the consent keeps the list it has: at RECOVERY_POLL_MS
 * apart, about 10 minutes, longer than a provider normally takes to plan a delete.
 */
export const MAX_RECOVERY_PLAN_CHECKS = 200;
/** Keeps a persisted snapshot bounded; the consent shows only the first few anyway. */
export const MAX_KEPT_DESTROYS = 200;
/** Keeps a persisted snapshot bounded: more findings than this are not read one by one. */
export const MAX_KEPT_FINDINGS = 200;
/** Keeps a persisted snapshot bounded; the newest are kept, like the events they enrich. */
export const MAX_KEPT_FAILURE_DETAILS = 200;

/** What the offered destructive recovery would destroy, as the consent shows it. */
export interface RecoveryPlan {
  /** listing: no answer yet; listed: `destroys` holds; unavailable: it could not be listed (`note` says why). */
  state: 'listing' | 'listed' | 'unavailable';
  /** The first MAX_KEPT_DESTROYS of them. */
  destroys: Change[];
  /** How many there are in all. */
  total: number;
  basis?: RecoveryPlanBasis;
  /** A planned delete is still being made; the list is replaced when it is ready. */
  planning: boolean;
  note?: string;
  /** Answers so far, against MAX_RECOVERY_PLAN_CHECKS. */
  checks: number;
}

export interface RetryState {
  /** Failed attempts since the last successful call. */
  attempt: number;
  /** Backoff already spent since the last successful call, against RETRY_BUDGET_MS. */
  waitedMs: number;
  delayMs: number;
  lastError?: ErrorInfo;
}

/** The states a person's Check again returns to after contact was lost. */
export type LostFrom = 'executing' | 'monitoring' | 'rollingBack';

/** Where the deployment goes once what it staged is cleaned up. */
export type Ending = FinalState;

export type ExecuteRequester = 'auto' | 'person';

export interface DeploymentContext {
  deploymentId: string;
  target: TargetRef;
  autoExecute: boolean;
  autoExecuteDestructive: boolean;
  watched: boolean;
  where?: string;
  status: DeploymentStatus;
  /** At least one provider call has succeeded in this deployment. */
  contacted: boolean;
  retry: RetryState;
  initialized?: InitializedDeployment;
  described?: DescribeTargetResult;
  /** A stage call was sent: something may exist in the cloud that the end must clean up. */
  stageSent: boolean;
  /**
   * Restored while a stage call was in flight: the template step runs again (secret inputs are
   * never persisted), then staging resumes with the same attempt and the condition read before,
   * so it adopts what the interrupted call made instead of judging the empty target that call created.
   * Re-staging after a changed option takes the same way (a new round, the condition read before).
   */
  resumeStaging?: boolean;
  staged?: StageResult;
  /**
   * The deployment options every stage is given (DeploymentInput.options, then what the person
   * chose in the review). Absent in snapshots saved before options existed: each default then.
   */
  options?: DeploymentOptionValues;
  /**
   * The person changed an option in the review: they are reviewing, so what is staged again waits
   * for their Execute even with auto-execute on (a checkbox click never starts a deployment).
   */
  optionChangedInReview?: boolean;
  /**
   * The options the staged changes were made with, while a changed option's re-stage removes
   * them: a removal that fails goes back to the review of those changes, with these options.
   */
  optionsOfStaged?: DeploymentOptionValues;
  /**
   * The target an earlier round's staging created, kept across a re-stage (which clears `staged`):
   * it stays this deployment's to remove if nothing runs.
   */
  createdTargetId?: string;
  /**
   * A re-stage removed what was staged and has not sent its stage call yet: the end has nothing
   * staged to look for, only `createdTargetId` to remove.
   */
  restageUnsent?: boolean;
  /**
   * What the provider's validation found in the last staged item (the first MAX_KEPT_FINDINGS):
   * the errors that failed it, and warnings. Absent in older snapshots.
   */
  findings?: TemplateFinding[];
  stageChecks: number;
  stagedStatus?: string;
  changes: Change[];
  /** Abort arrived while the stage call was in flight: wait for it, then clean up. */
  abortRequested: boolean;
  /**
   * The background check of this round (InitializedDeployment.check). Absent in snapshots saved
   * before it existed, and for a provider without one: nothing then waits for it.
   */
  check?: CheckProgress;
  /**
   * Execute was asked for (by the person, or by auto-execute) while the background check still
   * ran: it runs once the check passes, and never if it fails. Absent in older snapshots.
   */
  executeRequested?: boolean;
  /** Who asked: auto-execute's request is withdrawn when the person turns auto-execute off. */
  executeRequestedBy?: ExecuteRequester;
  /** When each step of getting ready ran, for the step list. Absent in older snapshots. */
  readiness?: Partial<Record<ReadinessStep, StepSpan>>;
  /** Auto-execute was held because the changes can lose data; the text says why. */
  heldForReview?: string;
  /** The staged changes were executed (confirmed by the provider's answer). */
  executed: boolean;
  /** Abort or Stop arrived while an execute was in flight; what the person wanted. */
  exitRequested?: 'abort' | 'stop';
  /**
   * The provider refused the execute. Refusals can be wrong (a proxy's 403, an emulator that ignores
   * tokens), so the provider is asked first; this error stands only if nothing ran.
   */
  executeRefusal?: ErrorInfo;
  /** Polls in a row that answered a status Stackwatch does not know. */
  unknownStreak?: number;
  operation?: OperationRef;
  cursor?: string;
  /**
   * Where the provider's operation stands (the port's OperationState). Named `phase` in persisted
   * snapshots; not the monitor's phase (a state's phase tag) nor the activity (status.activity).
   */
  phase?: OperationState;
  providerStatus?: string;
  statusReason?: string;
  resources: ResourceMap;
  events: DeploymentEvent[];
  /**
   * The operation's failures as the provider's failure read tells them (PollResult.failureDetails,
   * the newest MAX_KEPT_FAILURE_DETAILS): they enrich the failure summary, never the progress.
   */
  failureDetails?: DeploymentEvent[];
  idleStreak: number;
  /**
   * When the polls came and what they measured (the provider's clock offset, the poll budget),
   * for the poll schedule (pollSchedule.ts). Absent before the first poll, and in older snapshots.
   */
  pollTiming?: PollTiming;
  pagesRead: number;
  polls: number;
  outputs: StackOutput[];
  stopRequested: boolean;
  /** The provider stops where it is on Stop instead of rolling back (its StopResult said so). */
  stoppedWithoutRollback?: boolean;
  recoveries: number;
  chosenRecovery?: RecoveryActionId;
  /** What the consent shows the destructive recovery would destroy; reset at each consent. */
  recoveryPlan?: RecoveryPlan;
  /**
   * A describeRecovery call was sent: what it may have started (a delete preview, which locks the
   * target while it runs) is removed before the recovery runs, and at the end in any case.
   */
  recoveryPlanSent?: boolean;
  /** Contact was lost after the execute; Check again resumes here. */
  lostFrom?: LostFrom;
  /** Where the deployment goes after cleaning up. */
  ending?: Ending;
  /** Something the user should know that did not stop the deployment. */
  notices: string[];
  /** The error that ended the deployment (or, for a lost contact, the last failed read). */
  error?: ErrorInfo;
}

export type DeploymentEventType =
  | { type: 'EXECUTE' }
  | { type: 'ABORT' }
  | { type: 'STOP' }
  | { type: 'CONSENT'; action: RecoveryActionId }
  | { type: 'DECLINE' }
  /** Someone else's operation runs on the target: wait for it to end, then deploy ours. */
  | { type: 'WATCH_OTHER' }
  /** Contact was lost: ask the provider again (e.g. after refreshing credentials). */
  | { type: 'CHECK_AGAIN' }
  /** Contact was lost and the person stops asking: the deployment ends as unknown. */
  | { type: 'DISMISS' }
  | { type: 'SET_AUTO_EXECUTE'; value: boolean }
  | { type: 'SET_WATCHED'; watched: boolean }
  /**
   * In review: a deployment option changed (validated against the descriptor's deploymentOptions).
   * What was staged is removed and the changes are staged again with it, as the next round.
   */
  | { type: 'SET_OPTION'; id: string; value: boolean | string }
  /** Sent after restoring a persisted snapshot: timers are not persisted, so waits end at once. */
  | { type: 'RESUME' }
  /** Sent after restoring a persisted snapshot: a background check that was running starts again. */
  | { type: 'RESUME_CHECK' };

/** The port's methods the machine calls, each through an actor of the same name. */
type PortCall = Exclude<CallName, 'initialize'>;
type PortMethod<K extends PortCall> = NonNullable<Provider[K]>;

/** Loading the template happens in the workspace, for the target, once per round. */
export type InitializeInput = Omit<DescribeTargetRequest, 'signal'> & { deploymentId: string; round: number };

/** What each call's actor is given: the port's own request, less the signal the actor adds. */
export type CallInputs = { [K in PortCall]: Omit<Parameters<PortMethod<K>>[0], 'signal'> } & { initialize: InitializeInput };

/** What each call answers; a port method a provider may leave out answers undefined when it does. */
export type CallOutputs = { [K in PortCall]: Awaited<ReturnType<PortMethod<K>>> | (undefined extends Provider[K] ? undefined : never) } & {
  initialize: InitializedDeployment;
};

export type AbortStagedInput = CallInputs['abortStaged'];
