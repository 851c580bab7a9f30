/** The learned-duration model: what it learns from a deployment's events, what it expects, and its bounds. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { defaultDuration } from '../../src/deployment/durations/defaultDurations';
import {
  MAX_RESOURCE_KEYS,
  MAX_TYPE_KEYS,
  SAMPLES_KEPT,
  durationTargetKey,
  emptyLearnedDurations,
  expectedDuration,
  expectedProgressDelay,
  learnFromDeployment,
  normalizeLearnedDurations,
  type LearnedDurations,
} from '../../src/deployment/durations/learnedDurations';
import type { Change, DeploymentEvent, ResourceStatus } from '../../src/providers/provider';

const STACK = 'demo';
const TARGET_KEY = durationTargetKey({ provider: 'aws', name: STACK, region: 'us-east-1' });
const T0 = Date.parse('2026-03-01T10:00:00.000Z');
let ids = 0;

function ev(
  logicalId: string,
  resourceType: string,
  providerStatus: string,
  status: ResourceStatus,
  atMs: number,
  extra: Partial<DeploymentEvent> = {},
): DeploymentEvent {
  return {
    id: `e${ids++}`,
    timestamp: new Date(T0 + atMs).toISOString(),
    logicalId,
    resourceType,
    providerStatus,
    status,
    isCancellation: false,
    ...extra,
  };
}

/** A create that starts at `start` and succeeds `ms` later, with its "initiated" event `progress` ms in when given. */
function created(logicalId: string, resourceType: string, start: number, ms: number, progress?: number): DeploymentEvent[] {
  return [
    ev(logicalId, resourceType, 'CREATE_IN_PROGRESS', 'inProgress', start),
    ...(progress === undefined
      ? []
      : [ev(logicalId, resourceType, 'CREATE_IN_PROGRESS', 'inProgress', start + progress, { reason: 'Resource creation Initiated' })]),
    ev(logicalId, resourceType, 'CREATE_COMPLETE', 'succeeded', start + ms),
  ];
}

function learn(learned: LearnedDurations, events: DeploymentEvent[], targetKey = TARGET_KEY, changes?: Change[]): LearnedDurations {
  return learnFromDeployment(learned, { targetKey, targetName: STACK, events, ...(changes ? { changes } : {}) });
}

const QUEUE = 'AWS::SQS::Queue';
const query = (logicalId: string, resourceType = QUEUE, kind: 'create' | 'update' | 'delete' = 'create', targetKey = TARGET_KEY) => ({
  targetKey,
  logicalId,
  resourceType,
  kind,
});

describe('learned durations: learning from events', () => {
  it('learns a create from its first in-progress event to its success', () => {
    const learned = learn(emptyLearnedDurations(), created('Queue', QUEUE, 0, 4_200));
    const expected = expectedDuration(learned, query('Queue'));
    assert.equal(expected.basis, 'history');
    assert.equal(expected.ms, 4_200);
    assert.ok(expected.spreadMs > 0 && expected.spreadMs < 4_200);
  });

  it('expects a resource’s own history first, then its type’s, then the default', () => {
    let learned = emptyLearnedDurations();
    learned = learn(learned, [...created('Fast', QUEUE, 0, 2_000), ...created('Slow', QUEUE, 0, 8_000), ...created('Mid', QUEUE, 0, 5_000)]);
    assert.equal(expectedDuration(learned, query('Fast')).ms, 2_000);
    assert.equal(expectedDuration(learned, query('Slow')).ms, 8_000);
    // A queue this target never created: the type's median.
    const unseen = expectedDuration(learned, query('Other'));
    assert.deepEqual([unseen.ms, unseen.basis], [5_000, 'history']);
    // The same logical ID in another stack is another resource: its type's history, not this one's.
    const elsewhere = expectedDuration(learned, query('Fast', QUEUE, 'create', durationTargetKey({ provider: 'aws', name: 'other' })));
    assert.equal(elsewhere.ms, 5_000);
    // A type never seen: the default, said to be one.
    const table = expectedDuration(learned, query('Table', 'AWS::DynamoDB::Table'));
    assert.equal(table.basis, 'defaults');
    assert.deepEqual({ ms: table.ms, spreadMs: table.spreadMs }, defaultDuration('AWS::DynamoDB::Table', 'create'));
  });

  it('keeps create, update and delete apart', () => {
    const events = [
      ev('Queue', QUEUE, 'UPDATE_IN_PROGRESS', 'inProgress', 0),
      ev('Queue', QUEUE, 'UPDATE_COMPLETE', 'succeeded', 30_000),
      ev('Topic', 'AWS::SNS::Topic', 'DELETE_IN_PROGRESS', 'inProgress', 0),
      ev('Topic', 'AWS::SNS::Topic', 'DELETE_COMPLETE', 'succeeded', 700),
    ];
    const learned = learn(emptyLearnedDurations(), events);
    assert.equal(expectedDuration(learned, query('Queue', QUEUE, 'update')).ms, 30_000);
    assert.equal(expectedDuration(learned, query('Queue', QUEUE, 'create')).basis, 'defaults');
    assert.equal(expectedDuration(learned, query('Topic', 'AWS::SNS::Topic', 'delete')).ms, 700);
  });

  it('learns nested rows under their own key and their own type', () => {
    const learned = learn(emptyLearnedDurations(), created('Network/Subnet', 'AWS::EC2::Subnet', 0, 3_300));
    assert.equal(expectedDuration(learned, query('Network/Subnet', 'AWS::EC2::Subnet')).ms, 3_300);
    assert.equal(expectedDuration(learned, query('Network/Other', 'AWS::EC2::Subnet')).ms, 3_300, 'the type is learned too');
    assert.equal(expectedDuration(learned, query('Subnet', 'AWS::EC2::Subnet')).basis, 'history', 'by type, wherever it sits');
  });

  it('learns nothing from failures, cancellations, rollbacks, clean-up or the target’s own events', () => {
    const events = [
      ev(STACK, 'AWS::CloudFormation::Stack', 'CREATE_IN_PROGRESS', 'inProgress', 0),
      ev('Failed', QUEUE, 'CREATE_IN_PROGRESS', 'inProgress', 0),
      ev('Failed', QUEUE, 'CREATE_FAILED', 'failed', 1_000, { reason: 'Queue name already exists' }),
      ev('Cancelled', QUEUE, 'CREATE_IN_PROGRESS', 'inProgress', 0),
      ev('Cancelled', QUEUE, 'CREATE_FAILED', 'cancelled', 1_000, { isCancellation: true, reason: 'Resource creation cancelled' }),
      ev(STACK, 'AWS::CloudFormation::Stack', 'ROLLBACK_IN_PROGRESS', 'rollingBack', 1_100),
      // The rollback deletes what was made: its delete is no delete the person asked for.
      ev('Made', QUEUE, 'DELETE_IN_PROGRESS', 'rollingBack', 1_200),
      ev('Made', QUEUE, 'DELETE_COMPLETE', 'rolledBack', 1_900),
      ev('Old', QUEUE, 'DELETE_IN_PROGRESS', 'inProgress', 2_000, { isCleanup: true }),
      ev('Old', QUEUE, 'DELETE_COMPLETE', 'succeeded', 2_500, { isCleanup: true }),
      ev(STACK, 'AWS::CloudFormation::Stack', 'ROLLBACK_COMPLETE', 'rolledBack', 3_000),
    ];
    const learned = learn(emptyLearnedDurations(), events);
    assert.deepEqual(learned, emptyLearnedDurations());
  });

  it('does not pair an in-progress event of one operation with the success of another', () => {
    const events = [ev('Queue', QUEUE, 'CREATE_IN_PROGRESS', 'inProgress', 0), ev('Queue', QUEUE, 'UPDATE_COMPLETE', 'succeeded', 9_000)];
    assert.deepEqual(learn(emptyLearnedDurations(), events), emptyLearnedDurations());
  });

  it('takes the kind from the change list when the statuses do not say it', () => {
    const type = 'google_pubsub_topic';
    const events = [ev('google_pubsub_topic.t', type, 'IN_PROGRESS', 'inProgress', 0), ev('google_pubsub_topic.t', type, 'RECONCILED', 'succeeded', 6_000)];
    const changes: Change[] = [{ logicalId: 'google_pubsub_topic.t', action: 'Modify', resourceType: type }];
    const learned = learn(emptyLearnedDurations(), events, 'gcp||dep', changes);
    assert.equal(expectedDuration(learned, query('google_pubsub_topic.t', type, 'update', 'gcp||dep')).ms, 6_000);
  });
});

describe('learned durations: the estimate', () => {
  it('is the median of the recent samples: one slow day does not move it far', () => {
    let learned = emptyLearnedDurations();
    for (const ms of [5_000, 5_200, 4_800, 60_000, 5_100]) learned = learn(learned, created('Queue', QUEUE, 0, ms));
    const expected = expectedDuration(learned, query('Queue'));
    assert.equal(expected.ms, 5_100);
    assert.ok(expected.spreadMs >= (60_000 - 4_800) / 2, 'the spread still shows how far it went');
  });

  it('keeps only the newest samples per key', () => {
    let learned = emptyLearnedDurations();
    for (let i = 0; i < SAMPLES_KEPT + 5; i++) learned = learn(learned, created('Queue', QUEUE, 0, i < 5 ? 100_000 : 2_000));
    for (const samples of Object.values(learned.byResource)) assert.equal(samples.length, SAMPLES_KEPT);
    assert.equal(expectedDuration(learned, query('Queue')).ms, 2_000, 'the old slow samples are gone');
  });

  it('learns when the second in-progress event comes, or that none does', () => {
    let learned = learn(emptyLearnedDurations(), [...created('A', QUEUE, 0, 4_000, 900), ...created('B', QUEUE, 0, 6_000, 1_100)]);
    const progress = expectedProgressDelay(learned, query('C'), { ms: 5_000, spreadMs: 500 });
    assert.equal(progress?.ms, 1_000);
    // Updates of this type never showed one: none is expected.
    learned = learn(learned, [ev('A', QUEUE, 'UPDATE_IN_PROGRESS', 'inProgress', 0), ev('A', QUEUE, 'UPDATE_COMPLETE', 'succeeded', 3_000)]);
    assert.equal(expectedProgressDelay(learned, query('A', QUEUE, 'update'), { ms: 3_000, spreadMs: 300 }), undefined);
  });
});

describe('learned durations: bounded and safe to store', () => {
  it('caps the resources and types it keeps, dropping the least recently learned', () => {
    let learned = emptyLearnedDurations();
    const count = MAX_RESOURCE_KEYS + 40;
    const events: DeploymentEvent[] = [];
    for (let i = 0; i < count; i++) events.push(...created(`Queue${i}`, `Custom::Type${i}`, 0, 1_000 + i));
    learned = learn(learned, events);
    assert.equal(Object.keys(learned.byResource).length, MAX_RESOURCE_KEYS);
    assert.equal(Object.keys(learned.byType).length, MAX_TYPE_KEYS);
    assert.equal(expectedDuration(learned, query(`Queue${count - 1}`, `Custom::Type${count - 1}`)).ms, 1_000 + count - 1, 'the newest stays');
    assert.equal(expectedDuration(learned, query('Queue0', 'Custom::Type0')).basis, 'defaults', 'the oldest went');
  });

  it('survives a JSON round trip, and anything unreadable starts empty', () => {
    const learned = learn(emptyLearnedDurations(), created('Queue', QUEUE, 0, 4_000, 1_000));
    assert.deepEqual(normalizeLearnedDurations(JSON.parse(JSON.stringify(learned))), learned);
    assert.deepEqual(normalizeLearnedDurations(undefined), emptyLearnedDurations());
    assert.deepEqual(normalizeLearnedDurations({ version: 2, byType: {} }), emptyLearnedDurations());
    const damaged = normalizeLearnedDurations({ version: 1, byType: { 'create|X': ['a', -5, 3_000, Number.NaN] }, byResource: 'no', progressByType: null });
    assert.deepEqual(damaged.byType, { 'create|X': [3_000] });
    assert.deepEqual(damaged.byResource, {});
  });
});

describe('default durations', () => {
  it('follow real orders of magnitude per type, with a generic default for the unknown', () => {
    const seconds = (type: string) => defaultDuration(type, 'create').ms / 1000;
    assert.ok(seconds('AWS::SQS::Queue') < 10);
    assert.ok(seconds('AWS::IAM::Role') >= 10 && seconds('AWS::IAM::Role') < 60);
    assert.ok(seconds('AWS::RDS::DBInstance') >= 300);
    assert.ok(seconds('AWS::CloudFront::Distribution') >= 300);
    assert.ok(seconds('google_pubsub_topic') < 10);
    assert.ok(seconds('google_sql_database_instance') >= 300);
    assert.ok(seconds('Vendor::Unknown::Thing') > 0);
    assert.ok(defaultDuration('AWS::RDS::DBInstance', 'create').spreadMs > 0);
  });
});
