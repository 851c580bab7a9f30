/**
 * The change list. Rows are keyed by logical ID and compared by reference: applyDelta keeps
 * unchanged rows as the same objects, so a status delta rebuilds exactly one <tr>. A row's details
 * open in a full-width row below it, and nested rows fold under their parent; both states are the
 * table's, so they survive the row being rebuilt.
 */
import * as l10n from '@vscode/l10n';
import type { ChangeRow, MonitorPhase, MonitorViewModel } from '../../src/shared/viewModel';
import { hasDetails, renderDetails } from './changeDetails';
import { renderRow, type RowPlace } from './changeRow';
import { ChangeTree } from './changeTree';
import { codicon, el, fill } from './dom';
import { DurationTicker, hasTiming } from './rowTiming';
import { changed, type Section, type SectionContext } from './section';

/** Beyond this many rows the list collapses behind "Show more". */
export const COLLAPSED_ROWS = 25;

/** An empty list says "No resource changes" only in the review: before it nothing is staged to list yet. */
const LIST_EXPECTED: ReadonlySet<MonitorPhase> = new Set(['review']);

interface Entry {
  row: ChangeRow;
  tr: HTMLTableRowElement;
  /** The full-width row with its details, while they are open. */
  detail?: HTMLTableRowElement;
  children: number;
}

interface Columns {
  drift: boolean;
  /** Some row has a start or an expected time. */
  time: boolean;
  /** Some row has started: the time column is headed "Started", else "Expected". */
  started: boolean;
  tree: boolean;
}

let detailIds = 0;

export class ChangeTable implements Section {
  readonly element = el('section', { class: 'changes', 'aria-labelledby': 'changes-heading' });
  private readonly heading = el('h2', { id: 'changes-heading' });
  private readonly colgroup = el('colgroup');
  private readonly headRow = el('tr');
  private readonly tbody = el('tbody');
  private readonly table = el('table', { class: 'change-table', id: 'change-table', 'aria-labelledby': 'changes-heading' });
  private readonly more = el('vscode-button', { secondary: true, id: 'show-more', class: 'show-more', 'aria-controls': 'change-table' });
  private readonly empty = el('p', { class: 'empty', id: 'changes-empty' });
  /** What executing the reviewed list really does, when the provider's words say it differs from "exactly this". */
  private readonly reviewNote = el('p', { class: 'review-note', id: 'review-note' });
  private readonly wrap = el('div', { class: 'table-wrap' });
  private entries = new Map<string, Entry>();
  private order: string[] = [];
  private expanded = false;
  private readonly open = new Set<string>();
  private readonly detailIds = new Map<string, string>();
  private readonly tree = new ChangeTree();
  private readonly ticker = new DurationTicker();
  private columns: Columns = { drift: false, time: false, started: false, tree: false };
  private model: MonitorViewModel | undefined;

  constructor(private readonly ctx: SectionContext) {
    this.table.append(this.colgroup, el('thead', {}, this.headRow), this.tbody);
    this.more.addEventListener('click', () => {
      this.expanded = !this.expanded;
      this.applyVisibility();
    });
    this.tbody.addEventListener('click', (event) => this.onClick(event));
    this.tbody.addEventListener('keydown', (event) => this.onKey(event));
    this.wrap.append(this.table);
    this.reviewNote.hidden = true;
    this.element.append(this.heading, this.reviewNote, this.empty, this.wrap, this.more);
  }

  update(next: MonitorViewModel, prev: MonitorViewModel | undefined): void {
    // Another deployment in the same panel starts with every row closed and every parent open.
    if (this.model && this.model.deploymentId !== next.deploymentId) {
      this.open.clear();
      this.tree.expandAll();
    }
    this.model = next;
    if (changed(next, prev, 'phase', 'changes')) this.updateHeading(next);
    if (changed(next, prev, 'phase', 'words')) {
      const note = next.phase === 'review' ? next.words.reviewNote : undefined;
      this.reviewNote.hidden = !note;
      this.reviewNote.textContent = note ?? '';
    }
    const wordsChanged = changed(next, prev, 'words');
    if (!changed(next, prev, 'changes') && !wordsChanged) return;
    // A status delta: the same rows in the same places, one or two of them new objects.
    if (prev && !wordsChanged && this.patch(next.changes, prev.changes)) return;
    this.renderAll(next, prev !== undefined && !wordsChanged);
  }

  /**
   * Rebuilds just the rows that changed, when nothing around them did: the same IDs in the same
   * order, the same nesting, and no column appearing or going. False when a full render is needed.
   * This is the path every status delta takes, so it reads the rows once and touches only theirs.
   */
  private patch(rows: readonly ChangeRow[], before: readonly ChangeRow[]): boolean {
    if (rows.length !== this.order.length || before.length !== rows.length) return false;
    const replaced: Array<[Entry, ChangeRow, number]> = [];
    for (let index = 0; index < rows.length; index++) {
      const row = rows[index];
      // applyDelta keeps every untouched row as the same object: one comparison each, no lookups.
      if (row === before[index]) continue;
      if (row.logicalId !== this.order[index]) return false;
      const old = this.entries.get(row.logicalId);
      if (!old) return false;
      if (old.row === row) continue;
      if (!this.sameShape(old.row, row)) return false;
      replaced.push([old, row, index]);
    }
    for (const [old, row, index] of replaced) {
      const entry = this.build(row);
      old.tr.replaceWith(entry.tr);
      if (old.detail && entry.detail) old.detail.replaceWith(entry.detail);
      else old.detail?.remove();
      this.entries.set(row.logicalId, entry);
      this.setVisibility(entry, index);
      this.ticker.update(entry);
      this.announceChange(old.row, row);
    }
    return true;
  }

  /** Nothing that decides the tree or the columns differs between the two versions of a row. */
  private sameShape(before: ChangeRow, after: ChangeRow): boolean {
    return (
      before.parent === after.parent &&
      before.depth === after.depth &&
      (before.drift !== undefined) === (after.drift !== undefined) &&
      hasTiming(before) === hasTiming(after) &&
      // The first row to start turns the time column's heading from "Expected" to "Started".
      (this.columns.started || after.startedAt === undefined)
    );
  }

  /** Every row, into a fragment that replaces the table body once; unchanged rows are kept when `keep`. */
  private renderAll(next: MonitorViewModel, keep: boolean): void {
    const columns: Columns = {
      drift: next.changes.some((row) => row.drift !== undefined),
      time: next.changes.some(hasTiming),
      started: next.changes.some((row) => row.startedAt !== undefined),
      tree: false,
    };
    this.tree.setRows(next.changes);
    columns.tree = this.tree.nested;
    const columnsChanged = (Object.keys(columns) as Array<keyof Columns>).some((key) => columns[key] !== this.columns[key]);
    this.columns = columns;
    if (!keep || columnsChanged) this.renderHead(next);
    const reuse = keep && !columnsChanged;
    const previous = this.entries;
    this.entries = new Map();
    this.order = next.changes.map((row) => row.logicalId);
    const body = document.createDocumentFragment();
    next.changes.forEach((row, index) => {
      const old = previous.get(row.logicalId);
      const entry = reuse && old && old.row === row && old.children === this.tree.children(row.logicalId) ? old : this.build(row);
      if (old && old !== entry && keep) this.announceChange(old.row, row);
      this.entries.set(row.logicalId, entry);
      // Set while detached, so the page lays out once, when the fragment goes in.
      this.setVisibility(entry, index);
      body.append(entry.tr);
      if (entry.detail) body.append(entry.detail);
    });
    this.empty.hidden = this.order.length > 0;
    this.wrap.hidden = this.order.length === 0;
    this.ticker.track(this.entries.values());
    this.tbody.replaceChildren(body);
    this.updateMore();
  }

  private setVisibility(entry: Entry, index: number): void {
    entry.tr.hidden = this.collapsed(index) || this.tree.isHidden(entry.row.logicalId);
    if (entry.detail) entry.detail.hidden = entry.tr.hidden;
  }

  private build(row: ChangeRow): Entry {
    const model = this.model as MonitorViewModel;
    const id = row.logicalId;
    let detailId = this.detailIds.get(id);
    if (!detailId) {
      detailId = `detail-${++detailIds}`;
      this.detailIds.set(id, detailId);
    }
    const place: RowPlace = {
      words: model.words,
      showDrift: this.columns.drift,
      showTime: this.columns.time,
      tree: this.columns.tree,
      children: this.tree.children(id),
      collapsed: this.tree.isCollapsed(id),
      // A row that has nothing more to show has no details row, whatever was open before.
      expanded: this.open.has(id) && hasDetails(row),
      detailId,
    };
    const tr = renderRow(row, place);
    const span = tr.cells.length;
    const detail = place.expanded
      ? el('tr', { class: 'detail-row', id: detailId, 'data-detail-for': id }, el('td', { colspan: span }, renderDetails(row)))
      : undefined;
    return { row, tr, detail, children: place.children };
  }

  private renderHead(model: MonitorViewModel): void {
    const hidden = (text: string) => el('span', { class: 'visually-hidden' }, text);
    const { drift, time } = this.columns;
    fill(
      this.headRow,
      el('th', { scope: 'col', class: 'col-status' }, hidden(l10n.t('Status'))),
      el('th', { scope: 'col', class: 'col-expand' }, hidden(l10n.t('Details'))),
      el('th', { scope: 'col', id: 'col-action' }, model.words.actionColumn),
      el('th', { scope: 'col', id: 'col-id' }, model.words.idColumn),
      el('th', { scope: 'col' }, l10n.t({ message: 'Type', comment: ['Column header of the change list: the resource type.'] })),
      el('th', { scope: 'col', id: 'col-physical' }, model.words.physicalColumn),
      drift
        ? el(
            'th',
            { scope: 'col', id: 'col-drift' },
            l10n.t({ message: 'Drift', comment: ['Column header of the change list: whether the live resource differs from the deployed one.'] }),
          )
        : undefined,
      time
        ? el(
            'th',
            { scope: 'col', id: 'col-time' },
            this.columns.started
              ? l10n.t({ message: 'Started', comment: ['Column header of the change list: when each resource started, and for how long.'] })
              : l10n.t({ message: 'Expected', comment: ['Column header of the change list: how long each resource is expected to take.'] }),
          )
        : undefined,
      el('th', { scope: 'col' }, hidden(l10n.t('Replacement and policy'))),
    );
    const names = ['status', 'expand', 'action', 'id', 'type', 'physical', drift ? 'drift' : '', time ? 'time' : '', 'badges'].filter(Boolean);
    fill(this.colgroup, ...names.map((name) => el('col', { class: `w-${name}` })));
    // A treegrid only when there is a tree: rows then carry their level and whether they are open.
    if (this.columns.tree) this.table.setAttribute('role', 'treegrid');
    else this.table.removeAttribute('role');
  }

  /** The one listener for every row's buttons: folding, details, and opening the template or the console. */
  private onClick(event: MouseEvent): void {
    const target = event.target instanceof Element ? event.target : undefined;
    // l10n-exempt: a CSS selector
    const button = target?.closest('button.tree-toggle, button.details-toggle, button.resource-link, button.console-link');
    const id = button?.closest('tr')?.getAttribute('data-id');
    if (!button || !id) return;
    if (button.classList.contains('tree-toggle')) this.setCollapsed(id, !this.tree.isCollapsed(id));
    else if (button.classList.contains('details-toggle')) this.setOpen(id, !this.open.has(id));
    else if (button.classList.contains('resource-link')) this.ctx.post({ type: 'openResource', logicalId: id });
    else this.ctx.post({ type: 'openConsole', logicalId: id });
  }

  /** On a nested-rows toggle, Left folds and Right unfolds, as in a tree. */
  private onKey(event: KeyboardEvent): void {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const target = event.target instanceof Element ? event.target : undefined;
    if (!target?.classList.contains('tree-toggle')) return;
    const id = target.closest('tr')?.getAttribute('data-id');
    if (!id) return;
    event.preventDefault();
    this.setCollapsed(id, event.key === 'ArrowLeft');
  }

  private setCollapsed(id: string, collapsed: boolean): void {
    if (this.tree.isCollapsed(id) === collapsed) return;
    this.tree.setCollapsed(id, collapsed);
    this.rebuild(id, '.tree-toggle');
    this.applyVisibility();
    this.ctx.announcer.announce(collapsed ? l10n.t('Collapsed {0}', id) : l10n.t('Expanded {0}', id));
  }

  private setOpen(id: string, open: boolean): void {
    if (open) this.open.add(id);
    else this.open.delete(id);
    this.rebuild(id, '.details-toggle');
    this.applyVisibility();
  }

  /** Rebuilds one row in place, keeping keyboard focus on the control that was pressed. */
  private rebuild(id: string, focus: string): void {
    const old = this.entries.get(id);
    if (!old) return;
    const hadFocus = old.tr.contains(document.activeElement);
    const entry = this.build(old.row);
    old.tr.replaceWith(entry.tr);
    if (old.detail) old.detail.remove();
    if (entry.detail) entry.tr.after(entry.detail);
    this.entries.set(id, entry);
    this.ticker.update(entry);
    if (hadFocus) entry.tr.querySelector<HTMLElement>(focus)?.focus();
  }

  private collapsed(index: number): boolean {
    return !this.expanded && index >= COLLAPSED_ROWS;
  }

  private updateHeading(model: MonitorViewModel): void {
    // No table before anything is staged (the step list says what is being done), nor after
    // a start error or on an unrecoverable target, where it is noise next to what needs reading.
    this.element.hidden = model.changes.length === 0 && !LIST_EXPECTED.has(model.phase);
    const review = model.phase === 'review' || model.phase === 'staging' || model.phase === 'starting';
    const count = model.changes.length;
    fill(this.heading, review ? l10n.t('Changes to deploy ({0})', count) : l10n.t('Resources ({0})', count));
    this.empty.textContent = l10n.t('No resource changes.');
  }

  private applyVisibility(): void {
    this.order.forEach((id, index) => {
      const entry = this.entries.get(id);
      if (entry) this.setVisibility(entry, index);
    });
    this.updateMore();
  }

  private updateMore(): void {
    const hiddenCount = Math.max(0, this.order.length - COLLAPSED_ROWS);
    this.more.hidden = hiddenCount === 0;
    fill(this.more, codicon(this.expanded ? 'chevron-up' : 'chevron-down'), ` ${this.expanded ? l10n.t('Show less') : l10n.t('Show more ({0})', hiddenCount)}`);
    this.more.setAttribute('aria-expanded', String(this.expanded));
  }

  private announceChange(before: ChangeRow, after: ChangeRow): void {
    if (before.status === after.status) return;
    if (after.status !== 'failed' && after.status !== 'succeeded') return;
    const id = after.logicalId;
    if (after.status === 'succeeded') this.ctx.announcer.announce(l10n.t('{0} succeeded', id));
    else this.ctx.announcer.announce(after.reason ? l10n.t('{0} failed: {1}', id, after.reason) : l10n.t('{0} failed', id));
  }
}
