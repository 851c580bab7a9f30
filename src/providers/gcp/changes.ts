/** An Infrastructure Manager preview's resource changes in the port's neutral shape. */
import * as l10n from '@vscode/l10n';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import type { Change, ChangeAction } from '../provider';

const INTENTS: Record<string, ChangeAction> = {
  CREATE: 'Add',
  UPDATE: 'Modify',
  DELETE: 'Remove',
  // Terraform destroys and creates it again: a modification that replaces the resource.
  RECREATE: 'Modify',
};

/** Property paths that change; values are left out, they may be secrets and the list is persisted. */
function detailLines(change: config_v1.Schema$ResourceChange): string[] {
  const lines: string[] = [];
  for (const property of change.propertyChanges ?? []) {
    if (!property.path) continue;
    const sensitive = (property.afterSensitivePaths?.length ?? 0) > 0 || (property.beforeSensitivePaths?.length ?? 0) > 0;
    lines.push(
      sensitive
        ? l10n.t({ message: '{0} (sensitive)', args: [property.path], comment: ['A property path whose value Terraform marks sensitive.'] })
        : property.path,
    );
  }
  return [...new Set(lines)];
}

/** Undefined for UNCHANGED and for entries without an address: there is nothing to show. */
export function toChange(change: config_v1.Schema$ResourceChange): Change | undefined {
  const info = change.terraformInfo;
  const address = info?.address;
  const intent = change.intent ?? '';
  if (!address || intent === 'UNCHANGED') return undefined;
  const details = detailLines(change);
  const result: Change = {
    logicalId: address,
    action: INTENTS[intent] ?? 'Dynamic',
    resourceType: info.type ?? 'Unknown',
  };
  if (intent === 'RECREATE') result.replacement = 'True';
  else if (intent === 'UPDATE') result.replacement = 'False';
  if (details.length > 0) result.details = details;
  return result;
}
