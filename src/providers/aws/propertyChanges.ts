/**
 * One ResourceChangeDetail as the review's PropertyChange: where, how, why, and the values
 * before and after (DescribeChangeSet with IncludePropertyValues), masked and bounded.
 */
import * as l10n from '@vscode/l10n';
import type { ResourceChangeDetail } from '@aws-sdk/client-cloudformation';
import { MAX_PROPERTY_VALUE_CHARS, type PropertyChange, SECRET_MASK } from '../provider';
import type { SecretMasker } from './secretMask';

const CHANGE_TYPES: Record<string, PropertyChange['changeType']> = {
  Add: 'Add',
  Remove: 'Remove',
  Modify: 'Modify',
  // Drift-aware staging sets the live value back to the template's: a modification to read.
  SyncWithActual: 'Modify',
};

const RECREATIONS: ReadonlySet<string> = new Set(['Never', 'Conditionally', 'Always']);

/** "/Properties/Tags/0/Value" (a JSON pointer) as "Properties.Tags[0].Value". */
export function pointerToPath(pointer: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  let path = '';
  for (const part of parts) path += /^\d+$/.test(part) ? `[${part}]` : path === '' ? part : `.${part}`;
  return path;
}

/** Longer values end in "…" so one property cannot grow a persisted change list without bound. */
export function boundedValue(text: string): string {
  return text.length <= MAX_PROPERTY_VALUE_CHARS ? text : `${text.slice(0, MAX_PROPERTY_VALUE_CHARS - 1)}…`;
}

/**
 * A value as shown: secrets replaced first (so a cut can never leave half a secret), then cut.
 * `wholesale` masks it entirely (a property a NoEcho parameter causes).
 */
export function shownValue(value: string | undefined, masker: SecretMasker, wholesale: boolean, masks: { masked: boolean }): string | undefined {
  if (value === undefined) return undefined;
  if (wholesale) {
    masks.masked = true;
    return SECRET_MASK;
  }
  const { text, masked } = masker.mask(value);
  if (masked) masks.masked = true;
  return boundedValue(text);
}

export function toPropertyChange(detail: ResourceChangeDetail, masker: SecretMasker): PropertyChange | undefined {
  const target = detail.Target;
  if (!target) return undefined;
  const path = target.Path ? pointerToPath(target.Path) : [target.Attribute, target.Name].filter((part) => part).join('.');
  const wholesale = masker.isSecretEntity(detail.CausingEntity);
  const masks = { masked: false };
  const drift = target.Drift
    ? {
        previous: shownValue(target.Drift.PreviousValue, masker, wholesale, masks),
        actual: shownValue(target.Drift.ActualValue, masker, wholesale, masks),
      }
    : undefined;
  const change: PropertyChange = {
    path: path || l10n.t({ message: 'Resource', comment: ['In a change list, the property path of a change to the resource as a whole.'] }),
    changeType: CHANGE_TYPES[target.AttributeChangeType ?? ''],
    requiresRecreation: target.RequiresRecreation && RECREATIONS.has(target.RequiresRecreation) ? target.RequiresRecreation : undefined,
    changeSource: detail.ChangeSource,
    causingEntity: detail.CausingEntity,
    before: shownValue(target.BeforeValue, masker, wholesale, masks),
    after: shownValue(target.AfterValue, masker, wholesale, masks),
    drift: drift && (drift.previous !== undefined || drift.actual !== undefined) ? withoutUndefined(drift) : undefined,
    masked: masks.masked || undefined,
  };
  return withoutUndefined(change);
}

/** Absent rather than undefined: the change list is persisted and sent to the webview as JSON. */
export function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] === undefined) delete value[key];
  return value;
}
