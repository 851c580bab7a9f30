/**
 * The UI side of secret handling, from real machine snapshots: the log channel, history and the
 * webview model never carry a NoEcho/sensitive input value or a sensitive output, not even quoted
 * inside a provider's error message, event reason or a notice. The end-to-end check against the
 * simulators is test/provider/secrets.test.ts.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { DeploymentContext, DeploymentSnapshot } from '../../src/deployment/machine';
import { MIN_MASKED_SUBSTRING, SECRET_MASK } from '../../src/deployment/secrets';
import type { ParameterValue, StackOutput } from '../../src/providers/provider';
import { followInLog, type LogSink } from '../../src/ui/deploymentLog';
import { historyEntry, historyMarkdown } from '../../src/app/history';
import { toViewModel } from '../../src/ui/viewModel';
import { diffViewModel } from '../../src/shared/viewModelDelta';
import { INITIALIZED } from '../support/deploymentFixtures';
import { event, finishedIn, snapshotIn, withEvents } from '../support/uiSnapshots';

const PASSWORD = 'Tr0ub4dor-3-noecho';
const API_KEY = 'gcp-sensitive-key-19f2';
const START = '2026-11-22T10:00:00.000Z';
const END = '2026-11-22T10:01:05.000Z';

const SECRET_INPUTS: ParameterValue[] = [
  { key: 'DbPassword', value: PASSWORD, secret: true },
  { key: 'Env', value: 'staging' },
];

const OUTPUTS: StackOutput[] = [
  { key: 'QueueUrl', value: 'https://sqs.us-east-1.amazonaws.com/1/q' },
  { key: 'Password', value: PASSWORD, sensitive: true },
  { key: 'ConnectionString', value: `postgres://app:${PASSWORD}@db:5432/orders`, sensitive: true },
  { key: 'ApiKey', value: API_KEY, sensitive: true },
];

/** A finished deployment whose provider quoted the secret in an event, the error and a notice. */
function leakyContext(): Partial<DeploymentContext> {
  return {
    initialized: { ...INITIALIZED, parameters: SECRET_INPUTS },
    outputs: OUTPUTS,
    ...withEvents([
      event('Queue', 'CREATE_IN_PROGRESS', 'inProgress'),
      event('Db', 'CREATE_FAILED', 'failed', `Password "${PASSWORD}" does not meet the policy`),
      event('Queue', 'CREATE_FAILED', 'cancelled', 'Resource creation cancelled'),
    ]),
    notices: [`Retried after the endpoint echoed ${API_KEY}`],
    error: { code: 'Validation', message: `Invalid value ${PASSWORD} for DbPassword`, retryable: false },
    providerStatus: 'ROLLBACK_COMPLETE',
  };
}

function assertNoSecret(where: string, text: string): void {
  for (const secret of [PASSWORD, API_KEY]) assert.ok(!text.includes(secret), `${where} carries the secret ${secret}: ${text}`);
}

/** Records every line written to the log channel. */
class RecordingLog implements LogSink {
  readonly lines: string[] = [];
  info(message: string): void {
    this.lines.push(`info ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }
  error(message: string | Error): void {
    this.lines.push(`error ${String(message)}`);
  }
}

/** Hands followInLog a sequence of real snapshots, as a session's onDidChange would. */
class SnapshotFeed {
  private listener: ((snapshot: DeploymentSnapshot) => void) | undefined;
  constructor(public snapshot: DeploymentSnapshot) {}
  onDidChange(listener: (snapshot: DeploymentSnapshot) => void): () => void {
    this.listener = listener;
    return () => (this.listener = undefined);
  }
  push(snapshot: DeploymentSnapshot): void {
    this.snapshot = snapshot;
    this.listener?.(snapshot);
  }
}

describe('secrets on the UI side', () => {
  it('the log channel masks sensitive outputs and any secret quoted in events, notices and errors', () => {
    const log = new RecordingLog();
    const feed = new SnapshotFeed(snapshotIn('monitoring', { initialized: { ...INITIALIZED, parameters: SECRET_INPUTS } }));
    const stop = followInLog(feed, log);
    feed.push(finishedIn('rolledBack', true, leakyContext()));
    stop();
    const all = log.lines.join('\n');
    assertNoSecret('the log', all);
    // What is not secret is still there: the test would see a leak.
    assert.match(all, /output QueueUrl = https:\/\/sqs\.us-east-1\.amazonaws\.com\/1\/q/);
    assert.ok(log.lines.includes(`info demo-stack: output Password = ${SECRET_MASK}`), all);
    assert.ok(
      log.lines.some((line) => line.startsWith('error ') && line.includes(`Password "${SECRET_MASK}" does not meet the policy`)),
      all,
    );
    assert.ok(
      log.lines.some((line) => line === `error demo-stack: Invalid value ${SECRET_MASK} for DbPassword.`),
      all,
    );
    assert.ok(
      log.lines.some((line) => line === `warn demo-stack: Retried after the endpoint echoed ${SECRET_MASK}`),
      all,
    );
  });

  it(`a secret shorter than ${MIN_MASKED_SUBSTRING} characters is masked where it stands whole, not inside other text`, () => {
    const log = new RecordingLog();
    const context: Partial<DeploymentContext> = {
      initialized: { ...INITIALIZED, parameters: [{ key: 'Pin', value: '7', secret: true }] },
      outputs: [{ key: 'Pin', value: '7', sensitive: true }],
      ...withEvents([event('Queue', 'CREATE_COMPLETE', 'succeeded', 'Created 7 queues in 17 ms')]),
    };
    const feed = new SnapshotFeed(finishedIn('succeeded', false, context));
    followInLog(feed, log)();
    assert.ok(log.lines.includes(`info demo-stack: output Pin = ${SECRET_MASK}`), log.lines.join('\n'));
    // Masking "7" everywhere would garble times and counts, and show where the secret's digit is.
    assert.ok(
      log.lines.some((line) => line.includes('Created 7 queues in 17 ms')),
      log.lines.join('\n'),
    );

    const model = toViewModel(finishedIn('succeeded', false, context));
    assert.equal(model.outputs[0]?.value, SECRET_MASK);
  });

  it('the webview model and every delta to it carry no secret, while copy on the host still reads the value', () => {
    const before = toViewModel(snapshotIn('monitoring', { initialized: { ...INITIALIZED, parameters: SECRET_INPUTS } }));
    const finished = finishedIn('rolledBack', true, leakyContext());
    const after = toViewModel(finished);
    const delta = diffViewModel(before, after);
    assert.ok(delta, 'the final model differs from the monitoring one');
    assertNoSecret('the snapshot message', JSON.stringify({ type: 'snapshot', model: after }));
    assertNoSecret('the delta message', JSON.stringify({ type: 'delta', delta }));
    assert.deepEqual(
      after.outputs.map((o) => [o.key, o.value, o.sensitive ?? false]),
      [
        ['QueueUrl', 'https://sqs.us-east-1.amazonaws.com/1/q', false],
        ['Password', SECRET_MASK, true],
        ['ConnectionString', SECRET_MASK, true],
        ['ApiKey', SECRET_MASK, true],
      ],
    );
    assert.equal(after.error?.message, `Invalid value ${SECRET_MASK} for DbPassword`);
    assert.equal(after.failures.rootCause?.reason, `Password "${SECRET_MASK}" does not meet the policy`);
    // The monitor's Copy handler reads the live context on the host, which keeps the value.
    assert.equal(finished.context.outputs.find((o) => o.key === 'Password')?.value, PASSWORD);
  });

  it('history stores no secret value and no parameter, and its Markdown shows none', () => {
    const entry = historyEntry(finishedIn('rolledBack', true, leakyContext()), START, END);
    assert.ok(entry);
    const stored = JSON.stringify(entry);
    assertNoSecret('the history entry', stored);
    assertNoSecret('the history Markdown', historyMarkdown(entry));
    assert.ok(!('parameters' in entry) && !stored.includes('staging'), 'parameter values, secret or not, are not recorded');
    assert.deepEqual(
      entry.outputs.map((o) => o.value),
      ['https://sqs.us-east-1.amazonaws.com/1/q', SECRET_MASK, SECRET_MASK, SECRET_MASK],
    );
    assert.equal(entry.failures.rootCause?.reason, `Password "${SECRET_MASK}" does not meet the policy`);
  });
});
