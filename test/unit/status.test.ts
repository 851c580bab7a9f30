import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  ACTIVITY_ORDER,
  INITIAL_STATUS,
  advanceActivity,
  advanceTarget,
  complete,
  setErrorStatus,
  shownStatus,
  startNewRound,
  type DeploymentStatus,
} from '../../src/deployment/status';

describe('deployment status model (seed 003)', () => {
  it('shows the error status when there is one, and the activity otherwise', () => {
    const deploying = advanceActivity(INITIAL_STATUS, 'deploying');
    assert.equal(shownStatus(deploying), 'deploying');
    assert.equal(shownStatus(setErrorStatus(deploying, 'retrying')), 'retrying');
    assert.equal(shownStatus(setErrorStatus(setErrorStatus(deploying, 'retrying'), 'none')), 'deploying');
  });

  it('moves the activity only forward', () => {
    let status: DeploymentStatus = INITIAL_STATUS;
    for (const activity of ACTIVITY_ORDER.slice(1, ACTIVITY_ORDER.indexOf('rollingBack') + 1)) {
      const next = advanceActivity(status, activity);
      assert.equal(next.activity, activity);
      assert.equal(advanceActivity(next, status.activity).activity, activity, `${activity} never goes back to ${status.activity}`);
      status = next;
    }
  });

  it('never changes after the end', () => {
    const done = complete(advanceActivity(INITIAL_STATUS, 'deploying'), 'succeeded', false);
    assert.equal(advanceActivity(done, 'rollingBack'), done);
    assert.equal(setErrorStatus(done, 'retrying'), done);
    assert.equal(complete(done, 'failed', true), done);
    assert.equal(startNewRound(done), done);
  });

  it('a failed error status is final and wins over the activity', () => {
    const failed = complete(advanceActivity(INITIAL_STATUS, 'deploying'), 'rolledBack', true);
    assert.equal(failed.activity, 'rolledBack');
    assert.equal(failed.error, 'failed');
    assert.equal(shownStatus(failed), 'failed');
    assert.equal(setErrorStatus(failed, 'none'), failed);
  });

  it('target moves staged → deployed → archived, never back', () => {
    const deployed = advanceTarget(INITIAL_STATUS, 'deployed');
    assert.equal(deployed.target, 'deployed');
    assert.equal(advanceTarget(deployed, 'staged').target, 'deployed');
    assert.equal(advanceTarget(advanceTarget(deployed, 'archived'), 'deployed').target, 'archived');
  });

  it('a deployment that never reached deployed is archived when it ends', () => {
    assert.equal(complete(advanceActivity(INITIAL_STATUS, 'reviewing'), 'aborted', false).target, 'archived');
    assert.equal(complete(advanceTarget(INITIAL_STATUS, 'deployed'), 'rolledBack', false).target, 'deployed');
  });

  it('recreating starts a new round, the only way back to initializing', () => {
    const recreating = advanceActivity(advanceActivity(INITIAL_STATUS, 'awaitingConsent'), 'recreating');
    assert.equal(advanceActivity(recreating, 'initializing').activity, 'recreating');
    const round = startNewRound(recreating);
    assert.deepEqual([round.activity, round.round], ['initializing', 1]);
  });
});
