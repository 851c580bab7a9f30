/**
 * Which staged changes always wait for a person, even with auto-execute on: replacing or
 * deleting a data store loses data, and so does any deletion policy that deletes or replaces.
 */
import * as l10n from '@vscode/l10n';
import type { Change } from '../providers/provider';
import { allDescriptors } from '../providers/registry';

/**
 * The resource types every registered provider says hold data or hide changes of their own. Type
 * names are the provider's own (each names its provider), so one union serves every deployment.
 */
let reviewTypes: { dataStores: ReadonlySet<string>; nestedTargets: ReadonlySet<string> } | undefined;

function knownTypes(): { dataStores: ReadonlySet<string>; nestedTargets: ReadonlySet<string> } {
  reviewTypes ??= {
    dataStores: new Set(allDescriptors().flatMap((d) => [...d.review.dataStores])),
    nestedTargets: new Set(allDescriptors().flatMap((d) => [...d.review.nestedTargets])),
  };
  return reviewTypes;
}

export function isDataStore(resourceType: string): boolean {
  return knownTypes().dataStores.has(resourceType);
}

/** Deletion policies that delete or replace what exists (the provider's policy action on a change). */
function policyDestroys(policyAction: string | undefined): boolean {
  return policyAction !== undefined && /^(Delete|Replace)/.test(policyAction);
}

/** Why this change must wait for a person, or undefined when auto-execute may run it. */
export function reviewReason(change: Change): string | undefined {
  const replaces = change.action === 'Modify' && (change.replacement === 'True' || change.replacement === 'Conditional');
  // Nested targets: their own changes (a database replaced inside) are not in this change list.
  if (knownTypes().nestedTargets.has(change.resourceType) && (change.action === 'Modify' || change.action === 'Remove' || change.action === 'Dynamic')) {
    return change.action === 'Remove'
      ? l10n.t('nested stack {0} ({1}) would be deleted, and what changes inside it is not listed here', change.logicalId, change.resourceType)
      : l10n.t('nested stack {0} ({1}) would be changed, and what changes inside it is not listed here', change.logicalId, change.resourceType);
  }
  if (isDataStore(change.resourceType)) {
    if (change.action === 'Remove') return l10n.t('{0} ({1}) would be deleted', change.logicalId, change.resourceType);
    // What a dynamic change does is decided at deploy time: it may replace the data store.
    if (change.action === 'Dynamic') return l10n.t('{0} ({1}) changes in a way decided only at deploy time', change.logicalId, change.resourceType);
    if (replaces)
      return change.replacement === 'Conditional'
        ? l10n.t('{0} ({1}) would be replaced (conditionally)', change.logicalId, change.resourceType)
        : l10n.t('{0} ({1}) would be replaced', change.logicalId, change.resourceType);
  }
  if (policyDestroys(change.policyAction))
    return l10n.t('{0} ({1}) has deletion policy action {2}', change.logicalId, change.resourceType, change.policyAction ?? '');
  return undefined;
}

/** Every reason the staged changes must wait for review, at most `limit` of them, in change order. */
export function reviewReasons(changes: readonly Change[], limit = 5): { reasons: string[]; more: number } {
  const all = changes.map(reviewReason).filter((r): r is string => r !== undefined);
  return { reasons: all.slice(0, limit), more: Math.max(0, all.length - limit) };
}

export function heldForReviewNotice(changes: readonly Change[]): string | undefined {
  const { reasons, more } = reviewReasons(changes);
  if (reasons.length === 0) return undefined;
  const listed = reasons.join('; ');
  const list =
    more > 0 ? l10n.t({ message: '{0}; and {1} more', args: [listed, more], comment: ['{0} is a list of reasons, separated by semicolons.'] }) : listed;
  return l10n.t(
    'Auto-execute is on, but these changes wait for your review because they can lose data: {0}. Execute them yourself, or set stackwatch.autoExecuteDestructive to let auto-execute run such changes.',
    list,
  );
}
