/**
 * Every CloudFormation stack, resource, change-set and execution status the SDK knows, mapped
 * through the adapter's tables. The expectations are written out per status, independently of
 * the tables, so a wrong row fails here.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ChangeSetStatus, ExecutionStatus, ResourceStatus, StackStatus } from '@aws-sdk/client-cloudformation';
import { isCancellationReason, resourceStatusOf, stackStatusMeaning, stagedStateOf } from '../../src/providers/aws/statusTables';

const EXPECTED_STACK: Record<string, [condition: string, phase: string, recovery: string]> = {
  CREATE_IN_PROGRESS: ['inProgress', 'inProgress', ''],
  CREATE_FAILED: ['unrecoverable', 'failed', 'rollback,delete'],
  CREATE_COMPLETE: ['ready', 'succeeded', ''],
  ROLLBACK_IN_PROGRESS: ['inProgress', 'rollingBack', ''],
  ROLLBACK_FAILED: ['unrecoverable', 'failed', 'delete'],
  ROLLBACK_COMPLETE: ['unrecoverable', 'rolledBack', 'delete'],
  DELETE_IN_PROGRESS: ['inProgress', 'inProgress', ''],
  DELETE_FAILED: ['unrecoverable', 'failed', 'delete,forceDelete'],
  DELETE_COMPLETE: ['missing', 'succeeded', ''],
  UPDATE_IN_PROGRESS: ['inProgress', 'inProgress', ''],
  UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: ['inProgress', 'inProgress', ''],
  UPDATE_COMPLETE: ['ready', 'succeeded', ''],
  UPDATE_FAILED: ['unrecoverable', 'failed', 'rollback'],
  UPDATE_ROLLBACK_IN_PROGRESS: ['inProgress', 'rollingBack', ''],
  UPDATE_ROLLBACK_FAILED: ['unrecoverable', 'failed', 'continueRollback'],
  UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS: ['inProgress', 'rollingBack', ''],
  UPDATE_ROLLBACK_COMPLETE: ['ready', 'rolledBack', ''],
  REVIEW_IN_PROGRESS: ['missing', 'inProgress', ''],
  IMPORT_IN_PROGRESS: ['inProgress', 'inProgress', ''],
  IMPORT_COMPLETE: ['ready', 'succeeded', ''],
  IMPORT_ROLLBACK_IN_PROGRESS: ['inProgress', 'rollingBack', ''],
  IMPORT_ROLLBACK_FAILED: ['unrecoverable', 'failed', 'delete'],
  IMPORT_ROLLBACK_COMPLETE: ['ready', 'rolledBack', ''],
};

describe('CloudFormation stack statuses', () => {
  it('covers all 23 stack statuses the SDK defines', () => {
    const sdk = Object.values(StackStatus).sort();
    assert.equal(sdk.length, 23);
    assert.deepEqual(Object.keys(EXPECTED_STACK).sort(), sdk);
  });

  for (const [status, [condition, phase, recovery]] of Object.entries(EXPECTED_STACK)) {
    it(`${status} → ${condition}, ${phase}${recovery ? `, offers ${recovery}` : ''}`, () => {
      const meaning = stackStatusMeaning(status);
      assert.equal(meaning.condition, condition);
      assert.equal(meaning.phase, phase);
      assert.equal(meaning.recovery.join(','), recovery);
    });
  }

  // Statuses this build does not know, in the shapes CloudFormation's names take.
  const UNKNOWN_IN_PROGRESS = ['EXPORT_IN_PROGRESS', 'REFACTOR_IN_PROGRESS', 'UPDATE_ROLLBACK_SOMETHING_IN_PROGRESS'];
  const UNKNOWN_OTHER = ['EXPORT_COMPLETE', 'REFACTOR_FAILED', 'UPDATE_PAUSED', 'IN_PROGRESS_SOON', 'something odd', ''];

  for (const status of UNKNOWN_IN_PROGRESS) {
    it(`an unknown ${status} keeps monitoring: inProgress, no recovery offered`, () => {
      const meaning = stackStatusMeaning(status);
      assert.equal(meaning.condition, 'inProgress');
      assert.equal(meaning.phase, 'inProgress');
      assert.deepEqual(meaning.recovery, []);
      assert.equal(meaning.operation, 'unknown');
    });
  }

  for (const status of UNKNOWN_OTHER) {
    it(`an unknown ${JSON.stringify(status)} decides nothing: phase unknown, preparing waits and reads again`, () => {
      const meaning = stackStatusMeaning(status);
      // Not ready (would update), not missing (would create), not unrecoverable (would offer a delete).
      assert.equal(meaning.condition, 'inProgress');
      assert.equal(meaning.phase, 'unknown');
      assert.deepEqual(meaning.recovery, []);
    });
  }

  it('no status the SDK defines maps to the unknown phase', () => {
    for (const status of Object.values(StackStatus)) assert.notEqual(stackStatusMeaning(status).phase, 'unknown', status);
  });

  it('every unrecoverable status offers at least one way out, and no other status offers any', () => {
    for (const status of Object.values(StackStatus)) {
      const meaning = stackStatusMeaning(status);
      assert.equal(meaning.recovery.length > 0, meaning.condition === 'unrecoverable', status);
    }
  });
});

describe('CloudFormation resource statuses', () => {
  it('maps every resource status the SDK defines, forward and during a rollback', () => {
    for (const status of Object.values(ResourceStatus)) {
      const forward = resourceStatusOf(status, false).status;
      const back = resourceStatusOf(status, true).status;
      if (status.endsWith('_FAILED')) {
        assert.equal(forward, 'failed', status);
        assert.equal(back, 'failed', status);
      } else if (status.endsWith('_IN_PROGRESS')) {
        assert.equal(forward, status.includes('ROLLBACK') ? 'rollingBack' : 'inProgress', status);
        assert.equal(back, 'rollingBack', status);
      } else {
        assert.equal(forward, status.includes('ROLLBACK') ? 'rolledBack' : 'succeeded', status);
        assert.equal(back, 'rolledBack', status);
      }
    }
  });

  for (const status of ['EXPORT_PAUSED', 'SOMETHING_NEW_FAILED', 'SOMETHING_NEW_COMPLETE', 'SOMETHING_NEW_IN_PROGRESS', '']) {
    it(`an unknown resource status ${JSON.stringify(status)} is still moving, never failed or done`, () => {
      assert.deepEqual(resourceStatusOf(status, false, 'Something went wrong'), { status: 'inProgress', isCancellation: false });
      assert.deepEqual(resourceStatusOf(status, true, 'Something went wrong'), { status: 'rollingBack', isCancellation: false });
    });
  }

  it('a failure caused by another resource is a cancellation, not a failure', () => {
    assert.deepEqual(resourceStatusOf('CREATE_FAILED', false, 'Resource creation cancelled'), { status: 'cancelled', isCancellation: true });
    assert.deepEqual(resourceStatusOf('UPDATE_FAILED', false, 'Resource update cancelled'), { status: 'cancelled', isCancellation: true });
    assert.deepEqual(resourceStatusOf('CREATE_FAILED', false, 'Bucket name already taken'), { status: 'failed', isCancellation: false });
    assert.equal(isCancellationReason('Stack creation cancelled by a user'), false);
  });
});

describe('CloudFormation change set statuses', () => {
  const EXPECTED: Record<string, string> = {
    'CREATE_PENDING/UNAVAILABLE': 'pending',
    'CREATE_IN_PROGRESS/UNAVAILABLE': 'pending',
    'CREATE_COMPLETE/AVAILABLE': 'ready',
    'CREATE_COMPLETE/UNAVAILABLE': 'pending',
    'CREATE_COMPLETE/EXECUTE_IN_PROGRESS': 'failed',
    'CREATE_COMPLETE/EXECUTE_COMPLETE': 'failed',
    'CREATE_COMPLETE/EXECUTE_FAILED': 'failed',
    'CREATE_COMPLETE/OBSOLETE': 'failed',
    'FAILED/UNAVAILABLE': 'failed',
    'DELETE_PENDING/UNAVAILABLE': 'failed',
    'DELETE_IN_PROGRESS/UNAVAILABLE': 'failed',
    'DELETE_COMPLETE/UNAVAILABLE': 'failed',
    'DELETE_FAILED/UNAVAILABLE': 'failed',
  };

  it('covers every change-set status and every execution status', () => {
    const statuses = new Set(Object.keys(EXPECTED).map((k) => k.split('/')[0]));
    const executions = new Set(Object.keys(EXPECTED).map((k) => k.split('/')[1]));
    assert.deepEqual([...statuses].sort(), Object.values(ChangeSetStatus).sort());
    assert.deepEqual([...executions].sort(), Object.values(ExecutionStatus).sort());
  });

  for (const [pair, expected] of Object.entries(EXPECTED)) {
    it(`${pair} → ${expected}`, () => {
      const [status, execution] = pair.split('/');
      assert.equal(stagedStateOf(status, execution, undefined), expected);
    });
  }

  const UNKNOWN_PAIRS: Array<[status: string | undefined, execution: string | undefined]> = [
    ['CREATE_PAUSED', 'UNAVAILABLE'],
    ['SOMETHING_NEW', 'AVAILABLE'],
    ['SOMETHING_NEW_FAILED', 'UNAVAILABLE'],
    [undefined, undefined],
    ['', 'AVAILABLE'],
    ['CREATE_COMPLETE', 'EXECUTE_PAUSED'],
    ['CREATE_COMPLETE', 'SOMETHING_NEW'],
    ['CREATE_COMPLETE', undefined],
  ];
  for (const [status, execution] of UNKNOWN_PAIRS) {
    it(`an unknown ${String(status)}/${String(execution)} is pending: read again, neither failed nor executable`, () => {
      assert.equal(stagedStateOf(status, execution, 'No updates are to be performed.'), 'pending');
    });
  }

  it('an empty change set is "no changes", in both of CloudFormation\'s wordings', () => {
    assert.equal(
      stagedStateOf('FAILED', 'UNAVAILABLE', "The submitted information didn't contain changes. Submit different information to create a change set."),
      'empty',
    );
    assert.equal(stagedStateOf('FAILED', 'UNAVAILABLE', 'No updates are to be performed.'), 'empty');
    assert.equal(stagedStateOf('FAILED', 'UNAVAILABLE', 'Template format error: Unresolved resource dependencies'), 'failed');
  });
});
