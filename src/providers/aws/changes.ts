/** A CloudFormation change set's resource changes in the port's neutral shape. */
import type { Change as CfnChange, ResourceChangeDetail } from '@aws-sdk/client-cloudformation';
import type { Change, ChangeAction } from '../provider';

const ACTIONS: Record<string, ChangeAction> = {
  Add: 'Add',
  Modify: 'Modify',
  Remove: 'Remove',
  Import: 'Import',
  Dynamic: 'Dynamic',
  // Drift sync changes nothing the template says; it reads best as a modification.
  SyncWithActual: 'Modify',
};

const REPLACEMENTS: ReadonlySet<string> = new Set(['True', 'False', 'Conditional']);

function detailLine(detail: ResourceChangeDetail): string | undefined {
  const target = detail.Target;
  if (!target) return undefined;
  const where = [target.Attribute, target.Name].filter((part) => part).join('.');
  const recreation =
    target.RequiresRecreation === 'Always' ? ' (requires replacement)' : target.RequiresRecreation === 'Conditionally' ? ' (may require replacement)' : '';
  const cause = detail.CausingEntity
    ? ` because of ${detail.CausingEntity}`
    : detail.ChangeSource === 'DirectModification'
      ? ''
      : detail.ChangeSource
        ? ` (${detail.ChangeSource})`
        : '';
  return `${where || 'Resource'}${recreation}${cause}`;
}

export function toChange(cfnChange: CfnChange): Change | undefined {
  const rc = cfnChange.ResourceChange;
  if (!rc?.LogicalResourceId) return undefined;
  const details = (rc.Details ?? []).map(detailLine).filter((line): line is string => line !== undefined);
  const change: Change = {
    logicalId: rc.LogicalResourceId,
    action: ACTIONS[rc.Action ?? ''] ?? 'Dynamic',
    resourceType: rc.ResourceType ?? 'Unknown',
    physicalId: rc.PhysicalResourceId || undefined,
    replacement: rc.Replacement && REPLACEMENTS.has(rc.Replacement) ? rc.Replacement : undefined,
    policyAction: rc.PolicyAction || undefined,
    scope: rc.Scope && rc.Scope.length > 0 ? [...rc.Scope] : undefined,
    details: details.length > 0 ? [...new Set(details)] : undefined,
  };
  // Absent rather than undefined: the change list is persisted and sent to the webview as JSON.
  for (const key of Object.keys(change) as Array<keyof Change>) if (change[key] === undefined) delete change[key];
  return change;
}
