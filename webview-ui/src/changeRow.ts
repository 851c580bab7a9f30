/** One change-list row: built from a ChangeRow alone, so a changed row is simply rebuilt and swapped. */
import type { ChangeRow, Vocabulary } from '../../src/shared/viewModel';
import { codicon, el, type Child } from './dom';
import { resourceLook } from './icons';

let tooltipIds = 0;

function statusCell(row: ChangeRow): HTMLTableCellElement {
  const look = resourceLook(row.status);
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
  return out;
}

function idCell(row: ChangeRow): HTMLTableCellElement {
  if (!row.details || row.details.length === 0) return el('td', { class: 'col-id' }, row.logicalId);
  // Native <details>: keyboard and screen-reader support for free.
  return el(
    'td',
    { class: 'col-id' },
    el(
      'details',
      {},
      el('summary', { title: 'Show what changes' }, row.logicalId),
      el('ul', { class: 'change-details' }, ...row.details.map((line) => el('li', {}, line))),
    ),
  );
}

export function renderRow(row: ChangeRow, words: Vocabulary): HTMLTableRowElement {
  return el(
    'tr',
    { class: `change-row status-${row.status}`, 'data-id': row.logicalId, 'data-status': row.status },
    statusCell(row),
    el('td', { class: `col-action action-${row.action.toLowerCase()}` }, el('span', { class: 'action' }, words.actions[row.action] ?? row.action)),
    idCell(row),
    el('td', { class: 'col-type' }, row.resourceType),
    el('td', { class: 'col-physical', title: row.physicalId }, row.physicalId ?? ''),
    el('td', { class: 'col-badges' }, ...badges(row)),
  );
}
