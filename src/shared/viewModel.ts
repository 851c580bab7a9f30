/**
 * The monitor's view model: what the host sends and the webview draws, as plain JSON-safe data.
 * Both sides import these types from here, so neither can drift from the other; the host builds
 * the model (src/ui/viewModel.ts) and the webview only reads it.
 */
import type { ErrorInfo } from '../deployment/errorInfo';
import type { FailureReason, FailureSummary } from '../deployment/resources';
import type { FinalState } from '../deployment/machine/tags';
import type { ActivityStatus, ShownStatus } from '../deployment/status';
import type { Change, ProviderKind, RecoveryAction, ResourceStatus, StackOutput } from '../providers/provider';
import type { Vocabulary } from './vocabulary';

// What the webview reads inside the model, so that it imports the contract from one place.
export type {
  ActivityStatus,
  Change,
  ErrorInfo,
  FailureReason,
  FailureSummary,
  FinalState,
  ProviderKind,
  RecoveryAction,
  ResourceStatus,
  ShownStatus,
  StackOutput,
  Vocabulary,
};

export type MonitorPhase = 'starting' | 'consent' | 'otherOperation' | 'staging' | 'review' | 'monitoring' | 'lostContact' | 'final';

export interface ChangeRow extends Change {
  status: ResourceStatus;
  /** The provider's own status word for the resource, shown as it reports it. */
  providerStatus?: string;
  /** Why it failed or was cancelled: the hover text of the row's icon. */
  reason?: string;
  /** Configured; the provider waits for it to stabilize ("configured, stabilizing"). */
  stabilizing?: boolean;
  /** When this deployment's operation first touched it, and when it settled (ISO; the webview shows local time). */
  startedAt?: string;
  endedAt?: string;
  /** The host can open it in the provider's console (the URL stays on the host). */
  hasConsoleLink?: boolean;
  /** The host can open the template at this resource. */
  hasLocation?: boolean;
  /** Rows inside a nested target: 1 for a child of a top-level row, and so on (absent at the top). */
  depth?: number;
  /**
   * How long this row's change is expected to take (ms), learned from this workspace's earlier
   * deployments of its resource type (or a default for the type); absent when nothing is known.
   */
  expectedMs?: number;
}

/** One step of getting a deployment ready, in the order they run; some run side by side. */
export interface StepRow {
  id: 'template' | 'lint' | 'target' | 'recover' | 'stage';
  /** What runs, as the header also names it while it does: e.g. the staging step in the provider's words, or its linter check. */
  label: string;
  state: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  /** Epoch ms; the webview counts elapsed time from it while the step runs. */
  startedAt?: number;
  endedAt?: number;
  /** A short word on the outcome: "2 warnings", "from cache", "not installed". */
  note?: string;
}

/**
 * The deployment's expected course once it runs: a row that fills as it goes. The webview draws
 * elapsed time against `expectedEndAt` on its own clock between models; the host moves the
 * estimate as events arrive.
 */
export interface TimelineView {
  /** Epoch ms the operation started (the execute). */
  startedAt: number;
  /** Epoch ms the operation is expected to end; absent while nothing is known to estimate it. */
  expectedEndAt?: number;
  /** Epoch ms it ended, once it has. */
  endedAt?: number;
  /** Where the estimate comes from: this workspace's history, defaults per type, or both. */
  basis: 'history' | 'defaults' | 'mixed';
}

/** A finding from the provider's validation of what was staged, as the monitor lists it. */
export interface FindingRow {
  severity: 'error' | 'warning';
  message: string;
  logicalId?: string;
  /** The template path it points at, in the provider's words. */
  path?: string;
  /** The host can open the template at it (the monitor's Go to Line). */
  hasLocation: boolean;
}

/** A deployment option as the review offers it. */
export interface OptionRow {
  id: string;
  label: string;
  description: string;
  kind: 'flag' | 'choice';
  choices?: Array<{ value: string; label: string }>;
  value: boolean | string;
  /** False when it does not apply to this staging (e.g. a create-only option on an update); `note` says why. */
  enabled: boolean;
  note?: string;
}

/** The question a stop that cannot be undone asks first; the monitor asks it in the page, with Keep focused. */
export interface StopQuestion {
  message: string;
  detail: string;
  /** The destructive answer, e.g. "Cancel the Apply". */
  confirm: string;
  /** The safe answer, which has the focus, e.g. "Keep Deploying". */
  keep: string;
}

export interface StopControl {
  visible: boolean;
  enabled: boolean;
  /** Why Stop is disabled, or what pressing it means (e.g. that the provider cannot cancel a creation). */
  reason?: string;
  label: string;
  /** Asked before the stop is sent, when the provider's stop leaves things half done; absent when Stop acts at once. */
  confirm?: StopQuestion;
}

export interface Controls {
  execute: boolean;
  abort: boolean;
  saveTemplate: boolean;
  logs: boolean;
  stop: StopControl;
  done: boolean;
  /** Someone else's operation runs: wait for it, then deploy ours. */
  watchOther: boolean;
  /** Contact was lost: ask the provider again. */
  checkAgain: boolean;
  /** Contact was lost: stop asking and record the outcome as unknown. */
  dismiss: boolean;
  /** Open the deployed template beside the staged one in VS Code's diff editor. */
  compare: boolean;
  /** Staging failed and nothing ran: start a new deployment of the same target (with the options saved since). */
  deployAgain: boolean;
}

/** Someone else's operation on the target, which Stackwatch will not report as its own. */
export interface OtherOperation {
  providerStatus: string;
  startedBy?: string;
  startedAt?: string;
  /** The person chose to wait for it; Stackwatch deploys when it ends. */
  watching: boolean;
}

/** Contact was lost after the execute: what is last known, and why contact was lost. */
export interface LostContact {
  lastKnownStatus?: string;
  reason: string;
}

export interface RetryBanner {
  /** The call being retried, as it follows "Retrying" (the provider's API call); absent when not known. */
  operation?: string;
  /** What happened, without a closing period: "the service is throttling requests (Rate exceeded)". */
  message: string;
  /** When the next attempt happens, in ms since the epoch; the webview counts down to it. */
  retryAt: number;
  attempt: number;
}

/** What the destructive way out would destroy, as the consent shows it. */
export interface ConsentDestroys {
  /** listing: being read; listed: `items`; unavailable: `note` says why. */
  state: 'listing' | 'listed' | 'unavailable';
  /** The action it is about, e.g. "Delete and recreate". */
  actionLabel: string;
  /** What the list rests on, in words: a planned delete, or the target's last recorded state. */
  basis?: string;
  /** The list is a planned delete's plan: only then may an empty list say "nothing to destroy". */
  planned?: boolean;
  /** A planned delete is still being made; the list is replaced when it is ready. */
  planning: boolean;
  /** The first few, enough to recognise (the host decides how many). */
  items: Array<Pick<Change, 'logicalId' | 'resourceType' | 'physicalId'>>;
  total: number;
  /** total minus the items shown: "and K more". */
  more: number;
  note?: string;
}

export interface ConsentRequest {
  stackStatus: string;
  reason?: string;
  /** What left the target unrecoverable: the root cause of its last operation, when the provider tells. */
  rootCause?: FailureReason;
  actions: RecoveryAction[];
  destroys?: ConsentDestroys;
}

/** The deployment's error, and whether the monitor already tells it elsewhere. */
export interface MonitorError extends ErrorInfo {
  /**
   * Where the same thing is already on the page, so the error banner stays hidden: the failure
   * list's root cause, or the lost-contact panel (which also says what to do).
   */
  toldIn?: 'failures' | 'lostContact';
}

export interface MonitorViewModel {
  deploymentId: string;
  stackName: string;
  provider: ProviderKind;
  /** The provider's words for the target, what was staged, Stop and the table's columns. */
  words: Vocabulary;
  region?: string;
  /** Project and account the deployment runs as, when the provider says. */
  identity?: string;
  phase: MonitorPhase;
  activity: ActivityStatus;
  shown: ShownStatus;
  final?: FinalState;
  /** Ended after the person pressed Stop (or Cancel). */
  stopped?: boolean;
  providerStatus?: string;
  /** "3/11 done, 0 errors; stack state: …" */
  statusLine: string;
  progress: { done: number; total: number; failed: number };
  changes: ChangeRow[];
  controls: Controls;
  autoExecute: boolean;
  retry?: RetryBanner;
  consent?: ConsentRequest;
  otherOperation?: OtherOperation;
  lostContact?: LostContact;
  outputs: StackOutput[];
  failures: FailureSummary;
  error?: MonitorError;
  notices: string[];
  warnings: string[];
  /** What the provider's validation found in what was staged (errors fail it; warnings never block). */
  findings: FindingRow[];
  /** The review's deployment options for this target; absent when the provider offers none. */
  options?: OptionRow[];
  /** What the options group says about them as a whole, e.g. that a change was saved for the next deployment. */
  optionsNote?: string;
  /** The steps of getting ready (template, linter, target, staging); absent before the first. */
  steps?: StepRow[];
  /** The running (or ended) operation's course and ETA; absent before the execute. */
  timeline?: TimelineView;
}

/** Top-level fields that changed, and the rows that changed (by logical ID), or undefined when nothing did. */
export interface ViewModelDelta {
  /** null clears a field the next model no longer has (JSON cannot carry undefined). */
  fields: { [K in keyof Omit<MonitorViewModel, 'changes'>]?: MonitorViewModel[K] | null };
  /** Changed or added rows. */
  rows: ChangeRow[];
  /** The full ordered list of logical IDs, only when rows were added, removed or reordered. */
  order?: string[];
}
