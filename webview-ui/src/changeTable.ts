/**
 * The change list. Rows are keyed by logical ID and compared by reference: applyDelta keeps
 * unchanged rows as the same objects, so a status delta rebuilds exactly one <tr>.
 */
import type { ChangeRow, MonitorPhase, MonitorViewModel } from '../../src/shared/viewModel';
import { codicon, el, fill } from './dom';
import { resourceLook } from './icons';
import { renderRow } from './changeRow';
import { changed, type Section, type SectionContext } from './section';

/** Beyond this many rows the list collapses behind "Show more". */
export const COLLAPSED_ROWS = 25;

const LIST_EXPECTED: ReadonlySet<MonitorPhase> = new Set(['starting', 'staging', 'review']);

interface Entry {
  row: ChangeRow;
  tr: HTMLTableRowElement;
}

export class ChangeTable implements Section {
  readonly element = el('section', { class: 'changes', 'aria-labelledby': 'changes-heading' });
  private readonly heading = el('h2', { id: 'changes-heading' });
  private readonly tbody = el('tbody');
  private readonly more = el('vscode-button', { secondary: true, id: 'show-more', class: 'show-more', 'aria-controls': 'change-table' });
  private readonly empty = el('p', { class: 'empty', id: 'changes-empty' });
  /** What executing the reviewed list really does, when the provider's words say it differs from "exactly this". */
  private readonly reviewNote = el('p', { class: 'review-note', id: 'review-note' });
  private readonly wrap = el('div', { class: 'table-wrap' });
  private entries = new Map<string, Entry>();
  private order: string[] = [];
  private expanded = false;
  private readonly actionColumn = el('th', { scope: 'col', id: 'col-action' }, 'Action');
  private readonly idColumn = el('th', { scope: 'col', id: 'col-id' }, 'Logical ID');
  private readonly physicalColumn = el('th', { scope: 'col', id: 'col-physical' }, 'Physical ID');

  constructor(private readonly ctx: SectionContext) {
    const head = el(
      'tr',
      {},
      el('th', { scope: 'col', class: 'col-status' }, el('span', { class: 'visually-hidden' }, 'Status')),
      this.actionColumn,
      this.idColumn,
      el('th', { scope: 'col' }, 'Type'),
      this.physicalColumn,
      el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, 'Replacement and policy')),
    );
    const table = el('table', { class: 'change-table', id: 'change-table', 'aria-labelledby': 'changes-heading' }, el('thead', {}, head), this.tbody);
    this.more.addEventListener('click', () => {
      this.expanded = !this.expanded;
      this.applyCollapse();
    });
    this.wrap.append(table);
    this.reviewNote.hidden = true;
    this.element.append(this.heading, this.reviewNote, this.empty, this.wrap, this.more);
  }

  update(next: MonitorViewModel, prev: MonitorViewModel | undefined): void {
    if (changed(next, prev, 'phase', 'changes')) this.updateHeading(next);
    if (changed(next, prev, 'phase', 'words')) {
      const note = next.phase === 'review' ? next.words.reviewNote : undefined;
      this.reviewNote.hidden = !note;
      this.reviewNote.textContent = note ?? '';
    }
    const wordsChanged = changed(next, prev, 'words');
    if (wordsChanged) {
      this.actionColumn.textContent = next.words.actionColumn;
      this.idColumn.textContent = next.words.idColumn;
      this.physicalColumn.textContent = next.words.physicalColumn;
    }
    if (!changed(next, prev, 'changes') && !wordsChanged) return;
    const ids = next.changes.map((row) => row.logicalId);
    const entries = new Map<string, Entry>();
    next.changes.forEach((row, index) => {
      const old = this.entries.get(row.logicalId);
      if (old && old.row === row && !wordsChanged) {
        entries.set(row.logicalId, old);
        return;
      }
      const tr = renderRow(row, next.words);
      tr.hidden = this.collapsed(index);
      if (old) {
        old.tr.replaceWith(tr);
        if (prev) this.announceChange(old.row, row);
      }
      entries.set(row.logicalId, { row, tr });
    });
    const reordered = ids.length !== this.order.length || ids.some((id, i) => id !== this.order[i]);
    this.entries = entries;
    this.order = ids;
    this.empty.hidden = ids.length > 0;
    this.wrap.hidden = ids.length === 0;
    if (prev && !reordered) return;
    this.tbody.replaceChildren(...ids.map((id) => (entries.get(id) as Entry).tr));
    // Only a changed list needs every row's visibility revisited; a status delta touched one row.
    this.applyCollapse();
  }

  private collapsed(index: number): boolean {
    return !this.expanded && index >= COLLAPSED_ROWS;
  }

  private updateHeading(model: MonitorViewModel): void {
    // "No changes" matters only while changes are expected; after a start error or on an
    // unrecoverable stack, an empty table is noise next to what actually needs reading.
    this.element.hidden = model.changes.length === 0 && !LIST_EXPECTED.has(model.phase);
    const review = model.phase === 'review' || model.phase === 'staging' || model.phase === 'starting';
    const count = model.changes.length;
    fill(this.heading, review ? `Changes to deploy (${count})` : `Resources (${count})`);
    this.empty.textContent = model.phase === 'staging' || model.phase === 'starting' ? `Preparing the ${model.words.staged}…` : 'No resource changes.';
  }

  private applyCollapse(): void {
    const hiddenCount = Math.max(0, this.order.length - COLLAPSED_ROWS);
    this.order.forEach((id, index) => {
      const entry = this.entries.get(id);
      if (entry) entry.tr.hidden = this.collapsed(index);
    });
    this.more.hidden = hiddenCount === 0;
    fill(this.more, codicon(this.expanded ? 'chevron-up' : 'chevron-down'), this.expanded ? ' Show less' : ` Show more (${hiddenCount})`);
    this.more.setAttribute('aria-expanded', String(this.expanded));
  }

  private announceChange(before: ChangeRow, after: ChangeRow): void {
    if (before.status === after.status) return;
    if (after.status !== 'failed' && after.status !== 'succeeded') return;
    const look = resourceLook(after.status);
    this.ctx.announcer.announce(`${after.logicalId} ${look.label.toLowerCase()}${after.reason ? `: ${after.reason}` : ''}`);
  }
}
