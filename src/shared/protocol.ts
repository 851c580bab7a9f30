/**
 * Every message between the extension host and the monitor webview, both ways. The webview is
 * untrusted input: the host turns nothing into a machine event before `parseWebviewMessage`
 * has checked its shape.
 */
import type { RecoveryActionId } from '../providers/provider';
import { safeHref } from './links';
import type { MonitorViewModel, ViewModelDelta } from './viewModel';

// ---------- host → webview ----------

export type HostMessage =
  /** The whole model: after `ready`, and whenever the panel becomes visible again. */
  | { type: 'snapshot'; model: MonitorViewModel }
  /** What changed since the last message. */
  | { type: 'delta'; delta: ViewModelDelta }
  /** An output value reached the clipboard. */
  | { type: 'copied'; key: string };

// ---------- webview → host ----------

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'execute' }
  | { type: 'abort' }
  /** `confirmed`: the person said yes to the provider's stop question in the page. */
  | { type: 'stop'; confirmed?: true }
  | { type: 'saveTemplate' }
  | { type: 'showLogs' }
  | { type: 'done' }
  | { type: 'consent'; action: RecoveryActionId }
  | { type: 'decline' }
  /** Someone else's operation runs: wait for it to end, then deploy. */
  | { type: 'watchOther' }
  /** Contact was lost: ask the provider again. */
  | { type: 'checkAgain' }
  /** Contact was lost: stop asking; the deployment is recorded as unknown. */
  | { type: 'dismiss' }
  | { type: 'setAutoExecute'; value: boolean }
  | { type: 'copyOutput'; key: string }
  /** Open the file an error points at (the host only opens the one named by the model's error). */
  | { type: 'openErrorLocation' }
  /** Open the template at a row's resource (a logicalId in the model's change list). */
  | { type: 'openResource'; logicalId: string }
  /** Open a row's resource in the provider's console (the URL is the host's, never the webview's). */
  | { type: 'openConsole'; logicalId: string }
  /** Go to the line a finding points at (its index in the model's findings). */
  | { type: 'openFinding'; index: number }
  /** Diff the deployed template against the staged one. */
  | { type: 'compareWithDeployed' }
  /**
   * Change a deployment option: in review it stages again with it; once staging failed it is only
   * saved for the next deployment. Either way it is remembered for the target.
   */
  | { type: 'setOption'; id: string; value: boolean | string }
  /** Staging failed and nothing ran: deploy the same target again (with the options saved since). */
  | { type: 'deployAgain' }
  /** Open a link shown in a provider's text (an https URL; the host opens only one it sent). */
  | { type: 'openLink'; url: string };

const SIMPLE: ReadonlySet<string> = new Set([
  'ready',
  'execute',
  'abort',
  'saveTemplate',
  'showLogs',
  'done',
  'decline',
  'watchOther',
  'checkAgain',
  'dismiss',
  'openErrorLocation',
  'compareWithDeployed',
  'deployAgain',
]);
const RECOVERY_ACTIONS: ReadonlySet<string> = new Set<RecoveryActionId>(['delete', 'forceDelete', 'continueRollback', 'rollback', 'unlock']);
/** Output keys are the provider's output names, at most 255 characters; anything longer is not one. */
const MAX_KEY_LENGTH = 255;
/** Row keys are logical IDs, "Parent/Child" inside nested targets; a longer one is none of ours. */
const MAX_LOGICAL_ID_LENGTH = 512;
/** The monitor lists at most this many findings (the host keeps fewer); a larger index points at none. */
const MAX_FINDING_INDEX = 10_000;
/** Deployment option ids and choice values are short words the descriptor declares. */
const MAX_OPTION_LENGTH = 64;
const OPTION_ID = /^[A-Za-z][A-Za-z0-9]*$/;
/** Console and log URLs are well under this; a longer one is none the host sent. */
const MAX_URL_LENGTH = 2048;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The message if it is one the host understands, exactly; otherwise undefined. */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (!isRecord(value) || typeof value.type !== 'string') return undefined;
  const keys = Object.keys(value);
  const only = (...allowed: string[]) => keys.every((key) => key === 'type' || allowed.includes(key));
  if (SIMPLE.has(value.type)) return only() ? ({ type: value.type } as WebviewMessage) : undefined;
  switch (value.type) {
    case 'stop':
      if (!only('confirmed') || (value.confirmed !== undefined && value.confirmed !== true)) return undefined;
      return value.confirmed === true ? { type: 'stop', confirmed: true } : { type: 'stop' };
    case 'consent':
      return only('action') && typeof value.action === 'string' && RECOVERY_ACTIONS.has(value.action)
        ? { type: 'consent', action: value.action as RecoveryActionId }
        : undefined;
    case 'setAutoExecute':
      return only('value') && typeof value.value === 'boolean' ? { type: 'setAutoExecute', value: value.value } : undefined;
    case 'copyOutput':
      return only('key') && typeof value.key === 'string' && value.key.length > 0 && value.key.length <= MAX_KEY_LENGTH
        ? { type: 'copyOutput', key: value.key }
        : undefined;
    case 'openResource':
    case 'openConsole':
      return only('logicalId') && typeof value.logicalId === 'string' && value.logicalId.length > 0 && value.logicalId.length <= MAX_LOGICAL_ID_LENGTH
        ? { type: value.type, logicalId: value.logicalId }
        : undefined;
    case 'openFinding':
      return only('index') && typeof value.index === 'number' && Number.isInteger(value.index) && value.index >= 0 && value.index < MAX_FINDING_INDEX
        ? { type: 'openFinding', index: value.index }
        : undefined;
    case 'openLink':
      return only('url') && typeof value.url === 'string' && value.url.length <= MAX_URL_LENGTH && safeHref(value.url) === value.url
        ? { type: 'openLink', url: value.url }
        : undefined;
    case 'setOption':
      return only('id', 'value') && isOptionId(value.id) && isOptionValue(value.value) ? { type: 'setOption', id: value.id, value: value.value } : undefined;
    default:
      return undefined;
  }
}

function isOptionId(id: unknown): id is string {
  return typeof id === 'string' && id.length <= MAX_OPTION_LENGTH && OPTION_ID.test(id);
}

function isOptionValue(value: unknown): value is boolean | string {
  return typeof value === 'boolean' || (typeof value === 'string' && value.length <= MAX_OPTION_LENGTH);
}

/** The webview's side of the same check, for messages from the host. */
export function isHostMessage(value: unknown): value is HostMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'snapshot':
      return isRecord(value.model) && Array.isArray(value.model.changes);
    case 'delta':
      return isRecord(value.delta) && isRecord(value.delta.fields) && Array.isArray(value.delta.rows);
    case 'copied':
      return typeof value.key === 'string';
    default:
      return false;
  }
}
