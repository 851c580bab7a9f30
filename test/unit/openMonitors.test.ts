import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OpenMonitors } from '../../src/app/openMonitors';
import { MemoryMemento } from '../support/memoryMemento';

test('open monitors: remembered across instances (a reload), each once, and forgotten when closed', async () => {
  const state = new MemoryMemento();
  const before = new OpenMonitors(state);
  before.opened('aws:us-east-1:orders');
  before.opened('aws:us-east-1:orders');
  before.opened('gcp:europe-west1:site');
  await new Promise((resolve) => setImmediate(resolve));
  const after = new OpenMonitors(state);
  assert.deepEqual(after.keys(), ['aws:us-east-1:orders', 'gcp:europe-west1:site']);
  after.closed('aws:us-east-1:orders');
  after.closed('gcp:europe-west1:site');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(new OpenMonitors(state).keys(), []);
  assert.equal(state.data.get('stackwatch.openMonitors'), undefined, 'nothing is left in workspace state');
});

test('open monitors: a damaged entry reads as the keys it holds, and a failed write is not thrown', async () => {
  const state = new MemoryMemento();
  await state.update('stackwatch.openMonitors', ['aws:us-east-1:orders', 7, null]);
  const monitors = new OpenMonitors(state);
  assert.deepEqual(monitors.keys(), ['aws:us-east-1:orders']);
  state.failWrites = true;
  assert.doesNotThrow(() => monitors.opened('aws:us-east-1:other'));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(monitors.keys(), ['aws:us-east-1:orders']);
});
