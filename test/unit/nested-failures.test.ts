/** The root cause inside nested targets: a failed row with a failed descendant ("Parent/…") is a consequence. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { applyEvents, progressOf, summarizeFailures } from '../../src/deployment/resources';
import type { DeploymentEvent } from '../../src/providers/provider';

let n = 0;
function failed(logicalId: string, reason: string, second: number, extra: Partial<DeploymentEvent> = {}): DeploymentEvent {
  n++;
  return {
    id: `e${n}`,
    timestamp: new Date(Date.UTC(2026, 10, 30, 10, 0, second)).toISOString(),
    logicalId,
    resourceType: 'Thing',
    providerStatus: 'CREATE_FAILED',
    status: 'failed',
    reason,
    isCancellation: false,
    ...extra,
  };
}
const cancelled = (logicalId: string, second: number): DeploymentEvent =>
  failed(logicalId, 'Resource creation cancelled', second, { status: 'cancelled', isCancellation: true });

describe('root cause inside nested targets', () => {
  it("the first failure inside a nested target is the root cause, the target's own failure a consequence", () => {
    const summary = summarizeFailures(
      [
        failed('Network/Subnet', 'CIDR invalid', 3),
        cancelled('Network/Route', 3),
        failed('Network', 'Embedded target was not successfully created', 5),
        cancelled('Queue', 6),
      ],
      'app',
    );
    assert.equal(summary.rootCause?.logicalId, 'Network/Subnet');
    assert.deepEqual(summary.otherFailures, []);
    assert.deepEqual(
      summary.cancellations.map((c) => c.logicalId),
      ['Network/Route', 'Queue', 'Network'],
    );
  });

  it('descendants read after their parent still take its place, before later independent failures', () => {
    // Network failed at 5; Topic at 6; Network's inside (read later) failed at 3 and 4.
    const summary = summarizeFailures(
      [
        failed('Network', 'Embedded target failed', 5),
        failed('Topic', 'Topic limit', 6),
        failed('Network/Subnet', 'CIDR invalid', 3),
        failed('Network/Gateway', 'quota', 4),
      ],
      'app',
    );
    assert.equal(summary.rootCause?.logicalId, 'Network/Subnet');
    assert.deepEqual(
      summary.otherFailures.map((f) => f.logicalId),
      ['Network/Gateway', 'Topic'],
    );
  });

  it('deeper nesting: the deepest failure is the cause, every failed ancestor a consequence', () => {
    const summary = summarizeFailures(
      [failed('App', 'embedded', 9), failed('App/Network', 'embedded', 8), failed('App/Network/Subnet', 'CIDR invalid', 7)],
      'app',
    );
    assert.equal(summary.rootCause?.logicalId, 'App/Network/Subnet');
    assert.deepEqual(summary.cancellations.map((c) => c.logicalId).sort(), ['App', 'App/Network']);
  });

  it('a nested target that failed with nothing failed inside it is the cause itself; a look-alike prefix is no descendant', () => {
    const summary = summarizeFailures([failed('Network', 'template not found', 2), failed('NetworkB/Subnet', 'x', 3)], 'app');
    assert.equal(summary.rootCause?.logicalId, 'Network');
    assert.deepEqual(
      summary.otherFailures.map((f) => f.logicalId),
      ['NetworkB/Subnet'],
    );
  });
});

describe('progress over nested rows', () => {
  const change = (logicalId: string, parent?: string) => ({ logicalId, action: 'Add' as const, resourceType: 'Thing', ...(parent ? { parent } : {}) });
  const changes = [change('Network'), change('Network/Subnet', 'Network'), change('Network/Route', 'Network'), change('Queue')];
  const succeeded = (logicalId: string, second: number): DeploymentEvent => ({
    ...failed(logicalId, '', second),
    providerStatus: 'CREATE_COMPLETE',
    status: 'succeeded',
    reason: undefined,
  });

  it('counts the nested rows of the change list, those whose events have not arrived yet as not done', () => {
    const resources = applyEvents({}, [succeeded('Queue', 1), succeeded('Network/Subnet', 2)], 'app');
    assert.deepEqual(progressOf(changes, resources), { done: 2, total: 4, failed: 0, inProgress: 0, rolledBack: 0, cancelled: 0 });
    const later = applyEvents(resources, [succeeded('Network/Route', 3), succeeded('Network', 4)], 'app');
    assert.equal(progressOf(changes, later).done, 4);
  });

  it('reattached without a change list, the nested rows seen in the events are counted', () => {
    const resources = applyEvents({}, [succeeded('Network/Subnet', 2), failed('Network/Route', 'x', 3), succeeded('Queue', 1)], 'app');
    const progress = progressOf([], resources);
    assert.equal(progress.total, 3);
    assert.equal(progress.done, 3);
    assert.equal(progress.failed, 1);
  });
});
