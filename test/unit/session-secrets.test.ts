/**
 * No secret value is ever persisted: a NoEcho/sensitive input, a sensitive output (and one derived
 * from a secret input), and any copy of them quoted in an event reason, a notice, an error or a
 * call in flight. Checked on every write a real session makes, through JSON as workspace state
 * stores it.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { SimulatedClock } from 'xstate';
import type { InitializedDeployment } from '../../src/deployment/machine';
import { SECRET_MASK } from '../../src/deployment/secrets';
import { DeploymentSession } from '../../src/deployment/session';
import { ProviderError, type PollResult, type StageRequest } from '../../src/providers/provider';
import { INITIALIZED, MemorySnapshotStore, TARGET, deploymentInput, described, executed, staged, stagedResults } from '../support/deploymentFixtures';
import { CallGate, answerCall, failCall, settle, stallCall } from '../support/gatedProvider';
import { gatedSessionOptions, startGatedSession } from '../support/gatedSession';

const PASSWORD = 'Tr0ub4dor-3-noecho';
const API_KEY = 'gcp-sensitive-key-19f2';
const CONNECTION = `postgres://app:${PASSWORD}@db:5432/orders`;

const WITH_SECRETS: InitializedDeployment = {
  ...INITIALIZED,
  parameters: [
    { key: 'DbPassword', value: PASSWORD, secret: true },
    { key: 'Env', value: 'staging-eu' },
  ],
  // An output that is !Sub of the NoEcho parameter: masked like a sensitive one.
  sensitiveOutputs: ['ConnectionString'],
};

const leakyPoll: PollResult = {
  phase: 'inProgress',
  providerStatus: 'CREATE_IN_PROGRESS',
  events: [
    {
      id: 'e1',
      timestamp: '2026-11-22T10:00:01.000Z',
      logicalId: 'Db',
      resourceType: 'AWS::RDS::DBInstance',
      providerStatus: 'CREATE_IN_PROGRESS',
      status: 'inProgress',
      reason: `MasterUserPassword "${PASSWORD}" accepted`,
      isCancellation: false,
    },
  ],
  cursor: 'e1',
  pagesRead: 1,
  notice: `The endpoint echoed ${PASSWORD} in a header`,
};

const succeededPoll: PollResult = { phase: 'succeeded', providerStatus: 'CREATE_COMPLETE', events: [], cursor: 'e1', pagesRead: 1 };

function assertNoSecretIn(store: MemorySnapshotStore, secrets: readonly string[]): void {
  assert.ok(store.writes.length > 0);
  store.writes.forEach((write, i) => {
    for (const secret of secrets) assert.ok(!write.includes(secret), `write ${i + 1} of ${store.writes.length} carries the secret ${secret}: ${write}`);
  });
}

describe('persisted sessions hold no secret', () => {
  it('through a whole deployment: inputs, quoted reasons, notices, errors and sensitive outputs', async () => {
    const { session, store, gate, clock } = startGatedSession(deploymentInput({ autoExecute: true }));
    await answerCall(gate, 'preflight');
    await answerCall(gate, 'initialize', WITH_SECRETS);
    await answerCall(gate, 'describeTarget', described.missing);
    const stage = await answerCall(gate, 'stage', staged);
    assert.equal((stage.request as StageRequest).parameters[0]?.value, PASSWORD, 'the provider itself gets the value');
    clock.increment(500);
    await settle();
    await answerCall(gate, 'describeStaged', stagedResults.ready);
    await answerCall(gate, 'execute', executed);
    await answerCall(gate, 'poll', leakyPoll);
    clock.increment(1_000);
    await settle();
    // A retried read whose error quotes the secret: kept as the last error while retrying.
    await failCall(gate, 'poll', new ProviderError('Transient', `503 while reading ${PASSWORD}`));
    clock.increment(session.snapshot.context.retry.delayMs);
    await settle();
    await answerCall(gate, 'poll', succeededPoll);
    await answerCall(gate, 'outputs', [
      { key: 'ConnectionString', value: CONNECTION },
      { key: 'ApiKey', value: API_KEY, sensitive: true },
      { key: 'Url', value: 'https://orders.example.test' },
    ]);
    // Cleaning up: the outputs are in the context, and this state is persisted.
    await session.flush();
    const last = store.writes[store.writes.length - 1] ?? '';
    assert.match(last, /"cleaningUp"/);
    assertNoSecretIn(store, [PASSWORD, API_KEY, CONNECTION]);
    // What is not secret is persisted: the test would see a leak.
    assert.ok(last.includes('staging-eu') && last.includes('https://orders.example.test'), last);
    assert.ok(last.includes(`MasterUserPassword \\"${SECRET_MASK}\\" accepted`), 'the reason is kept, masked');
    assert.ok(last.includes(`The endpoint echoed ${SECRET_MASK} in a header`));
    // The live session keeps the values: copy works from the host.
    assert.equal(session.snapshot.context.outputs.find((o) => o.key === 'ConnectionString')?.value, CONNECTION);
    assert.equal(session.snapshot.context.outputs.find((o) => o.key === 'ConnectionString')?.sensitive, true);
    await answerCall(gate, 'abortStaged');
    await session.finished;
    await session.flush();
    assert.equal(store.data.size, 0);
  });

  it('while the stage call is in flight, even a short secret is not persisted with the call', async () => {
    const PIN = 'Q7z';
    const { session, store, gate } = startGatedSession(deploymentInput());
    await answerCall(gate, 'preflight');
    await answerCall(gate, 'initialize', { ...WITH_SECRETS, parameters: [...WITH_SECRETS.parameters, { key: 'Pin', value: PIN, secret: true }] });
    await answerCall(gate, 'describeTarget', described.missing);
    await stallCall(gate, 'stage');
    await session.flush();
    const inFlight = store.writes[store.writes.length - 1] ?? '';
    assert.match(inFlight, /"creating"/);
    assertNoSecretIn(store, [PASSWORD]);
    const persisted = JSON.parse(inFlight) as unknown;
    const pins: string[] = [];
    JSON.stringify(persisted, (key, value: unknown) => {
      if (key === 'parameters' && Array.isArray(value)) {
        for (const p of value as Array<{ key: string; value: string }>) if (p.key === 'Pin') pins.push(p.value);
      }
      return value;
    });
    assert.ok(pins.length > 0, 'the parameter list itself is persisted');
    assert.deepEqual(
      pins.filter((v) => v === PIN),
      [],
      `the short secret sits in a persisted parameter list: ${inFlight}`,
    );
    session.dispose();
  });

  it('a resumed session re-reads secret inputs from the workspace instead of persisting them', async () => {
    const { session: first, store, gate } = startGatedSession(deploymentInput());
    await answerCall(gate, 'preflight');
    await answerCall(gate, 'initialize', WITH_SECRETS);
    await answerCall(gate, 'describeTarget', described.missing);
    await stallCall(gate, 'stage');
    await first.flush();
    first.dispose();
    const gate2 = new CallGate();
    const resumed = await DeploymentSession.restore(TARGET, gatedSessionOptions(gate2, store, new SimulatedClock()));
    assert.ok(resumed);
    await answerCall(gate2, 'initialize', WITH_SECRETS);
    const stage = (await stallCall(gate2, 'stage')).request as StageRequest;
    assert.equal(stage.parameters.find((p) => p.key === 'DbPassword')?.value, PASSWORD, 'the real value, not a mask or a blank');
    resumed.dispose();
  });
});
