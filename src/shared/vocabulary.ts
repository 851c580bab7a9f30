/**
 * The words a provider's users know, carried in the view model so the webview never decides
 * them itself. Each provider supplies its own; Stop differs most, because what a stop leaves
 * behind differs (a rollback, or nothing undone), and the label must say so.
 */
import type { ChangeAction } from '../providers/provider';

export interface Vocabulary {
  /** The service's name, as its users know it. */
  service: string;
  /** What a deployment is aimed at, e.g. 'stack' or 'deployment'. */
  target: string;
  /** The label before the provider's status, e.g. 'stack state'. */
  state: string;
  /** What the provider calls the set of changes staged for review. */
  staged: string;
  /** The first step of getting ready, as the step list and the header name it while it runs. */
  loadStep: string;
  actionColumn: string;
  idColumn: string;
  physicalColumn: string;
  /** How each change action is shown. */
  actions: Record<ChangeAction, string>;
  saveStaged: string;
  /** Tooltip of the Save button. */
  saveStagedHint: string;
  stop: string;
  /** The final summary after the person stopped the deployment. */
  stopped: string;
  /** Shown with the changes under review when executing them is not "exactly this list". */
  reviewNote?: string;
}
