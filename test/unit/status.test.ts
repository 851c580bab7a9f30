import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  ACTIVITY_ORDER,
  INITIAL_STATUS,
  TERMINAL_ACTIVITIES,
  advanceActivity,
  advanceTarget,
  complete,
  isTerminal,
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

  it('lost contact alternates with retrying and none while the deployment lives, and shows over the activity', () => {
    const deploying = advanceTarget(advanceActivity(INITIAL_STATUS, 'deploying'), 'deployed');
    const lost = setErrorStatus(deploying, 'lostContact');
    assert.equal(shownStatus(lost), 'lostContact');
    assert.equal(lost.activity, 'deploying', 'the last known activity is kept');
    const asking = setErrorStatus(lost, 'retrying');
    assert.equal(shownStatus(asking), 'retrying');
    assert.equal(shownStatus(setErrorStatus(asking, 'none')), 'deploying');
  });

  it('unknown is an end, but no failure: shown as unknown, the target as far as it got', () => {
    const lost = setErrorStatus(advanceTarget(advanceActivity(INITIAL_STATUS, 'deploying'), 'deployed'), 'lostContact');
    const unknown = complete(lost, 'unknown', false);
    assert.deepEqual([unknown.activity, unknown.error, unknown.target], ['unknown', 'none', 'deployed']);
    assert.equal(shownStatus(unknown), 'unknown');
    assert.equal(isTerminal(unknown), true);
    assert.equal(complete(unknown, 'failed', true), unknown, 'nothing replaces it afterwards');
  });

  it("another client's operation comes after preparing and before staging", () => {
    const preparing = advanceActivity(INITIAL_STATUS, 'preparing');
    const other = advanceActivity(preparing, 'otherOperation');
    assert.equal(other.activity, 'otherOperation');
    assert.equal(advanceActivity(other, 'preparing').activity, 'otherOperation');
    assert.equal(advanceActivity(other, 'staging').activity, 'staging');
    assert.equal(other.target, 'staged', 'waiting for theirs deploys nothing of ours');
  });

  it('every terminal activity ends the lifecycle, and no other does', () => {
    for (const activity of ACTIVITY_ORDER) {
      const status = { ...INITIAL_STATUS, activity };
      assert.equal(isTerminal(status), TERMINAL_ACTIVITIES.has(activity), activity);
    }
    assert.deepEqual([...TERMINAL_ACTIVITIES].sort(), ['aborted', 'failed', 'noChanges', 'rolledBack', 'succeeded', 'unknown']);
  });
});
