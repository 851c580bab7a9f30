/**
 * Drift in the review: what a preview's refresh found changed outside Terraform
 * (`previews.resourceDrifts`, Schema$ResourceDrift). A drifted resource the preview changes gets
 * detail lines on its row; one it leaves alone gets a row of its own with action 'None', so the
 * person sees it either way. Values are shown short, sensitive ones never.
 */
import * as l10n from '@vscode/l10n';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import type { Change } from '../provider';

/** Detail lines are read in a table cell: a long value is cut, not wrapped over the page. */
const MAX_VALUE_CHARS = 60;
/** What a sensitive value is shown as. */
function driftMask(): string {
  return l10n.t({ message: '(sensitive)', comment: ['Shown instead of a sensitive value that drifted.'] });
}

function shown(value: unknown): string {
  if (value === undefined || value === null) return l10n.t({ message: '(none)', comment: ['Shown for a value that is not set.'] });
  // Every JSON value (what the API sends) has a JSON form; anything else is named by its kind.
  const text = JSON.stringify(value) ?? `(${typeof value})`;
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

function driftLine(property: config_v1.Schema$PropertyDrift): string | undefined {
  if (!property.path) return undefined;
  // Any sensitive path inside the property hides both sides: a part of a secret is still a secret.
  const sensitive = (property.beforeSensitivePaths?.length ?? 0) > 0 || (property.afterSensitivePaths?.length ?? 0) > 0;
  const before: unknown = property.before;
  const after: unknown = property.after;
  return l10n.t('drifted outside Terraform: {0}: {1} → {2}', property.path, sensitive ? driftMask() : shown(before), sensitive ? driftMask() : shown(after));
}

function typeOf(drift: config_v1.Schema$ResourceDrift, address: string): string {
  if (drift.terraformInfo?.type) return drift.terraformInfo.type;
  // module.x.google_storage_bucket.data[0] → google_storage_bucket
  const parts = address.replace(/\[[^\]]*\]/g, '').split('.');
  return parts.length >= 2 ? (parts[parts.length - 2] ?? 'Unknown') : 'Unknown';
}

/** The review's rows with the drift added: detail lines on changed resources, a 'None' row for the rest. */
export function withDrift(changes: readonly Change[], drifts: readonly config_v1.Schema$ResourceDrift[]): Change[] {
  const rows = changes.map((c) => ({ ...c, ...(c.details ? { details: [...c.details] } : {}) }));
  for (const drift of drifts) {
    const address = drift.terraformInfo?.address;
    if (!address) continue;
    const lines = (drift.propertyDrifts ?? []).map(driftLine).filter((l): l is string => l !== undefined);
    const row = rows.find((c) => c.logicalId === address);
    if (row) {
      row.details = [...(row.details ?? []), ...(lines.length > 0 ? lines : [l10n.t('drifted outside Terraform')])];
      continue;
    }
    rows.push({
      logicalId: address,
      action: 'None',
      resourceType: typeOf(drift, address),
      details: [l10n.t('Drifted outside Terraform; this plan does not change it, so the drift stays after the apply.'), ...lines],
    });
  }
  return rows;
}
