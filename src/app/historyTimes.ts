/**
 * When a deployment ran, as Show Last Deployment says it: relative and in local time ("12 minutes
 * ago", "yesterday at 14:05"), with the full local date and time on hover. Pure: the clock, the
 * locale and the time zone are given, so the wording is tested without the machine's own.
 */
import * as l10n from '@vscode/l10n';

export interface TimeWords {
  /** The moment the document is made: relative times count back from it. */
  now: Date;
  /** A BCP 47 locale (VS Code's display language); the system's when undefined. */
  locale?: string;
  /** An IANA time zone; the system's when undefined. */
  timeZone?: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The calendar day of `date` in the time zone, as a comparable number (days since the epoch).
 * Read from numeric parts, never shown: a fixed locale keeps the digits Western whatever the display language.
 */
function dayNumber(date: Date, timeZone: string | undefined): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(date);
  const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day')) / DAY;
}

/** "just now", "12 minutes ago", "3 hours ago", "yesterday at 14:05", "Monday at 09:30", "1 Dec 2026, 14:05". */
export function relativeTime(iso: string, words: TimeWords): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const { now, locale, timeZone } = words;
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const clock = new Intl.DateTimeFormat(locale, { timeZone, timeStyle: 'short' }).format(at);
  const ago = now.getTime() - at.getTime();
  const days = dayNumber(now, timeZone) - dayNumber(at, timeZone);
  if (ago < MINUTE && ago > -MINUTE) return l10n.t('just now');
  if (ago > 0 && ago < HOUR) return relative.format(-Math.floor(ago / MINUTE), 'minute');
  if (ago > 0 && days === 0 && ago < 6 * HOUR) return relative.format(-Math.floor(ago / HOUR), 'hour');
  if (days === 0) return l10n.t({ message: 'today at {0}', args: [clock], comment: ['{0} is a time of day, e.g. 14:05.'] });
  const onDay = (day: string): string =>
    l10n.t({ message: '{0} at {1}', args: [day, clock], comment: ['{0} is "yesterday" or a weekday in the display language; {1} is a time of day.'] });
  if (days === 1) return onDay(relative.format(-1, 'day'));
  if (days > 1 && days < 7) return onDay(new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long' }).format(at));
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

/** The full local date and time, with the zone: "Tuesday, 1 December 2026 at 06:12:05 CET". */
export function fullTime(iso: string, words: Omit<TimeWords, 'now'>): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat(words.locale, { timeZone: words.timeZone, dateStyle: 'full', timeStyle: 'long' }).format(at);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The relative time, with the full time on hover, for the Markdown preview (which keeps a span's title). */
export function timeMarkdown(iso: string, words: TimeWords): string {
  // l10n-exempt: HTML markup around the times, which are translated
  return `<span title="${escapeHtml(fullTime(iso, words))}">${escapeHtml(relativeTime(iso, words))}</span>`;
}
