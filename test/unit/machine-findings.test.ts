/**
 * What the provider's validation found in the staged changes is kept (bounded) on a ready and a
 * failed staging; a failed staging with errors says how many problems and points at the list.
 * The poll's failure details are kept (bounded, a detail read twice kept once) and enrich the
 * failure the deployment ends with.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { MAX_KEPT_FAILURE_DETAILS, MAX_KEPT_FINDINGS } from '../../src/deployment/machine';
import { failureSummaryOf } from '../../src/deployment/failureDetails';
import type { DeploymentEvent, DescribeStagedResult, PollResult, TemplateFinding } from '../../src/providers/provider';
import { TARGET, deploymentInput, described, executed, stagedResults } from '../support/deploymentFixtures';
import { answerCall, settle, startGatedDeployment } from '../support/gatedProvider';
import { throughStaging } from '../support/gatedPaths';

const ERROR_1: TemplateFinding = {
  severity: 'error',
  message: 'Bucket name is not valid',
  logicalId: 'Bucket',
  path: '/Resources/Bucket/Properties/BucketName',
};
const ERROR_2: TemplateFinding = { severity: 'error', message: 'Queue already exists', logicalId: 'Queue', check: 'NAME_CONFLICT' };
const WARNING: TemplateFinding = { severity: 'warning', message: 'The bucket is not empty' };

const failedWithFindings: DescribeStagedResult = {
  state: 'failed',
  providerStatus: 'FAILED',
  reason: 'The following hook(s)/validation failed: [EarlyValidation::PropertyValidation]',
  changes: [],
  findings: [ERROR_1, WARNING, ERROR_2],
};

function failureEvent(overrides: Partial<DeploymentEvent>): DeploymentEvent {
  return {
    id: 'f1',
    timestamp: '2026-11-22T10:00:05.000Z',
    logicalId: 'Queue',
    resourceType: 'AWS::SQS::Queue',
    providerStatus: 'CREATE_FAILED',
    status: 'failed',
    isCancellation: false,
    ...overrides,
  };
}

describe('findings of the staged changes', () => {
  it('a ready staging keeps its warnings for the review', async () => {
    const d = startGatedDeployment(deploymentInput());
    await throughStaging(d, { result: { ...stagedResults.ready, findings: [WARNING] } });
    const { value, context } = d.actor.getSnapshot();
    assert.equal(value, 'reviewing');
    assert.deepEqual(context.findings, [WARNING]);
    d.actor.stop();
  });

  it('a failed staging with errors ends saying how many problems, pointing at the list, not the raw reason', async () => {
    const d = startGatedDeployment(deploymentInput());
    await throughStaging(d, { result: failedWithFindings });
    await answerCall(d.gate, 'abortStaged', {});
    const { value, context } = d.actor.getSnapshot();
    assert.equal(value, 'failed');
    assert.deepEqual(context.findings, [ERROR_1, WARNING, ERROR_2]);
    assert.match(context.error?.message ?? '', /found 2 problems/);
    assert.match(context.error?.message ?? '', /listed above and in the Problems panel/);
    assert.doesNotMatch(context.error?.message ?? '', /EarlyValidation/);
    d.actor.stop();
  });

  it('one problem is one problem', async () => {
    const d = startGatedDeployment(deploymentInput());
    await throughStaging(d, { result: { ...failedWithFindings, findings: [ERROR_1] } });
    assert.match(d.actor.getSnapshot().context.error?.message ?? '', /found 1 problem before/);
    d.actor.stop();
  });

  it('a failed staging with only warnings (or none) keeps the provider reason', async () => {
    const d = startGatedDeployment(deploymentInput());
    await throughStaging(d, { result: { ...stagedResults.failed, findings: [WARNING] } });
    assert.match(d.actor.getSnapshot().context.error?.message ?? '', /unresolved resource dependency/);
    d.actor.stop();
  });

  it(`keeps at most ${MAX_KEPT_FINDINGS} findings`, async () => {
    const many = Array.from({ length: MAX_KEPT_FINDINGS + 50 }, (_, i): TemplateFinding => ({ severity: 'error', message: `problem ${i}` }));
    const d = startGatedDeployment(deploymentInput());
    await throughStaging(d, { result: { ...failedWithFindings, findings: many } });
    const { context } = d.actor.getSnapshot();
    assert.equal(context.findings?.length, MAX_KEPT_FINDINGS);
    assert.equal(context.findings?.[0]?.message, 'problem 0');
    assert.match(context.error?.message ?? '', new RegExp(`found ${MAX_KEPT_FINDINGS + 50} problems`), 'the count is of all of them');
    d.actor.stop();
  });
});

describe('failure details from the poll', () => {
  it('enrich the root cause the deployment ends with: hook, request ID, and a reason where the stream had none', async () => {
    const d = startGatedDeployment(deploymentInput());
    await throughStaging(d, { condition: described.missing });
    d.actor.send({ type: 'EXECUTE' });
    await answerCall(d.gate, 'execute', executed);
    const hook = {
      type: 'Private::Guard::Encryption',
      status: 'HOOK_COMPLETE_FAILED',
      reason: 'Bucket is not encrypted',
      annotations: [{ name: 'SSE', remediation: 'Turn on SSE' }],
    };
    const rollingBack: PollResult = {
      phase: 'rollingBack',
      providerStatus: 'ROLLBACK_IN_PROGRESS',
      events: [
        failureEvent({}),
        failureEvent({
          id: 't1',
          logicalId: TARGET.name,
          resourceType: 'AWS::CloudFormation::Stack',
          providerStatus: 'ROLLBACK_IN_PROGRESS',
          status: 'rollingBack',
          reason: 'The following resource(s) failed to create: [Queue].',
        }),
      ],
      failureDetails: [failureEvent({ reason: 'The hook failed the create', hook, requestId: 'req-123', operationId: 'op-1' })],
      cursor: 't1',
      pagesRead: 1,
    };
    await answerCall(d.gate, 'poll', rollingBack);
    // The same detail again is kept once.
    d.clock.increment(20_000);
    await settle();
    await answerCall(d.gate, 'poll', { ...rollingBack, events: [], phase: 'rolledBack', providerStatus: 'ROLLBACK_COMPLETE' });
    await answerCall(d.gate, 'abortStaged', {});
    const { value, context } = d.actor.getSnapshot();
    assert.equal(value, 'rolledBack');
    assert.equal(context.failureDetails?.length, 1);
    const root = failureSummaryOf(context).rootCause;
    assert.equal(root?.reason, 'The hook failed the create');
    assert.deepEqual(root?.hook, hook);
    assert.equal(root?.requestId, 'req-123');
    assert.equal(root?.operationId, 'op-1');
    assert.match(context.error?.message ?? '', /Queue \(AWS::SQS::Queue\): The hook failed the create/);
    d.actor.stop();
  });

  it(`keeps the newest ${MAX_KEPT_FAILURE_DETAILS} details`, async () => {
    const d = startGatedDeployment(deploymentInput());
    await throughStaging(d);
    d.actor.send({ type: 'EXECUTE' });
    await answerCall(d.gate, 'execute', executed);
    const details = Array.from({ length: MAX_KEPT_FAILURE_DETAILS + 10 }, (_, i) => failureEvent({ id: `d${i}`, logicalId: `R${i}` }));
    await answerCall(d.gate, 'poll', {
      phase: 'inProgress',
      providerStatus: 'CREATE_IN_PROGRESS',
      events: [],
      failureDetails: details,
      pagesRead: 1,
    } satisfies PollResult);
    const kept = d.actor.getSnapshot().context.failureDetails ?? [];
    assert.equal(kept.length, MAX_KEPT_FAILURE_DETAILS);
    assert.equal(kept[kept.length - 1]?.logicalId, `R${MAX_KEPT_FAILURE_DETAILS + 9}`);
    assert.deepEqual(d.actor.getSnapshot().context.resources, {}, 'details are never progress');
    d.actor.stop();
  });
});
