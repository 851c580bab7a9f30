/**
 * What an expanded change row shows: each changed property with its path, change type, whether it
 * replaces the resource, why it changes and its before → after; long values as a line diff; the
 * whole resource's before/after when no property list says more; and drift's previous/actual.
 */
import * as l10n from '@vscode/l10n';
import type { ChangeRow } from '../../src/shared/viewModel';
import { el, withParts, type Child } from './dom';
import { lineDiff, withContext } from './lineDiff';
import { secretText, contextLines, isLong, isSecret, prettyJson } from './valueText';

type PropertyChange = NonNullable<ChangeRow['properties']>[number];

/** Unchanged lines kept around each change in a diff; longer unchanged runs fold into "… N unchanged lines". */
const DIFF_CONTEXT_LINES = 3;

/** How a property's RequiresRecreation value reads ("Always", "Conditionally" are the provider's values). */
function recreationOf(value: string): { text: string; badge: string } | undefined {
  if (value === 'Always') return { text: l10n.t('requires replacement'), badge: 'badge-danger' };
  if (value === 'Conditionally') return { text: l10n.t('may require replacement'), badge: 'badge-warning' };
  return undefined;
}

/** True when the row has anything to show expanded. */
export function hasDetails(row: ChangeRow): boolean {
  return (row.properties?.length ?? 0) > 0 || (row.details?.length ?? 0) > 0 || row.beforeContext !== undefined || row.afterContext !== undefined;
}

export function renderDetails(row: ChangeRow): HTMLElement {
  const properties = row.properties ?? [];
  const parts: Child[] = [];
  if (properties.length > 0) {
    parts.push(el('ul', { class: 'property-list', 'aria-label': l10n.t('Changed properties of {0}', row.logicalId) }, ...properties.map(propertyItem)));
  } else if (row.details && row.details.length > 0) {
    parts.push(el('ul', { class: 'change-details' }, ...row.details.map((line) => el('li', {}, line))));
  }
  if (properties.length === 0 && (row.beforeContext !== undefined || row.afterContext !== undefined)) {
    parts.push(
      el('p', { class: 'detail-caption' }, l10n.t('The resource before and after:')),
      diffBlock(contextLines(row.beforeContext), contextLines(row.afterContext), l10n.t('{0} before and after', row.logicalId)),
    );
  }
  return el('div', { class: 'change-detail' }, ...parts);
}

function propertyItem(property: PropertyChange): HTMLLIElement {
  const recreation = property.requiresRecreation ? recreationOf(property.requiresRecreation) : undefined;
  const why = [property.changeSource, property.causingEntity ? l10n.t('caused by {0}', property.causingEntity) : undefined].filter(Boolean).join(', ');
  return el(
    'li',
    { class: 'property', 'data-path': property.path },
    el(
      'div',
      { class: 'property-head' },
      el('code', { class: 'property-path' }, property.path),
      property.changeType ? el('span', { class: 'badge badge-neutral property-change' }, property.changeType) : undefined,
      recreation ? el('span', { class: `badge ${recreation.badge} property-recreation` }, recreation.text) : undefined,
      why ? el('span', { class: 'muted property-source' }, why) : undefined,
    ),
    values(property.before, property.after, property.masked, property.path),
    property.drift
      ? el(
          'div',
          { class: 'property-drift' },
          el('span', { class: 'muted' }, l10n.t('Drift: ')),
          ...withParts(
            l10n.t('last deployed {0}, live now {1}'),
            valueText(property.drift.previous, property.masked),
            valueText(property.drift.actual, property.masked),
          ),
        )
      : undefined,
  );
}

/** Short values inline ("a → b"); long ones, when neither is secret, as a diff of their pretty-printed lines. */
function values(before: string | undefined, after: string | undefined, masked: boolean | undefined, path: string): HTMLElement | undefined {
  if (before === undefined && after === undefined) return undefined;
  const secret = isSecret(before, masked) || isSecret(after, masked);
  if (!secret && (isLong(before) || isLong(after))) {
    const lines = (value: string | undefined) => (value === undefined ? [] : prettyJson(value).split('\n'));
    return diffBlock(lines(before), lines(after), l10n.t('{0} before and after', path));
  }
  return el(
    'div',
    { class: 'property-values' },
    valueText(before, masked, 'value-before'),
    el('span', { class: 'arrow', 'aria-label': l10n.t('becomes') }, ' → '),
    valueText(after, masked, 'value-after'),
  );
}

function valueText(value: string | undefined, masked: boolean | undefined, side = ''): HTMLElement {
  if (value === undefined) return el('span', { class: `value value-none muted ${side}` }, l10n.t('(not set)'));
  if (isSecret(value, masked)) return el('span', { class: `value value-secret ${side}` }, secretText());
  return el('code', { class: `value ${side}` }, value);
}

const SIGN = { same: ' ', added: '+', removed: '-' } as const;
/** What a screen reader hears before a changed line (the sign is hidden from it). */
function spoken(kind: 'same' | 'added' | 'removed'): string {
  if (kind === 'added') return l10n.t('added: ');
  if (kind === 'removed') return l10n.t('removed: ');
  return '';
}

function diffBlock(before: string[], after: string[], label: string): HTMLElement {
  const lines = withContext(lineDiff(before, after), DIFF_CONTEXT_LINES);
  return el(
    'div',
    { class: 'value-diff', role: 'group', 'aria-label': label },
    ...lines.map((line) =>
      line.kind === 'skipped'
        ? el('div', { class: 'diff-line diff-skipped' }, line.count === 1 ? l10n.t('⋯ 1 unchanged line') : l10n.t('⋯ {0} unchanged lines', line.count))
        : el(
            'div',
            { class: `diff-line diff-${line.kind}` },
            el('span', { class: 'diff-sign', 'aria-hidden': 'true' }, SIGN[line.kind]),
            line.kind === 'same' ? undefined : el('span', { class: 'visually-hidden' }, spoken(line.kind)),
            el('span', { class: 'diff-text' }, line.text),
          ),
    ),
  );
}
