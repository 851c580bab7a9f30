/**
 * A row's start time (local, "14:03:12") and how long it took ("1 min 12 s"). A row still in
 * progress counts up: one timer for the whole table refreshes just those cells, once a second.
 */
import type { ChangeRow } from '../../src/shared/viewModel';
import { el } from './dom';

const TICK_MS = 1000;

/** "14:03:12" in the person's time zone, 24-hour whatever the locale, so the column keeps one width. */
export function localTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
}

/** "12 s", "1 min 12 s", "2 min", "1 h 3 min". */
export function durationText(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

/** Still running: its duration counts up until the provider says it settled. */
export function isLive(row: ChangeRow): boolean {
  return row.startedAt !== undefined && row.endedAt === undefined && (row.status === 'inProgress' || row.status === 'rollingBack');
}

function durationOf(row: ChangeRow, now: number): string | undefined {
  if (!row.startedAt) return undefined;
  const start = Date.parse(row.startedAt);
  const end = row.endedAt ? Date.parse(row.endedAt) : isLive(row) ? now : NaN;
  return Number.isNaN(start) || Number.isNaN(end) ? undefined : durationText(end - start);
}

export function timeCell(row: ChangeRow): HTMLTableCellElement {
  if (!row.startedAt) return el('td', { class: 'col-time' });
  const duration = durationOf(row, Date.now());
  return el(
    'td',
    {
      class: 'col-time',
      title: `Started ${new Date(row.startedAt).toLocaleString()}${row.endedAt ? `, settled ${new Date(row.endedAt).toLocaleString()}` : ''}`,
    },
    el('time', { class: 'started', datetime: row.startedAt }, localTime(row.startedAt)),
    duration ? el('span', { class: 'duration muted' }, duration) : undefined,
  );
}

/** Keeps the live rows' durations counting; started and stopped with the set of live rows. */
export class DurationTicker {
  private timer: number | undefined;
  private live: Array<{ row: ChangeRow; tr: HTMLTableRowElement }> = [];

  track(rows: Array<{ row: ChangeRow; tr: HTMLTableRowElement }>): void {
    this.live = rows.filter((entry) => isLive(entry.row));
    if (this.live.length === 0) {
      window.clearInterval(this.timer);
      this.timer = undefined;
    } else if (this.timer === undefined) {
      this.timer = window.setInterval(() => this.tick(), TICK_MS);
    }
  }

  private tick(): void {
    const now = Date.now();
    for (const { row, tr } of this.live) {
      const cell = tr.querySelector('.col-time .duration');
      const text = durationOf(row, now);
      if (cell && text && cell.textContent !== text) cell.textContent = text;
    }
  }
}
