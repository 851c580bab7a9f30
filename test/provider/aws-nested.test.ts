/**
 * Nested stacks through the real machine, the AWS adapter and the real SDK, against cfn-sim's
 * real child stacks (templates in the simulator's own S3): every nested resource is a row keyed
 * "Parent/Child", progress counts them, the root cause of a failure inside a nested stack is that
 * resource, a reload resumes following from the persisted cursor, and Stop and recovery act on the root.
 */
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import { progressOf, summarizeFailures } from '../../src/deployment/resources';
import { DeploymentSession } from '../../src/deployment/session';
import type { AwsProvider } from '../../src/providers/aws/awsProvider';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { MemoryStore, awsProvider, startDeployment, uniqueDeploymentId, waitFor, waitForEnd, workspaceFor } from '../support/awsDeployment';

const queues = (names: string[], seconds = 2): string =>
  names.map((name) => `  ${name}:\n    Type: AWS::SQS::Queue\n    Metadata: { Stackwatch: { Seconds: ${seconds} } }\n`).join('');

const CHILD = `Resources:\n${queues(['QueueA', 'QueueB', 'QueueC'])}`;
const SLOW_CHILD = `Resources:\n${queues(['QueueA', 'QueueB', 'QueueC'], 30)}`;
const FAILING_CHILD = `Resources:
${queues(['Queue'], 4)}  Bucket:
    Type: AWS::S3::Bucket
    Metadata: { Stackwatch: { Fail: "Bucket name taken", Seconds: 1 } }
`;
/** A child that nests the plain child: rows two levels down. */
const MIDDLE = (url: string): string => `Resources:
  Inner:
    Type: AWS::CloudFormation::Stack
    Properties: { TemplateURL: ${url} }
${queues(['Mid'])}`;

const nestedResource = (logicalId: string, url: string): string =>
  `  ${logicalId}:\n    Type: AWS::CloudFormation::Stack\n    Properties: { TemplateURL: ${url} }\n`;
const root = (...nested: string[]): string => `Resources:\n${nested.join('')}${queues(['Topic'])}`;

describe('nested stacks against cfn-sim', () => {
  let sim: CfnSim;
  let provider: AwsProvider;

  before(async () => {
    sim = await startCfnSim({ speed: 20 });
    provider = awsProvider(sim.url, { changeSetPollMs: 50 });
  });
  beforeEach(() => {
    sim.reset();
    sim.setSpeed(20);
  });
  after(async () => {
    provider.dispose();
    await sim.close();
  });

  const callsOf = (action: string) => sim.calls().filter((c) => c.action === action);

  it('a nested create that succeeds: every nested row succeeds and progress is N/N over them', async () => {
    const child = sim.putObject('tpl', 'child.yaml', CHILD);
    const middle = sim.putObject('tpl', 'middle.yaml', MIDDLE(child));
    const end = await waitForEnd(
      startDeployment({ provider, stackName: 'app', template: root(nestedResource('Network', child), nestedResource('App', middle)) }),
    );
    assert.equal(end.value, 'succeeded');
    const { resources, changes, events } = end.context;
    const expected = [
      'Network',
      'Network/QueueA',
      'Network/QueueB',
      'Network/QueueC',
      'App',
      'App/Mid',
      'App/Inner',
      'App/Inner/QueueA',
      'App/Inner/QueueB',
      'App/Inner/QueueC',
      'Topic',
    ];
    for (const key of expected) assert.equal(resources[key]?.status, 'succeeded', `${key}: ${JSON.stringify(resources[key])}`);
    assert.deepEqual(Object.keys(resources).sort(), [...expected].sort(), 'no row for a nested stack itself beyond its resource in the parent');
    const progress = progressOf(changes, resources);
    assert.equal(progress.done, progress.total);
    const countedNested = changes.filter((c) => c.logicalId.includes('/')).length;
    assert.ok(countedNested >= 7, `the change list holds the nested rows: ${changes.map((c) => c.logicalId).join(', ')}`);
    // Each nested event once: the child stacks were read incrementally, never re-delivering an event.
    const ids = events.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length);
    const childReads = callsOf('DescribeStackEvents').filter((c) => /:stack\/app-/.test(c.params.StackName ?? ''));
    assert.ok(childReads.length > 0, 'the nested stacks were read by their ARN');
  });

  it('a failure inside a nested stack: the root cause is its resource, keyed Parent/Child, not the embedded-stack failure', async () => {
    const failing = sim.putObject('tpl', 'failing.yaml', FAILING_CHILD);
    const end = await waitForEnd(startDeployment({ provider, stackName: 'broken', template: root(nestedResource('Storage', failing)) }));
    assert.equal(end.context.providerStatus, 'ROLLBACK_COMPLETE');
    const failures = summarizeFailures(end.context.events, 'broken');
    assert.equal(failures.rootCause?.logicalId, 'Storage/Bucket', JSON.stringify(failures));
    assert.equal(failures.rootCause?.reason, 'Bucket name taken');
    assert.ok(
      failures.cancellations.some((c) => c.logicalId === 'Storage' && /^Embedded stack .* was not successfully created/.test(c.reason)),
      `the nested stack's own failure is a consequence: ${JSON.stringify(failures.cancellations)}`,
    );
    assert.ok(!failures.otherFailures.some((f) => f.logicalId === 'Storage'));
    // Rolled back: the nested resources that were made are not counted as done.
    assert.notEqual(end.context.resources['Storage/Queue']?.status, 'succeeded');
  });

  it('recovery of a dead stack with a nested stack deletes the root stack, by its ARN, and nothing else', async () => {
    const failing = sim.putObject('tpl', 'failing.yaml', FAILING_CHILD);
    await waitForEnd(startDeployment({ provider, stackName: 'dead', template: root(nestedResource('Storage', failing)) }));
    const signal = new AbortController().signal;
    const target = { provider: 'aws' as const, name: 'dead', region: 'us-east-1' };
    const described = await provider.describeTarget({ target, signal });
    assert.equal(described.providerStatus, 'ROLLBACK_COMPLETE');
    assert.ok(described.recoveryActions.some((a) => a.id === 'delete'));
    const rootId = described.targetId ?? '';
    assert.match(rootId, /:stack\/dead\//);
    await provider.recover({ target, action: 'delete', deploymentId: uniqueDeploymentId('recover'), targetId: rootId, signal });
    assert.deepEqual(
      callsOf('DeleteStack').map((c) => c.params.StackName),
      [rootId],
    );
  });

  it('a reload mid-deployment resumes following the nested stack from the persisted cursor', async () => {
    const slow = sim.putObject('tpl', 'slow.yaml', SLOW_CHILD);
    const store = new MemoryStore();
    const deploymentId = uniqueDeploymentId('nested-reload');
    const template = root(nestedResource('Network', slow));
    const first = startDeployment({ provider, stackName: 'reloaded', template, store, deploymentId });
    await waitFor(first, (s) => s.context.resources['Network/QueueA']?.status === 'inProgress', 30_000, 'a nested row in progress');
    await first.flush();
    first.dispose();
    assert.ok([...store.data.values()].join('').includes('\\"nested\\":[{\\"key\\":\\"Network\\"'), 'the cursor that follows the nested stack was persisted');
    const target = { provider: 'aws' as const, name: 'reloaded', region: 'us-east-1' };
    const resumed = await DeploymentSession.restore(target, { provider, workspace: workspaceFor({ template }), store });
    assert.ok(resumed, 'the deployment resumed');
    sim.setSpeed(200);
    const end = await waitForEnd(resumed);
    resumed.dispose();
    assert.equal(end.value, 'succeeded');
    for (const key of ['Network/QueueA', 'Network/QueueB', 'Network/QueueC']) assert.equal(end.context.resources[key]?.status, 'succeeded', key);
    const ids = end.context.events.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, 'no event delivered twice across the reload');
  });

  it('Stop during an update of a nested stack cancels the root stack, by its own name', async () => {
    const child = sim.putObject('tpl', 'child.yaml', CHILD);
    const slow = sim.putObject('tpl', 'slow.yaml', `Resources:\n${queues(['QueueA', 'QueueB', 'QueueC', 'QueueD'], 600)}`);
    await waitForEnd(startDeployment({ provider, stackName: 'stoppable', template: root(nestedResource('Network', child)) }));
    const session = startDeployment({ provider, stackName: 'stoppable', template: root(nestedResource('Network', slow)) });
    // A nested stack's update is reviewed by the person (its change is dynamic), so it is executed here.
    await waitFor(session, (s) => s.matches('reviewing'), 30_000, 'the review');
    session.send({ type: 'EXECUTE' });
    await waitFor(
      session,
      (s) => s.matches('monitoring') && s.context.resources['Network/QueueD']?.status === 'inProgress',
      30_000,
      'the nested update to start',
    );
    session.send({ type: 'STOP' });
    await waitFor(session, (s) => s.context.stopRequested, 10_000, 'the stop to be accepted');
    sim.setSpeed(2_000);
    const end = await waitForEnd(session);
    session.dispose();
    assert.equal(end.value, 'rolledBack');
    assert.deepEqual(
      callsOf('CancelUpdateStack').map((c) => c.params.StackName),
      ['stoppable'],
      'only the root stack is cancelled; CloudFormation rolls the nested one back with it',
    );
    assert.equal(end.context.providerStatus, 'UPDATE_ROLLBACK_COMPLETE');
  });
});
