/**
 * What the side-by-side benchmark needs from the simulator (issue 13): STS GetCallerIdentity on
 * the same endpoint, each call attributed to its caller's access key with when it was answered,
 * the event log with when each event happened, the per-caller "page with news" flag, and
 * jittered durations that are the same for two stacks from one template under one seed. Real SDK
 * clients over HTTP; time is frozen and moved with advance().
 */
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  DeleteChangeSetCommand,
  DescribeStackEventsCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListChangeSetsCommand,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { allEvents, clientFor, createChangeSetAndWait, deploy } from './support';

const QUEUES = `Resources:
${[0, 1, 2, 3, 4, 5]
  .map((i) => `  Queue${i}:\n    Type: AWS::SQS::Queue\n    Metadata: { Stackwatch: { Seconds: 4 } }\n    Properties: { VisibilityTimeout: ${30 + i} }`)
  .join('\n')}
`;

function stsFor(sim: CfnSim, accessKeyId: string): STSClient {
  return new STSClient({ endpoint: sim.url, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'x' } });
}

/** Seconds from each resource's first `<kind>_IN_PROGRESS` to its `<kind>_COMPLETE`, by logical ID. */
async function stepDurations(cfn: CloudFormationClient, stackName: string, kind: 'CREATE' | 'UPDATE'): Promise<Record<string, number>> {
  const events = (await allEvents(cfn, stackName)).filter((e) => e.ResourceType !== 'AWS::CloudFormation::Stack');
  const durations: Record<string, number> = {};
  for (const done of events.filter((e) => e.ResourceStatus === `${kind}_COMPLETE`)) {
    const start = events.find((e) => e.LogicalResourceId === done.LogicalResourceId && e.ResourceStatus === `${kind}_IN_PROGRESS`);
    durations[done.LogicalResourceId ?? ''] = (done.Timestamp!.getTime() - start!.Timestamp!.getTime()) / 1000;
  }
  return durations;
}

describe('cfn-sim for the side-by-side bench', () => {
  let sim: CfnSim;
  let cfn: CloudFormationClient;

  before(async () => {
    sim = await startCfnSim({ speed: 0 });
    cfn = clientFor(sim);
  });
  after(async () => {
    cfn.destroy();
    await sim.close();
  });
  beforeEach(() => sim.reset());

  it('answers STS GetCallerIdentity as the real STS client parses it: the account, and a user per access key', async () => {
    const alice = stsFor(sim, 'AKIAALICE');
    const bob = stsFor(sim, 'AKIABOB');
    try {
      const a = await alice.send(new GetCallerIdentityCommand({}));
      const b = await bob.send(new GetCallerIdentityCommand({}));
      assert.equal(a.Account, '123456789012');
      assert.match(a.Arn ?? '', /^arn:aws:iam::123456789012:user\/cfn-sim-AKIAALICE$/);
      assert.match(a.UserId ?? '', /^AIDA[A-Z2-7]{17}$/);
      assert.notEqual(a.UserId, b.UserId);
      assert.deepEqual(
        sim.calls().map((c) => [c.action, c.accessKeyId, c.status]),
        [
          ['GetCallerIdentity', 'AKIAALICE', 200],
          ['GetCallerIdentity', 'AKIABOB', 200],
        ],
      );
    } finally {
      alice.destroy();
      bob.destroy();
    }
  });

  it('records each call with its caller, when it was answered, and the change set status DescribeChangeSet gave', async () => {
    const other = clientFor(sim, { credentials: { accessKeyId: 'cdk-bench', secretAccessKey: 'x' } });
    try {
      await createChangeSetAndWait(sim, cfn, { StackName: 'mine', ChangeSetName: 'go', ChangeSetType: 'CREATE', TemplateBody: QUEUES });
      await other.send(new DescribeStackEventsCommand({ StackName: 'mine' }));
      const calls = sim.calls();
      assert.deepEqual(
        [...new Set(calls.map((c) => `${c.accessKeyId ?? '-'} ${c.action}`))],
        ['test CreateChangeSet', 'test DescribeChangeSet', 'cdk-bench DescribeStackEvents'],
      );
      for (const call of calls) assert.ok(Date.parse(call.answeredAt ?? '') >= Date.parse(call.at), `${call.action} answered after it arrived`);
      const statuses = calls.filter((c) => c.action === 'DescribeChangeSet').map((c) => c.changeSetStatus);
      assert.equal(statuses.at(-1), 'CREATE_COMPLETE');
      assert.ok(
        statuses.slice(0, -1).every((s) => s === 'CREATE_PENDING' || s === 'CREATE_IN_PROGRESS'),
        statuses.join(', '),
      );
    } finally {
      other.destroy();
    }
  });

  it('keeps an event log with each event ID and when it happened, as DescribeStackEvents shows them', async () => {
    await deploy(sim, cfn, 'logged', QUEUES);
    const shown = await allEvents(cfn, 'logged');
    const log = sim.eventLog().filter((e) => e.stackName === 'logged');
    assert.deepEqual(
      log.map((e) => [e.eventId, e.logicalId, e.status, e.at]),
      shown.map((e) => [e.EventId, e.LogicalResourceId, e.ResourceStatus, e.Timestamp!.getTime()]),
    );
    const viaHttp = (await (await fetch(`${sim.url}/_sim/events`)).json()) as unknown[];
    assert.equal(viaHttp.length, sim.eventLog().length);
  });

  it('flags a DescribeStackEvents page that held an event new to that caller, per caller', async () => {
    const other = clientFor(sim, { credentials: { accessKeyId: 'second', secretAccessKey: 'x' } });
    try {
      const changeSet = await createChangeSetAndWait(sim, cfn, { StackName: 'news', ChangeSetName: 'go', ChangeSetType: 'CREATE', TemplateBody: QUEUES });
      await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSet.ChangeSetId }));
      await cfn.send(new DescribeStackEventsCommand({ StackName: 'news' }));
      await cfn.send(new DescribeStackEventsCommand({ StackName: 'news' }));
      await other.send(new DescribeStackEventsCommand({ StackName: 'news' }));
      sim.advance(2);
      await cfn.send(new DescribeStackEventsCommand({ StackName: 'news' }));
      const pages = sim.calls().filter((c) => c.action === 'DescribeStackEvents');
      assert.deepEqual(
        pages.map((c) => [c.accessKeyId, c.news]),
        [
          ['test', true],
          ['test', false],
          ['second', true],
          ['test', true],
        ],
      );
    } finally {
      other.destroy();
    }
  });

  it('jitters scripted durations the same for two stacks of one template under one seed, differently under another', async () => {
    sim.configure({ durationJitter: 0.25, durationSeed: 11 });
    await deploy(sim, cfn, 'left', QUEUES);
    await deploy(sim, cfn, 'right', QUEUES);
    const left = await stepDurations(cfn, 'left', 'CREATE');
    const right = await stepDurations(cfn, 'right', 'CREATE');
    assert.equal(Object.keys(left).length, 6);
    assert.deepEqual(left, right, 'the stack name does not change them');
    const seconds = Object.values(left);
    assert.ok(
      seconds.every((s) => s >= 3 && s <= 5),
      `within ±25% of 4 s: ${seconds.join(', ')}`,
    );
    assert.ok(new Set(seconds).size > 1, `spread: ${seconds.join(', ')}`);
    assert.ok(
      seconds.some((s) => !Number.isInteger(s)),
      'fractional',
    );

    const updated = QUEUES.replace(/VisibilityTimeout: 3/g, 'VisibilityTimeout: 6');
    await deploy(sim, cfn, 'left', updated, { update: true });
    await deploy(sim, cfn, 'right', updated, { update: true });
    assert.deepEqual(await stepDurations(cfn, 'left', 'UPDATE'), await stepDurations(cfn, 'right', 'UPDATE'), 'updates too');
    assert.notDeepEqual(await stepDurations(cfn, 'left', 'UPDATE'), left, 'an update step is drawn apart from the create step');

    sim.configure({ durationSeed: 12 });
    await deploy(sim, cfn, 'next-round', QUEUES);
    assert.notDeepEqual(await stepDurations(cfn, 'next-round', 'CREATE'), left, 'another seed, other durations');
  });

  it("answers the CDK's deploy path as CloudFormation does: a review shell's template is empty, deleting a missing named change set succeeds", async () => {
    const created = await createChangeSetAndWait(sim, cfn, { StackName: 'shell', ChangeSetName: 'first', ChangeSetType: 'CREATE', TemplateBody: QUEUES });
    const shell = await cfn.send(new GetTemplateCommand({ StackName: 'shell', TemplateStage: 'Original' }));
    assert.equal(shell.TemplateBody, undefined, 'REVIEW_IN_PROGRESS has no deployed template');
    assert.deepEqual(shell.StagesAvailable, ['Original', 'Processed']);

    await cfn.send(new DeleteChangeSetCommand({ StackName: 'shell', ChangeSetName: 'cdk-deploy-change-set' }));
    const left = await cfn.send(new ListChangeSetsCommand({ StackName: 'shell' }));
    assert.deepEqual(
      left.Summaries?.map((c) => c.ChangeSetId),
      [created.ChangeSetId],
      'the other change set stays',
    );
    await assert.rejects(
      cfn.send(new DeleteChangeSetCommand({ StackName: 'ghost', ChangeSetName: 'cdk-deploy-change-set' })),
      /Stack \[ghost\] does not exist/,
    );
    await assert.rejects(
      cfn.send(new DeleteChangeSetCommand({ ChangeSetName: `${created.ChangeSetId ?? ''}0` })),
      (e: Error) => e.name === 'ChangeSetNotFoundException',
    );
  });

  it('refuses a jitter outside [0, 1) with a message saying what it takes', () => {
    assert.throws(() => sim.configure({ durationJitter: 1 }), /durationJitter must be a fraction in \[0, 1\)/);
    assert.throws(() => sim.configure({ durationJitter: -0.1 }), /durationJitter must be a fraction/);
  });
});
