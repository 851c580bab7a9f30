/**
 * The view model's issue-12 parts, from real snapshots of a real deployment actor: Compare with
 * Deployed, the findings list with Go to Line, the rows' times, stabilizing, depth, console link
 * and location, the consent's root cause, and the review's options (editable only in review).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { DeploymentSnapshot } from '../../src/deployment/machine';
import type { DeploymentOptionSpec } from '../../src/providers/descriptor';
import type { Change, DeploymentEvent, DescribeTargetResult, PollResult, TemplateFinding } from '../../src/providers/provider';
import { optionRows } from '../../src/ui/reviewModel';
import { toViewModel } from '../../src/ui/viewModel';
import { CHANGES, INITIALIZED, TARGET, deploymentInput, described, executed, stagedResults } from '../support/deploymentFixtures';
import { answerCall, settle, startGatedDeployment, type GatedDeployment } from '../support/gatedProvider';
import { initialized, throughStaging } from '../support/gatedPaths';

const ALL = { locate: true, compare: true };

async function review(condition: DescribeTargetResult = described.ready, changes: Change[] = CHANGES, findings?: TemplateFinding[]): Promise<GatedDeployment> {
  const d = startGatedDeployment(deploymentInput());
  await throughStaging(d, { condition, result: { ...stagedResults.ready, changes, ...(findings ? { findings } : {}) } });
  return d;
}

function snap(d: GatedDeployment): DeploymentSnapshot {
  return d.actor.getSnapshot();
}

describe('Compare with Deployed', () => {
  it('offered in review of an update when the provider reads deployed templates', async () => {
    const d = await review(described.ready);
    assert.equal(toViewModel(snap(d), 0, ALL).controls.compare, true);
    assert.equal(toViewModel(snap(d), 0, { locate: true }).controls.compare, false, 'not without deployedTemplate');
    assert.equal(toViewModel(snap(d)).controls.compare, false, 'not when the host says nothing');
    d.actor.send({ type: 'EXECUTE' });
    await answerCall(d.gate, 'execute', executed);
    assert.equal(toViewModel(snap(d), 0, ALL).phase, 'monitoring');
    assert.equal(toViewModel(snap(d), 0, ALL).controls.compare, true, 'and while what was staged runs');
    d.actor.stop();
  });

  it('not for a create: nothing is deployed yet', async () => {
    const d = await review(described.missing);
    assert.equal(toViewModel(snap(d), 0, ALL).controls.compare, false);
    d.actor.stop();
  });

  it('not before anything was staged', async () => {
    const d = startGatedDeployment(deploymentInput());
    await initialized(d);
    await answerCall(d.gate, 'describeTarget', described.ready);
    assert.equal(toViewModel(snap(d), 0, ALL).controls.compare, false);
    d.actor.stop();
  });
});

describe('findings', () => {
  const findings: TemplateFinding[] = [
    { severity: 'error', message: 'Bad name', logicalId: 'Bucket', path: '/Resources/Bucket/Properties/BucketName', check: 'SCHEMA' },
    { severity: 'warning', message: 'Quota is close' },
  ];

  it('listed with Go to Line where the runtime can place them', async () => {
    const d = await review(described.ready, CHANGES, findings);
    const model = toViewModel(snap(d), 0, ALL);
    assert.deepEqual(model.findings, [
      { severity: 'error', message: 'Bad name', logicalId: 'Bucket', path: '/Resources/Bucket/Properties/BucketName', hasLocation: true },
      { severity: 'warning', message: 'Quota is close', hasLocation: false },
    ]);
    assert.ok(
      toViewModel(snap(d)).findings.every((f) => !f.hasLocation),
      'no Go to Line without the runtime locate',
    );
    d.actor.stop();
  });
});

describe('rows', () => {
  const tree: Change[] = [
    { logicalId: 'App', action: 'Modify', resourceType: 'AWS::CloudFormation::Stack' },
    { logicalId: 'App/Network', action: 'Modify', resourceType: 'AWS::CloudFormation::Stack', parent: 'App' },
    { logicalId: 'App/Network/Subnet', action: 'Add', resourceType: 'AWS::EC2::Subnet', parent: 'App/Network' },
  ];

  it('depth from the parent chain; a console link and a location, never the URL', async () => {
    const d = await review(described.ready, tree);
    const model = toViewModel(snap(d), 0, ALL);
    assert.deepEqual(
      model.changes.map((row) => [row.logicalId, row.depth]),
      [
        ['App', undefined],
        ['App/Network', 1],
        ['App/Network/Subnet', 2],
      ],
    );
    assert.ok(model.changes.every((row) => row.hasConsoleLink === true && row.hasLocation === true));
    assert.doesNotMatch(JSON.stringify(model), /https?:\/\//, 'the console URL stays on the host');
    assert.ok(
      toViewModel(snap(d)).changes.every((row) => row.hasLocation === undefined),
      'no location without the runtime locate',
    );
    d.actor.stop();
  });

  it('start and end times, and stabilizing while the newest event says so', async () => {
    const d = await review(described.ready);
    d.actor.send({ type: 'EXECUTE' });
    await answerCall(d.gate, 'execute', executed);
    const event = (second: number, logicalId: string, status: DeploymentEvent['status'], stabilizing?: boolean): DeploymentEvent => ({
      id: `${logicalId}${second}`,
      timestamp: `2026-11-22T10:00:${String(second).padStart(2, '0')}.000Z`,
      logicalId,
      resourceType: 'AWS::S3::Bucket',
      providerStatus: status === 'succeeded' ? 'UPDATE_COMPLETE' : 'UPDATE_IN_PROGRESS',
      status,
      isCancellation: false,
      ...(stabilizing ? { stabilizing } : {}),
    });
    const poll: PollResult = {
      phase: 'inProgress',
      providerStatus: 'UPDATE_IN_PROGRESS',
      events: [event(1, 'Bucket', 'inProgress'), event(3, 'Queue', 'inProgress'), event(4, 'Bucket', 'succeeded'), event(6, 'Queue', 'inProgress', true)],
      pagesRead: 1,
    };
    await answerCall(d.gate, 'poll', poll);
    const [bucket, queue] = toViewModel(snap(d), 0, ALL).changes;
    assert.equal(bucket?.startedAt, '2026-11-22T10:00:01.000Z');
    assert.equal(bucket?.endedAt, '2026-11-22T10:00:04.000Z');
    assert.equal(bucket?.stabilizing, undefined);
    assert.equal(queue?.startedAt, '2026-11-22T10:00:03.000Z');
    assert.equal(queue?.endedAt, undefined);
    assert.equal(queue?.stabilizing, true);
    d.actor.stop();
  });
});

describe('consent', () => {
  it("shows the target's last root cause before asking", async () => {
    const d = startGatedDeployment(deploymentInput());
    await initialized(d);
    const lastFailure: DeploymentEvent = {
      id: 'x',
      timestamp: '2026-11-22T09:00:00.000Z',
      logicalId: 'Queue',
      resourceType: 'AWS::SQS::Queue',
      providerStatus: 'CREATE_FAILED',
      status: 'failed',
      reason: 'Queue name already exists',
      requestId: 'req-1',
      isCancellation: false,
    };
    await answerCall(d.gate, 'describeTarget', { ...described.unrecoverable, lastFailure });
    await settle();
    const model = toViewModel(snap(d));
    assert.equal(model.phase, 'consent');
    assert.deepEqual(model.consent?.rootCause, {
      logicalId: 'Queue',
      resourceType: 'AWS::SQS::Queue',
      providerStatus: 'CREATE_FAILED',
      reason: 'Queue name already exists',
      timestamp: '2026-11-22T09:00:00.000Z',
      requestId: 'req-1',
    });
    d.actor.stop();
  });

  it('none when the provider does not tell', async () => {
    const d = startGatedDeployment(deploymentInput());
    await initialized(d);
    await answerCall(d.gate, 'describeTarget', described.unrecoverable);
    assert.equal(toViewModel(snap(d)).consent?.rootCause, undefined);
    d.actor.stop();
  });
});

describe('options', () => {
  const SPECS: DeploymentOptionSpec[] = [
    { id: 'fast', label: 'Fast', description: 'Skips waiting.', kind: 'flag', default: false, appliesTo: 'always' },
    {
      id: 'onFailure',
      label: 'If the create fails',
      description: 'What happens to a failed create.',
      kind: 'choice',
      choices: [
        { value: 'ROLLBACK', label: 'Roll back' },
        { value: 'KEEP', label: 'Keep it' },
      ],
      default: 'ROLLBACK',
      appliesTo: 'create',
    },
  ];

  it('editable in review with the values in force; one that does not apply is disabled and says why', async () => {
    const d = startGatedDeployment(deploymentInput({ options: { fast: true, onFailure: 'NOT-A-CHOICE' } }), { deploymentOptions: SPECS });
    await throughStaging(d, { condition: described.ready });
    assert.deepEqual(optionRows(snap(d), 'review', SPECS), [
      { id: 'fast', label: 'Fast', description: 'Skips waiting.', kind: 'flag', value: true, enabled: true },
      {
        id: 'onFailure',
        label: 'If the create fails',
        description: 'What happens to a failed create.',
        kind: 'choice',
        choices: [
          { value: 'ROLLBACK', label: 'Roll back' },
          { value: 'KEEP', label: 'Keep it' },
        ],
        value: 'ROLLBACK',
        enabled: false,
        note: 'Applies only when creating the target.',
      },
    ]);
    d.actor.send({ type: 'EXECUTE' });
    await answerCall(d.gate, 'execute', executed);
    const running = optionRows(snap(d), 'monitoring', SPECS) ?? [];
    assert.equal(running.length, 2, 'still shown once the changes run');
    assert.ok(
      running.every((row) => !row.enabled && row.note !== undefined),
      'read-only',
    );
    d.actor.stop();
  });

  it('absent before anything was staged, and when the provider offers none', async () => {
    const d = startGatedDeployment(deploymentInput(), { deploymentOptions: SPECS });
    await answerCall(d.gate, 'preflight');
    assert.equal(optionRows(snap(d), 'starting', SPECS), undefined);
    await answerCall(d.gate, 'initialize', INITIALIZED);
    await answerCall(d.gate, 'describeTarget', described.missing);
    assert.equal(toViewModel(snap(d)).phase, 'staging');
    assert.equal(
      optionRows(snap(d), 'staging', SPECS)?.every((row) => !row.enabled),
      true,
      'read-only while staging',
    );
    assert.equal(optionRows(snap(d), 'staging', []), undefined);
    d.actor.stop();
  });

  it("the model carries the provider's own options in review", async () => {
    const d = await review(described.missing);
    const model = toViewModel(snap(d));
    assert.equal(model.provider, TARGET.provider);
    assert.ok((model.options?.length ?? 0) > 0, 'the descriptor offers options');
    assert.ok(model.options?.some((row) => row.enabled));
    d.actor.stop();
  });
});
