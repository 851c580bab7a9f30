/** The clairvoyant read count behind the bench's bound on the latency targets. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { clairvoyantReads, windowCoverReads } from '../../scripts/benchBound';

describe('clairvoyantReads', () => {
  it('needs one read for events within the latency of each other, one per cluster otherwise', () => {
    assert.equal(clairvoyantReads([0, 100, 200], 300, 1), 1);
    assert.equal(clairvoyantReads([0, 100, 1_000, 1_100, 5_000], 300, 1), 3);
    assert.equal(clairvoyantReads([5_000, 0, 1_100, 100, 1_000], 300, 1), 3, 'in any order');
  });

  it('leaves out the smallest clusters first when only a share must be covered', () => {
    // Clusters of 4, 3 and 1 events: 7 of 8 need the two larger ones only.
    const times = [0, 10, 20, 30, 2_000, 2_010, 2_020, 9_000];
    assert.equal(clairvoyantReads(times, 100, 7 / 8), 2);
    assert.equal(clairvoyantReads(times, 100, 0.5), 1);
    assert.equal(clairvoyantReads(times, 100, 1), 3);
  });

  it('needs a read per event when the latency allows none to share one', () => {
    assert.equal(clairvoyantReads([0, 1_000, 2_000, 3_000], 500, 1), 4);
    assert.equal(clairvoyantReads([], 500, 0.95), 0);
  });
});

describe('windowCoverReads', () => {
  it('needs a read per latency across the union of the windows, overlaps counted once', () => {
    assert.equal(windowCoverReads([[0, 2_000]], 500), 4);
    assert.equal(
      windowCoverReads(
        [
          [1_000, 3_000],
          [0, 2_000],
        ],
        500,
      ),
      6,
      'overlapping: 0–3 s',
    );
    assert.equal(
      windowCoverReads(
        [
          [0, 1_000],
          [5_000, 6_000],
        ],
        500,
      ),
      4,
      'apart: 2 s in all',
    );
    assert.equal(windowCoverReads([], 500), 0);
  });
});
