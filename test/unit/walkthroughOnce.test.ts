import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { WALKTHROUGH_SHOWN_KEY, openWalkthroughOnce, type FirstRun } from '../../src/ui/walkthroughOnce';
import { MemoryMemento } from '../support/memoryMemento';

function firstRun(state: MemoryMemento, openOnInstall = true): FirstRun & { opened: number } {
  const run = {
    state,
    openOnInstall,
    opened: 0,
    open: () => {
      run.opened++;
      return Promise.resolve();
    },
  };
  return run;
}

describe('the walkthrough opens by itself once', () => {
  it('opens on the first activation and never again on the same global state', async () => {
    const state = new MemoryMemento();
    const run = firstRun(state);
    assert.equal(await openWalkthroughOnce(run), true);
    assert.equal(await openWalkthroughOnce(run), false);
    assert.equal(await openWalkthroughOnce(firstRun(state)), false, 'another window, or after a reload');
    assert.equal(run.opened, 1);
    assert.equal(state.get(WALKTHROUGH_SHOWN_KEY), true);
  });

  it('opens for a new install: the flag lives in the given state, not in the module', async () => {
    await openWalkthroughOnce(firstRun(new MemoryMemento()));
    const fresh = firstRun(new MemoryMemento());
    assert.equal(await openWalkthroughOnce(fresh), true);
    assert.equal(fresh.opened, 1);
  });

  it('does not open when walkthroughs are not to open on install, and does not ask again', async () => {
    const state = new MemoryMemento();
    const declined = firstRun(state, false);
    assert.equal(await openWalkthroughOnce(declined), false);
    assert.equal(declined.opened, 0);
    const later = firstRun(state, true);
    assert.equal(await openWalkthroughOnce(later), false);
    assert.equal(later.opened, 0);
  });

  it('does not open when the state cannot be written, since it would open on every activation', async () => {
    const state = new MemoryMemento();
    state.failWrites = true;
    const run = firstRun(state);
    assert.equal(await openWalkthroughOnce(run), false);
    assert.equal(await openWalkthroughOnce(run), false);
    assert.equal(run.opened, 0);
  });

  it('is remembered even when opening fails, and the failure reaches the caller', async () => {
    const state = new MemoryMemento();
    const failing: FirstRun = { state, openOnInstall: true, open: () => Promise.reject(new Error('no workbench')) };
    await assert.rejects(openWalkthroughOnce(failing), /no workbench/);
    const again = firstRun(state);
    assert.equal(await openWalkthroughOnce(again), false);
    assert.equal(again.opened, 0);
  });
});
