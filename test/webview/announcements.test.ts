/** Phase changes are said in the live region, even when rows change in the same update (issue 14, "Add"). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MonitorViewModel } from '../../src/shared/viewModel';
import { diffViewModel } from '../../src/shared/viewModelDelta';
import type { Monitor } from './harness';
import { creatingModel, reviewModel, rolledBackModel, rollingBackModel, succeededModel } from './models';
import { open, useHarness } from './setup';

/** Sends the change from `before` to `after` as the host does (a delta) and returns what the live region then holds. */
async function move(monitor: Monitor, before: MonitorViewModel, after: MonitorViewModel): Promise<string> {
  const delta = diffViewModel(before, after);
  assert.ok(delta, 'the models differ');
  await monitor.send({ type: 'delta', delta });
  const region = monitor.page.locator('#announcer');
  assert.equal(await region.getAttribute('aria-live'), 'polite');
  return (await region.textContent()) ?? '';
}

describe('phase announcements', () => {
  const fixture = useHarness();

  it('review → deploying → succeeded: each phase is said, with the rows that finished in the same update', async () => {
    const monitor = await open(fixture);
    const review = reviewModel();
    await monitor.send({ type: 'snapshot', model: review });
    const deploying = creatingModel();
    assert.match(await move(monitor, review, deploying), /demo-stack: Deploying/);
    const succeeded = succeededModel();
    const said = await move(monitor, deploying, succeeded);
    assert.match(said, /demo-stack: Succeeded/, 'the end of the deployment is said');
    assert.match(said, /Queue succeeded/, 'and the rows that finished with it');
  });

  it('deploying → rolling back → failed: the phase is said before the failed rows', async () => {
    const monitor = await open(fixture);
    const deploying = creatingModel();
    await monitor.send({ type: 'snapshot', model: deploying });
    const rolling = rollingBackModel();
    const said = await move(monitor, deploying, rolling);
    assert.match(said, /^demo-stack: Rolling back\. Queue failed: /);
    assert.match(await move(monitor, rolling, rolledBackModel()), /^demo-stack: Failed\./);
  });
});
