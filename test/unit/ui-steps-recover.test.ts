/** The recovery's row in the step list says whether it worked: the steps running again after it is the proof. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { descriptorOf } from '../../src/providers/registry';
import { stepRows } from '../../src/ui/steps';
import { finishedIn, snapshotIn } from '../support/uiSnapshots';

const words = descriptorOf('aws').words;
const S = 1_000;

test('a recovery that failed, ending the deployment, is a failed step, not a done one', () => {
  const readiness = { template: { startedAt: 0, endedAt: 1 * S }, target: { startedAt: 1 * S, endedAt: 2 * S }, recover: { startedAt: 3 * S, endedAt: 9 * S } };
  const rows = stepRows(finishedIn('failed', true, { readiness, ending: 'failed' }), words) ?? [];
  assert.equal(rows.find((row) => row.id === 'recover')?.state, 'failed');
});

test('a recovery after which the template step started again is done', () => {
  const readiness = { template: { startedAt: 10 * S }, target: { startedAt: 1 * S, endedAt: 2 * S }, recover: { startedAt: 3 * S, endedAt: 9 * S } };
  const rows = stepRows(snapshotIn('initializing', { readiness }), words) ?? [];
  assert.equal(rows.find((row) => row.id === 'recover')?.state, 'done');
});
