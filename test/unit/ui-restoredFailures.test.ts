/**
 * The Problems panel's failures after a window reload: history keeps what places them (logical ID,
 * property path, the template's path) and what they say (reason, hook, request ID), never a
 * secret, and they come back on the same lines with the same words as before the reload, until
 * the target's next successful deployment.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { historyEntry, HistoryStore, type HistoryEntry, type StateStore } from '../../src/app/history';
import { standingProblems } from '../../src/app/historyProblems';
import { endedFailurePlacements, failurePlacements, type Locate } from '../../src/ui/diagnosticPlacement';
import { locate } from '../../src/providers/aws/template/locate';
import type { DeploymentSnapshot } from '../../src/deployment/machine';
import type { DeploymentEvent, TemplateSource } from '../../src/providers/provider';
import { event, finishedIn, withEvents } from '../support/uiSnapshots';

const BODY = ['Resources:', '  Queue:', '    Type: AWS::SQS::Queue', '    Properties:', '      QueueName: orders', '      DelaySeconds: 5', ''].join('\n');
const TEMPLATE: TemplateSource = { path: 'infra/template.yaml', body: BODY, format: 'yaml', sizeBytes: BODY.length };
const locateHere: Locate = (pointer) => locate(TEMPLATE, pointer, { workspaceFolder: '/ws' });
const SECRET = 's3cr3t-Pw-991';

function failedAfterRunning(): DeploymentSnapshot {
  const failure: DeploymentEvent = {
    ...event('Queue', 'CREATE_FAILED', 'failed', `Queue orders already exists (password ${SECRET})`),
    propertyPath: 'Properties.QueueName',
    requestId: 'req-42',
    hook: { type: 'Private::Guard::Names', status: 'HOOK_COMPLETE_FAILED', reason: 'names must be unique' },
  };
  return finishedIn('rolledBack', true, {
    ...withEvents([failure, event('demo-stack', 'ROLLBACK_COMPLETE', 'rolledBack')]),
    initialized: { template: TEMPLATE, parameters: [{ key: 'Pw', value: SECRET, secret: true }], capabilities: [], warnings: [] },
  });
}

/** As workspace state hands it back after a reload. */
function stored(snapshot: DeploymentSnapshot, finishedAt: string): HistoryEntry {
  const entry = historyEntry(snapshot, '2026-11-22T10:00:00.000Z', finishedAt);
  assert.ok(entry);
  return JSON.parse(JSON.stringify(entry)) as HistoryEntry;
}

describe('failure diagnostics across a window reload', () => {
  it('history keeps what places and explains each failure, and the template path, never a secret', () => {
    const entry = stored(failedAfterRunning(), '2026-11-22T10:01:00.000Z');
    assert.ok(!JSON.stringify(entry).includes(SECRET));
    assert.deepEqual(entry.problems?.template, { path: 'infra/template.yaml', format: 'yaml' });
    const root = entry.problems?.rootCause;
    assert.deepEqual(
      { logicalId: root?.logicalId, propertyPath: root?.propertyPath, requestId: root?.requestId, hook: root?.hook?.type },
      { logicalId: 'Queue', propertyPath: 'Properties.QueueName', requestId: 'req-42', hook: 'Private::Guard::Names' },
    );
  });

  it('they come back on the same line with the same message as the window showed before the reload', () => {
    const snapshot = failedAfterRunning();
    const before = endedFailurePlacements(snapshot, locateHere);
    const standing = standingProblems([stored(snapshot, '2026-11-22T10:01:00.000Z')]);
    assert.ok(standing);
    const after = failurePlacements(standing, locateHere);
    assert.deepEqual(after, before);
    assert.equal(after[0]?.location?.line, 5, 'the QueueName line');
    assert.match(after[0]?.message ?? '', /Request ID: req-42/);
  });

  it('the next success clears them; an abort, no changes or a failure before anything ran leaves them standing', () => {
    const failed = stored(failedAfterRunning(), '2026-11-22T10:01:00.000Z');
    const succeeded = stored(finishedIn('succeeded', false, { executed: true }), '2026-11-22T10:05:00.000Z');
    const aborted = stored(finishedIn('aborted', false), '2026-11-22T10:06:00.000Z');
    const noChanges = stored(finishedIn('noChanges', false), '2026-11-22T10:07:00.000Z');
    const stagingFailed = stored(finishedIn('failed', true, { executed: false }), '2026-11-22T10:08:00.000Z');
    assert.equal(aborted.problems, undefined);
    assert.equal(stagingFailed.problems, undefined);
    assert.equal(standingProblems([stagingFailed, noChanges, aborted, failed])?.rootCause?.logicalId, 'Queue');
    assert.equal(standingProblems([aborted, succeeded, failed]), undefined);
    assert.equal(standingProblems([failed, succeeded])?.rootCause?.logicalId, 'Queue', 'a failure after a success stands');
  });

  it("history lists every target's entries, so each target's failures can be placed at activation", async () => {
    const data = new Map<string, unknown>([['unrelated', 1]]);
    const state: StateStore = {
      get: <T>(key: string) => data.get(key) as T | undefined,
      update: async (key: string, value: unknown) => void data.set(key, value),
      keys: () => [...data.keys()],
    };
    const history = new HistoryStore(state);
    await history.record('aws:us-east-1:demo-stack', stored(failedAfterRunning(), '2026-11-22T10:01:00.000Z'));
    await history.record('aws:eu-west-1:other', stored(finishedIn('succeeded', false, { executed: true }), '2026-11-22T10:02:00.000Z'));
    const standing = history.targets().map(({ stackKey, entries }) => [stackKey, standingProblems(entries)?.rootCause?.logicalId]);
    assert.deepEqual(standing, [
      ['aws:us-east-1:demo-stack', 'Queue'],
      ['aws:eu-west-1:other', undefined],
    ]);
  });
});
