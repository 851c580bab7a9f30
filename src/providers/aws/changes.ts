/** A CloudFormation change set's resource changes in the port's neutral shape. */
import * as l10n from '@vscode/l10n';
import type { Change as CfnChange, ResourceChangeDetail } from '@aws-sdk/client-cloudformation';
import type { Change, ChangeAction } from '../provider';
import { shownValue, toPropertyChange, withoutUndefined } from './propertyChanges';
import { NO_SECRETS, SecretMasker } from './secretMask';

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
  const base = where || l10n.t({ message: 'Resource', comment: ['In a change list, the property path of a change to the resource as a whole.'] });
  const replaced =
    target.RequiresRecreation === 'Always'
      ? l10n.t('{0} (requires replacement)', base)
      : target.RequiresRecreation === 'Conditionally'
        ? l10n.t('{0} (may require replacement)', base)
        : base;
  if (detail.CausingEntity) return l10n.t('{0} because of {1}', replaced, detail.CausingEntity);
  // CloudFormation's own word for where the change comes from (ResourceAttribute, ParameterReference…).
  if (detail.ChangeSource && detail.ChangeSource !== 'DirectModification') return `${replaced} (${detail.ChangeSource})`;
  return replaced;
}

const NO_MASKER = new SecretMasker(NO_SECRETS);

/**
 * `parent` is the row key of the nested stack this change is in: the row is keyed
 * "Parent/LogicalId". Values pass through `masker` (see secretMask.ts).
 */
export function toChange(cfnChange: CfnChange, masker: SecretMasker = NO_MASKER, parent?: string): Change | undefined {
  const rc = cfnChange.ResourceChange;
  if (!rc?.LogicalResourceId) return undefined;
  const details = (rc.Details ?? []).map(detailLine).filter((line): line is string => line !== undefined);
  const properties = (rc.Details ?? []).map((detail) => toPropertyChange(detail, masker)).filter((p) => p !== undefined);
  const contextMasks = { masked: false };
  const change: Change = {
    logicalId: parent === undefined ? rc.LogicalResourceId : `${parent}/${rc.LogicalResourceId}`,
    parent,
    action: ACTIONS[rc.Action ?? ''] ?? 'Dynamic',
    resourceType: rc.ResourceType ?? 'Unknown',
    physicalId: rc.PhysicalResourceId || undefined,
    replacement: rc.Replacement && REPLACEMENTS.has(rc.Replacement) ? rc.Replacement : undefined,
    policyAction: rc.PolicyAction || undefined,
    scope: rc.Scope && rc.Scope.length > 0 ? [...rc.Scope] : undefined,
    details: details.length > 0 ? [...new Set(details)] : undefined,
    properties: properties.length > 0 ? properties : undefined,
    beforeContext: shownValue(rc.BeforeContext, masker, false, contextMasks),
    afterContext: shownValue(rc.AfterContext, masker, false, contextMasks),
    drift: rc.ResourceDriftStatus,
  };
  return withoutUndefined(change);
}
