/**
 * One change-list row: built from a ChangeRow and where it sits (tree, expanded, which columns),
 * so a changed row is simply rebuilt and swapped. Plain elements and no listeners of its own (the
 * table listens once for all rows), because 500 of them must draw within one frame's budget.
 */
import type { ChangeRow, Vocabulary } from '../../src/shared/viewModel';
import { hasDetails } from './changeDetails';
import { codicon, el, type Child } from './dom';
import { resourceLook, type StatusLook } from './icons';
import { timeCell } from './rowTiming';

let tooltipIds = 0;

/** Configured, and the provider waits for it to settle: still running, but the change itself is made. */
const STABILIZING: StatusLook = { icon: 'loading', spin: true, tone: 'progress', label: 'Configured, stabilizing' };

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

const DRIFT_WORDS: Record<string, { text: string; tone: string }> = {
  MODIFIED: { text: 'Modified', tone: 'warning' },
  DELETED: { text: 'Deleted', tone: 'error' },
  IN_SYNC: { text: 'In sync', tone: 'ok' },
  NOT_CHECKED: { text: 'Not checked', tone: 'muted' },
};

function statusCell(row: ChangeRow): HTMLTableCellElement {
  const look = row.stabilizing && row.status === 'inProgress' ? STABILIZING : resourceLook(row.status);
  const reason = row.reason?.trim();
  const spoken = reason ? `${look.label}: ${reason}` : look.label;
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
    out.push(el('span', { class: 'badge badge-danger', title: 'The resource is replaced: a new one is created and the old one deleted.' }, 'Replacement'));
  if (row.replacement === 'Conditional')
    out.push(
      el(
        'span',
        { class: 'badge badge-warning', title: 'The resource may be replaced, depending on property values known only at deploy time.' },
        'May replace',
      ),
    );
  if (row.policyAction)
    out.push(
      el(
        'span',
        {
          class: `badge ${row.policyAction === 'Delete' || row.policyAction === 'ReplaceAndDelete' ? 'badge-danger' : 'badge-neutral'}`,
          title: `Policy action: ${row.policyAction}`,
        },
        row.policyAction,
      ),
    );
  if (row.stabilizing && row.status === 'inProgress') out.push(el('span', { class: 'row-note stabilizing' }, 'configured, stabilizing'));
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
      'aria-label': `What changes in ${row.logicalId}`,
      title: place.expanded ? 'Hide what changes' : 'Show what changes',
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
            'aria-label': `${place.collapsed ? 'Expand' : 'Collapse'} ${name} (${place.children} nested)`,
            title: place.collapsed ? `Show the ${place.children} resources inside` : 'Hide the resources inside',
          },
          codicon(place.collapsed ? 'triangle-right' : 'triangle-down'),
        )
      : place.tree
        ? el('span', { class: 'tree-spacer' })
        : undefined;
  // Both buttons post through the table's one click listener.
  const label = row.hasLocation
    ? el('button', { type: 'button', class: 'link-button resource-link', title: `${row.logicalId}: open in the template` }, name)
    : el('span', { class: 'resource-name', title: row.logicalId }, name);
  const consoleLink = row.hasConsoleLink
    ? el(
        'button',
        { type: 'button', class: 'icon-button console-link', 'aria-label': `Open ${row.logicalId} in the console`, title: 'Open in the console' },
        codicon('link-external'),
      )
    : undefined;
  return el('td', { class: `col-id depth-${depth}` }, treeToggle, label, consoleLink);
}

function driftCell(row: ChangeRow): HTMLTableCellElement {
  if (!row.drift) return el('td', { class: 'col-drift' });
  const words = DRIFT_WORDS[row.drift] ?? { text: row.drift, tone: 'muted' };
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
