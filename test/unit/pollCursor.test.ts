/** The one poll-cursor encoding both providers use: what survives a round trip, and what a damaged or older cursor decodes to. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { decodeCursor as decodeGcpCursor, type PollCursor } from '../../src/providers/gcp/events';
import { cursorField, decodeCursorWith, encodeCursor } from '../../src/providers/pollCursor';

interface Sample {
  name?: string;
  names?: string[];
  count?: number;
  again?: true;
}
const SAMPLE_FIELDS = { name: cursorField.text, names: cursorField.texts, count: cursorField.count, again: cursorField.flag };

describe('poll cursors', () => {
  it('come back as they were written', () => {
    const cursor: Sample = { name: 'a', names: ['b', 'c'], count: 3, again: true };
    assert.deepEqual(decodeCursorWith<Sample>(encodeCursor(cursor), SAMPLE_FIELDS), cursor);
  });

  it('keep only the fields the reader knows, each only with its type', () => {
    const decoded = decodeCursorWith<Sample>(JSON.stringify({ name: 7, names: ['b', 1], count: '3', again: 'yes', other: 'x' }), SAMPLE_FIELDS);
    assert.deepEqual(decoded, { name: undefined, names: undefined, count: undefined, again: undefined });
  });

  it('decode to nothing from text that is not a JSON object', () => {
    for (const encoded of [undefined, '', 'not json', '42', 'null', '"text"'])
      assert.deepEqual(decodeCursorWith<Sample>(encoded, SAMPLE_FIELDS), {}, String(encoded));
  });

  it("keep a Google Cloud cursor's resource states and its end, with defaults for what is missing", () => {
    const cursor: PollCursor = { step: 'RUNNING_TF_APPLY', rev: 'r-2', res: { 'google_pubsub_topic.t': 'RECONCILING' }, done: true, progress: { told: ['x'] } };
    assert.deepEqual(decodeGcpCursor(encodeCursor(cursor)), { ...cursor, base: undefined });
    assert.deepEqual(decodeGcpCursor(JSON.stringify({ res: { a: 'DONE', b: 3 }, done: 'yes' })), {
      step: undefined,
      base: undefined,
      rev: undefined,
      res: { a: 'DONE' },
      done: false,
      progress: { told: [] },
    });
  });
});
