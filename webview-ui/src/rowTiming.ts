/**
 * A row's start time (local, "14:03:12"), how long it took ("1 min 12 s") and, until it settles,
 * how long it is expected to take ("~40 s"). A row still in progress counts up: one timer for the
 * whole table refreshes just those cells, once a second.
 */
import * as l10n from '@vscode/l10n';
import type { ChangeRow } from '../../src/shared/viewModel';
import { el } from './dom';

const TICK_MS = 1000;

/*
 * One formatter each, made once: toLocaleTimeString() builds a new one per call, which was most
 * of the time a 500-row list took to draw. 24-hour whatever the locale, so the column keeps one width.
 */
const TIME = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const DATE_TIME = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** "14:03:12" in the person's time zone. */
export function localTime(iso: string | number): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : TIME.format(date);
}

/** "14:05" in the person's time zone: when something is expected to end. */
export function localClock(epochMs: number): string {
  return localTime(epochMs).slice(0, 5);
}

function dateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : DATE_TIME.format(date);
}

/** "12 s", "1 min 12 s", "2 min", "1 h 3 min". */
export function durationText(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return secondsText(seconds);
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? minutesText(minutes) : l10n.t('{0} min {1} s', minutes, seconds % 60);
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? hoursText(hours) : l10n.t('{0} h {1} min', hours, minutes % 60);
}

/** An estimate, as round as it deserves: "5 s", "40 s", "2 min", "1 h 10 min". */
export function roughDuration(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 10) return secondsText(seconds);
  if (seconds < 60) return secondsText(Math.round(seconds / 5) * 5);
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return minutesText(minutes);
  const rounded = Math.round(minutes / 10) * 10;
  return rounded % 60 === 0 ? hoursText(rounded / 60) : l10n.t('{0} h {1} min', Math.floor(rounded / 60), rounded % 60);
}

function secondsText(seconds: number): string {
  return l10n.t({ message: '{0} s', args: [seconds], comment: ['A duration in seconds.'] });
}

function minutesText(minutes: number): string {
  return l10n.t({ message: '{0} min', args: [minutes], comment: ['A duration in minutes.'] });
}

function hoursText(hours: number): string {
  return l10n.t({ message: '{0} h', args: [hours], comment: ['A duration in hours.'] });
}

/** Still running: its duration counts up until the provider says it settled. */
export function isLive(row: ChangeRow): boolean {
  return row.startedAt !== undefined && row.endedAt === undefined && (row.status === 'inProgress' || row.status === 'rollingBack');
}

/** Has it anything to show in the time column: a start, or an expectation while it has not settled. */
export function hasTiming(row: ChangeRow): boolean {
  return row.startedAt !== undefined || showsExpected(row);
}

function showsExpected(row: ChangeRow): boolean {
  return row.expectedMs !== undefined && row.expectedMs > 0 && row.endedAt === undefined && (row.status === 'pending' || isLive(row));
}

function durationOf(row: ChangeRow, now: number): string | undefined {
  if (!row.startedAt) return undefined;
  const start = Date.parse(row.startedAt);
  const end = row.endedAt ? Date.parse(row.endedAt) : isLive(row) ? now : NaN;
  return Number.isNaN(start) || Number.isNaN(end) ? undefined : durationText(end - start);
}

function expectedText(row: ChangeRow): HTMLElement | undefined {
  if (!showsExpected(row)) return undefined;
  const rough = roughDuration(row.expectedMs ?? 0);
  // "~" reads badly aloud; the hidden word says what the number is.
  return el(
    'span',
    { class: 'expected muted', title: l10n.t('Expected to take about {0}, from earlier deployments of {1}', rough, row.resourceType) },
    el('span', { class: 'visually-hidden' }, l10n.t('expected ')),
    l10n.t({ message: '~{0}', args: [rough], comment: ['About this long: a rough duration expected for a resource.'] }),
  );
}

export function timeCell(row: ChangeRow): HTMLTableCellElement {
  const expected = expectedText(row);
  if (!row.startedAt) return el('td', { class: 'col-time' }, expected);
  const duration = durationOf(row, Date.now());
  return el(
    'td',
    {
      class: 'col-time',
      title: row.endedAt ? l10n.t('Started {0}, settled {1}', dateTime(row.startedAt), dateTime(row.endedAt)) : l10n.t('Started {0}', dateTime(row.startedAt)),
    },
    el('time', { class: 'started', datetime: row.startedAt }, localTime(row.startedAt)),
    duration || expected ? el('span', { class: 'timing' }, duration ? el('span', { class: 'duration muted' }, duration) : undefined, expected) : undefined,
  );
}

interface Timed {
  row: ChangeRow;
  tr: HTMLTableRowElement;
}

/** Keeps the live rows' durations counting, keyed by logical ID; one timer, running only while some row is live. */
export class DurationTicker {
  private timer: number | undefined;
  private readonly live = new Map<string, Timed>();

  /** Every row anew (a full render). */
  track(rows: Iterable<Timed>): void {
    this.live.clear();
    for (const entry of rows) if (isLive(entry.row)) this.live.set(entry.row.logicalId, entry);
    this.schedule();
  }

  /** One row was rebuilt. */
  update(entry: Timed): void {
    if (isLive(entry.row)) this.live.set(entry.row.logicalId, entry);
    else this.live.delete(entry.row.logicalId);
    this.schedule();
  }

  private schedule(): void {
    if (this.live.size === 0) {
      window.clearInterval(this.timer);
      this.timer = undefined;
    } else if (this.timer === undefined) {
      this.timer = window.setInterval(() => this.tick(), TICK_MS);
    }
  }

  private tick(): void {
    const now = Date.now();
    for (const { row, tr } of this.live.values()) {
      const cell = tr.querySelector('.col-time .duration');
      const text = durationOf(row, now);
      if (cell && text && cell.textContent !== text) cell.textContent = text;
    }
  }
}
