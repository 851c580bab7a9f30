/**
 * One change-list row: built from a ChangeRow and where it sits (tree, expanded, which columns),
 * so a changed row is simply rebuilt and swapped. Plain elements and no listeners of its own (the
 * table listens once for all rows), because 500 of them must draw within one frame's budget.
 */
import * as l10n from '@vscode/l10n';
import type { ChangeRow, Vocabulary } from '../../src/shared/viewModel';
import { hasDetails } from './changeDetails';
import { codicon, el, type Child } from './dom';
import { resourceLook, type StatusLook } from './icons';
import { timeCell } from './rowTiming';

let tooltipIds = 0;

/** Configured, and the provider waits for it to settle: still running, but the change itself is made. */
const stabilizing = (): StatusLook => ({ icon: 'loading', spin: true, tone: 'progress', label: l10n.t('Configured, stabilizing') });

/** Where a row sits and what the table shows around it. */
export interface RowPlace {
  words: Vocabulary;
  /** Optional columns: drift when any row has drift, times once any row has started. */
  showDrift: boolean;
  showTime: boolean;
  /** The tree's nesting is drawn (some row has a depth). */
  tree: boolean;
  /** Rows nested directly under this one; 0 for a leaf. */
  children: number;
  collapsed: boolean;
  expanded: boolean;
  /** The id of the row that shows this row's details when expanded. */
  detailId: string;
}

/** How the provider's drift status reads. */
function driftWords(drift: string): { text: string; tone: string } | undefined {
  switch (drift) {
    case 'MODIFIED':
      return { text: l10n.t('Modified'), tone: 'warning' };
    case 'DELETED':
      return { text: l10n.t('Deleted'), tone: 'error' };
    case 'IN_SYNC':
      return { text: l10n.t('In sync'), tone: 'ok' };
    case 'NOT_CHECKED':
      return { text: l10n.t('Not checked'), tone: 'muted' };
    default:
      return undefined;
  }
}

function statusCell(row: ChangeRow): HTMLTableCellElement {
  const look = row.stabilizing && row.status === 'inProgress' ? stabilizing() : resourceLook(row.status);
  const reason = row.reason?.trim();
  const spoken = reason
    ? l10n.t({ message: '{0}: {1}', args: [look.label, reason], comment: ["A row's status, then the provider's reason for it."] })
    : look.label;
  // Focusable only when there is a reason to read, so keyboard users reach every failure's tooltip.
  const tooltipId = reason ? `tip-${++tooltipIds}` : undefined;
  const badge = el(
    'span',
    {
      class: `status-icon tone-${look.tone}`,
      role: 'img',
      'aria-label': spoken,
      // With a reason, the styled tooltip says it; a native title too would show it twice.
      title: reason ? undefined : look.label,
      tabindex: reason ? 0 : undefined,
      'aria-describedby': tooltipId,
    },
    codicon(look.icon, look.spin),
    reason ? el('span', { class: 'tooltip', role: 'tooltip', id: tooltipId }, reason) : undefined,
  );
  return el('td', { class: 'col-status' }, badge);
}

function badges(row: ChangeRow): Child[] {
  const out: Child[] = [];
  if (row.replacement === 'True')
    out.push(
      el(
        'span',
        { class: 'badge badge-danger', title: l10n.t('The resource is replaced: a new one is created and the old one deleted.') },
        l10n.t('Replacement'),
      ),
    );
  if (row.replacement === 'Conditional')
    out.push(
      el(
        'span',
        { class: 'badge badge-warning', title: l10n.t('The resource may be replaced, depending on property values known only at deploy time.') },
        l10n.t('May replace'),
      ),
    );
  if (row.policyAction)
    out.push(
      el(
        'span',
        {
          class: `badge ${row.policyAction === 'Delete' || row.policyAction === 'ReplaceAndDelete' ? 'badge-danger' : 'badge-neutral'}`,
          title: l10n.t('Policy action: {0}', row.policyAction),
        },
        row.policyAction,
      ),
    );
  if (row.stabilizing && row.status === 'inProgress') out.push(el('span', { class: 'row-note stabilizing' }, l10n.t('configured, stabilizing')));
  return out;
}

/** The row's own name: the last segment of a nested key ("Network/Subnet" → "Subnet"). */
export function shortName(logicalId: string): string {
  return logicalId.slice(logicalId.lastIndexOf('/') + 1);
}

function expandCell(row: ChangeRow, place: RowPlace): HTMLTableCellElement {
  if (!hasDetails(row)) return el('td', { class: 'col-expand' });
  const toggle = el(
    'button',
    {
      type: 'button',
      class: 'icon-button details-toggle',
      'aria-expanded': String(place.expanded),
      'aria-controls': place.detailId,
      'aria-label': l10n.t('What changes in {0}', row.logicalId),
      title: place.expanded ? l10n.t('Hide what changes') : l10n.t('Show what changes'),
    },
    codicon(place.expanded ? 'chevron-down' : 'chevron-right'),
  );
  return el('td', { class: 'col-expand' }, toggle);
}

function idCell(row: ChangeRow, place: RowPlace): HTMLTableCellElement {
  const name = shortName(row.logicalId);
  const depth = Math.min(row.depth ?? 0, 6);
  const treeToggle =
    place.children > 0
      ? el(
          'button',
          {
            type: 'button',
            class: 'icon-button tree-toggle',
            'aria-expanded': String(!place.collapsed),
            'aria-label': place.collapsed ? l10n.t('Expand {0} ({1} nested)', name, place.children) : l10n.t('Collapse {0} ({1} nested)', name, place.children),
            title: place.collapsed ? l10n.t('Show the {0} resources inside', place.children) : l10n.t('Hide the resources inside'),
          },
          codicon(place.collapsed ? 'triangle-right' : 'triangle-down'),
        )
      : place.tree
        ? el('span', { class: 'tree-spacer' })
        : undefined;
  // Both buttons post through the table's one click listener.
  const label = row.hasLocation
    ? el('button', { type: 'button', class: 'link-button resource-link', title: l10n.t('{0}: open in the template', row.logicalId) }, name)
    : el('span', { class: 'resource-name', title: row.logicalId }, name);
  const consoleLink = row.hasConsoleLink
    ? el(
        'button',
        {
          type: 'button',
          class: 'icon-button console-link',
          'aria-label': l10n.t('Open {0} in the console', row.logicalId),
          title: l10n.t('Open in the console'),
        },
        codicon('link-external'),
      )
    : undefined;
  return el('td', { class: `col-id depth-${depth}` }, treeToggle, label, consoleLink);
}

function driftCell(row: ChangeRow): HTMLTableCellElement {
  if (!row.drift) return el('td', { class: 'col-drift' });
  const words = driftWords(row.drift) ?? { text: row.drift, tone: 'muted' };
  return el('td', { class: `col-drift tone-${words.tone}`, title: row.drift }, words.text);
}

/** A resource type ("Vendor::Service::Thing") may wrap after each "::" in a narrow column, never inside a word. */
function typeWithBreaks(type: string): Child[] {
  const parts = type.split('::');
  return parts.flatMap((part, index): Child[] => (index < parts.length - 1 ? [`${part}::`, el('wbr')] : [part]));
}

export function renderRow(row: ChangeRow, place: RowPlace): HTMLTableRowElement {
  const tr = el(
    'tr',
    {
      class: `change-row status-${row.status}`,
      'data-id': row.logicalId,
      'data-status': row.status,
      'aria-level': place.tree ? (row.depth ?? 0) + 1 : undefined,
      'aria-expanded': place.tree && place.children > 0 ? String(!place.collapsed) : undefined,
    },
    statusCell(row),
    expandCell(row, place),
    el('td', { class: `col-action action-${row.action.toLowerCase()}` }, el('span', { class: 'action' }, place.words.actions[row.action] ?? row.action)),
    idCell(row, place),
    el('td', { class: 'col-type', title: row.resourceType }, ...typeWithBreaks(row.resourceType)),
    el('td', { class: 'col-physical', title: row.physicalId }, row.physicalId ?? ''),
    place.showDrift ? driftCell(row) : undefined,
    place.showTime ? timeCell(row) : undefined,
    el('td', { class: 'col-badges' }, ...badges(row)),
  );
  return tr;
}
