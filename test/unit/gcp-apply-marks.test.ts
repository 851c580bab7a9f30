/**
 * Our apply marks: annotations merged into the deployment's own, the previous version's labels
 * read while no annotation speaks and dropped by the next apply.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { appliedDigestMatches, applyMark, applyMarkFields, carriesApplyMark, labelValue } from '../../src/providers/gcp/applyMarks';

const ref = { preview: 'projects/p/locations/l/previews/sw-dep-1-a0-abc' };
const DIGEST = 'a'.repeat(64);

describe('apply marks', () => {
  it("merges our annotations into the deployment's own and names only annotations in the mask", () => {
    const { fields, mask } = applyMarkFields(
      { annotations: { owner: 'team', 'stackwatch.dev/blueprint-sha256': 'stale' }, labels: { env: 'prod' } },
      'mark-1',
      undefined,
    );
    assert.deepEqual(fields.annotations, { owner: 'team', 'stackwatch.dev/apply': 'mark-1' }, 'a stale digest is not kept when the preview has none');
    assert.equal(fields.labels, undefined);
    assert.deepEqual(mask, ['annotations']);
  });

  it("drops the previous version's labels, keeping everyone else's", () => {
    const { fields, mask } = applyMarkFields({ labels: { env: 'prod', 'stackwatch-apply': 'x', 'stackwatch-blueprint': 'y' } }, 'mark-1', DIGEST);
    assert.deepEqual(fields.labels, { env: 'prod' });
    assert.deepEqual(mask, ['annotations', 'labels']);
    assert.equal(fields.annotations?.['stackwatch.dev/blueprint-sha256'], DIGEST);
  });

  it('recognises our apply by its annotation or by the label an earlier version set', () => {
    const mark = applyMark('dep-1', ref);
    assert.ok(carriesApplyMark({ state: 'ACTIVE', annotations: { 'stackwatch.dev/apply': mark } }, 'dep-1', ref));
    assert.ok(carriesApplyMark({ state: 'ACTIVE', labels: { 'stackwatch-apply': labelValue(mark) } }, 'dep-1', ref));
    assert.ok(!carriesApplyMark({ state: 'ACTIVE', annotations: { 'stackwatch.dev/apply': mark } }, 'dep-2', ref));
    assert.ok(!carriesApplyMark({ state: 'DELETED', annotations: { 'stackwatch.dev/apply': mark } }, 'dep-1', ref));
  });

  it('a digest label speaks only where no annotation does', () => {
    assert.ok(appliedDigestMatches({ labels: { 'stackwatch-blueprint': DIGEST.slice(0, 63) } }, DIGEST));
    // Applied since by this version with sensitive inputs (no digest): the old label must not say "same blueprint".
    assert.ok(!appliedDigestMatches({ annotations: { 'stackwatch.dev/apply': 'm' }, labels: { 'stackwatch-blueprint': DIGEST.slice(0, 63) } }, DIGEST));
    assert.ok(appliedDigestMatches({ annotations: { 'stackwatch.dev/apply': 'm', 'stackwatch.dev/blueprint-sha256': DIGEST } }, DIGEST));
  });
});
