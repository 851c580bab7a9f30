/**
 * Show Last Deployment tells its times relative and in local time, with the full local time on
 * hover, under a fixed clock and a time zone that is not UTC.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { historyEntry, historyMarkdown, type HistoryEntry } from '../../src/app/history';
import { fullTime, relativeTime } from '../../src/app/historyTimes';
import { finishedIn } from '../support/uiSnapshots';

// The system's time zone, as a person's machine has it: the document must not fall back to UTC.
process.env.TZ = 'Europe/Berlin';

const words = (now: string) => ({ now: new Date(now), locale: 'en-GB' });

function entry(id: string, startedAt: string, finishedAt: string): HistoryEntry {
  const made = historyEntry(finishedIn('succeeded', false), startedAt, finishedAt);
  assert.ok(made);
  return { ...made, deploymentId: id };
}

describe('history times', () => {
  it('the document: relative local times, the full local time on hover, no UTC ISO time', () => {
    const last = entry('last', '2026-12-01T09:59:55.000Z', '2026-12-01T10:01:05.000Z');
    const earlier = entry('earlier', '2026-11-30T13:00:00.000Z', '2026-11-30T13:05:00.000Z');
    const md = historyMarkdown(last, [earlier], words('2026-12-01T10:13:30.000Z'));
    assert.match(md, /^- \*\*Started:\*\* <span title="Tuesday, 1 December 2026 at 10:59:55 CET">13 minutes ago<\/span>$/m);
    assert.match(md, /^- \*\*Finished:\*\* <span title="Tuesday, 1 December 2026 at 11:01:05 CET">12 minutes ago<\/span> \(took 1 min 10 s\)$/m);
    assert.match(md, /^\| <span title="Monday, 30 November 2026 at 14:05:00 CET">yesterday at 14:05<\/span> \| Succeeded \|/m);
    assert.doesNotMatch(md, /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, 'no ISO time is shown');
  });

  it('relative words from just now to a date, in the local calendar', () => {
    const now = '2026-12-01T10:00:00.000Z'; // 11:00 in Berlin
    assert.equal(relativeTime('2026-12-01T09:59:30.000Z', words(now)), 'just now');
    assert.equal(relativeTime('2026-12-01T09:48:00.000Z', words(now)), '12 minutes ago');
    assert.equal(relativeTime('2026-12-01T07:30:00.000Z', words(now)), '2 hours ago');
    // 23:30 UTC on 30 November is already 1 December in Berlin: today, not yesterday.
    assert.equal(relativeTime('2026-11-30T23:30:00.000Z', words('2026-12-01T20:00:00.000Z')), 'today at 00:30');
    assert.equal(relativeTime('2026-11-30T22:30:00.000Z', words(now)), 'yesterday at 23:30');
    assert.equal(relativeTime('2026-11-27T08:15:00.000Z', words(now)), 'Friday at 09:15');
    assert.equal(relativeTime('2026-10-02T08:15:00.000Z', words(now)), '2 Oct 2026, 10:15');
    assert.equal(fullTime('2026-07-02T08:15:00.000Z', { locale: 'en-GB' }), 'Thursday, 2 July 2026 at 10:15:00 CEST');
  });
});
