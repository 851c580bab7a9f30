/**
 * The retry banner's sentence, from the host's real view model of a throttled call: one plain
 * sentence that names the call, counts down, and says why, with no nested parentheses and no
 * doubled punctuation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toProviderError as awsError } from '../../src/providers/aws/errors';
import { toProviderError as gcpError } from '../../src/providers/gcp/errors';
import { toViewModel } from '../../src/ui/viewModel';
import { INITIALIZED } from '../support/deploymentFixtures';
import { answerCall, failCall, startGatedDeployment } from '../support/gatedProvider';
import type { Monitor } from './harness';
import { open, useHarness } from './setup';

/** The model of a deployment whose first read of the target was refused with `error`, now waiting to retry. */
async function retrying(error: unknown, now: number) {
  const d = startGatedDeployment({ deploymentId: 'dep-1', target: { provider: 'aws', name: 'demo-stack', region: 'us-east-1' }, autoExecute: false });
  await answerCall(d.gate, 'preflight');
  await answerCall(d.gate, 'initialize', INITIALIZED);
  await failCall(d.gate, 'describeTarget', error);
  const snapshot = d.actor.getSnapshot();
  d.actor.stop();
  const model = toViewModel(snapshot, now);
  assert.ok(model.retry, 'a retry is waiting');
  return model;
}

const bannerText = (monitor: Monitor) => monitor.page.textContent('#retry-banner .banner-text');

describe('webview retry banner', () => {
  const fixture = useHarness();

  it('names the call, counts down and says why, in one sentence', async () => {
    const monitor = await open(fixture);
    const now = Date.now();
    await monitor.page.clock.install({ time: now });
    const throttled = awsError({ name: 'Throttling', message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }, { operation: 'DescribeStackEvents' });
    const model = await retrying(throttled, now);
    await monitor.send({ type: 'snapshot', model: { ...model, retry: { ...model.retry!, retryAt: now + 2_000, attempt: 1 } } });
    assert.equal(await bannerText(monitor), 'Retrying DescribeStackEvents in 2 s: CloudFormation is throttling requests (Rate exceeded).');
    await monitor.send({ type: 'snapshot', model: { ...model, retry: { ...model.retry!, retryAt: now + 4_000, attempt: 3 } } });
    assert.equal(await bannerText(monitor), 'Retrying DescribeStackEvents in 4 s, attempt 3: CloudFormation is throttling requests (Rate exceeded).');
    await monitor.page.clock.runFor(5_000);
    assert.equal(await bannerText(monitor), 'Retrying DescribeStackEvents now, attempt 3: CloudFormation is throttling requests (Rate exceeded).');
  });

  it('reads as one sentence for every kind of retried error, on both providers', async () => {
    const monitor = await open(fixture);
    const now = Date.now();
    await monitor.page.clock.install({ time: now });
    const errors = [
      awsError({ name: 'Throttling', message: 'Rate exceeded' }, { operation: 'DescribeStackEvents' }),
      awsError({ name: 'TimeoutError', code: 'ECONNRESET', message: 'socket hang up' }, { operation: 'DescribeStacks', endpoint: 'http://127.0.0.1:4566' }),
      gcpError(Object.assign(new Error('Quota exceeded'), { code: 429, status: 429 }), { operation: 'deployments.get' }),
    ];
    for (const error of errors) {
      const model = await retrying(error, now);
      await monitor.send({ type: 'snapshot', model: { ...model, retry: { ...model.retry!, retryAt: now + 3_000 } } });
      const text = (await bannerText(monitor)) ?? '';
      assert.match(text, /^Retrying \S.* in 3 s(, attempt \d+)?: .+\.$/, text);
      assert.equal(text.split(': ').length, 2, `one colon, after the call: ${text}`);
      assert.doesNotMatch(text, /\([^)]*\(|[.:;,]\s*[.:;,)]|\.\)/, `no nested parentheses or doubled punctuation: ${text}`);
    }
  });
});
