/**
 * Review fixes in the Infrastructure Manager adapter that need no im-sim: where ADC tokens may
 * go, which failures are retryable, how a reattached apply ends, what a saved plan shows, and
 * that a force delete does not wait out a slow unlock in one call.
 */
import { strict as assert } from 'node:assert';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { OAuth2Client } from 'google-auth-library';
import { GaxiosError } from 'gaxios';
import { isProviderError, type TargetRef } from '../../src/providers/provider';
import { toProviderError } from '../../src/providers/gcp/errors';
import { GcpProvider, isLoopbackEndpoint } from '../../src/providers/gcp/gcpProvider';
import { previewId } from '../../src/providers/gcp/names';
import { operationOutcome } from '../../src/providers/gcp/outcome';
import { recoveryAction } from '../../src/providers/gcp/recovery';
import type { GcpProviderSettings } from '../../src/providers/gcp/settings';
import { useIsolatedAdc } from '../support/isolatedAdc';

const settings = (endpoint: string): GcpProviderSettings => ({
  project: 'orders-prod',
  location: 'us-central1',
  deploymentName: 'orders',
  serviceAccount: 'deployer@orders-prod.iam.gserviceaccount.com',
  blueprintFolder: '/nowhere',
  inputValues: {},
  stagingBucket: 'orders-prod-blueprints',
  endpoint,
});
const target: TargetRef = { provider: 'gcp', name: 'orders', region: 'us-central1' };

describe('ADC is only sent to loopback endpoints', () => {
  useIsolatedAdc();

  const refused = (error: unknown): boolean =>
    isProviderError(error) &&
    error.code === 'Credentials' &&
    /stackwatch\.gcp\.endpoint/.test(error.message) &&
    /im\.example\.com/.test(error.message) &&
    /loopback/.test(error.details.hint ?? '') &&
    /STACKWATCH_GCP_ACCESS_TOKEN/.test(error.details.hint ?? '');

  it('a non-loopback endpoint without an injected client: every call and describeIdentity refuse', async () => {
    const provider = new GcpProvider(settings('https://im.example.com/'));
    const signal = AbortSignal.timeout(5_000);
    await assert.rejects(provider.describeTarget({ target, signal }), refused);
    await assert.rejects(provider.describeIdentity(signal), refused);
    await assert.rejects(provider.outputs({ target, signal }), refused);
    await assert.rejects(
      provider.stop({
        target,
        deploymentId: 'dep',
        operation: { operationName: 'projects/p/locations/l/operations/o', startedAt: '', kind: 'update' },
        signal,
      }),
      refused,
    );
  });

  it('deps.rootUrl wins over the setting, and loopback names are recognised', () => {
    assert.equal(isLoopbackEndpoint('http://127.0.0.1:8080/'), true);
    assert.equal(isLoopbackEndpoint('http://[::1]:8080/'), true);
    assert.equal(isLoopbackEndpoint('http://localhost:8080/'), true);
    assert.equal(isLoopbackEndpoint('http://LOCALHOST/'), true);
    assert.equal(isLoopbackEndpoint('https://im.example.com/'), false);
    assert.equal(isLoopbackEndpoint('http://127.0.0.1.example.com/'), false);
    assert.equal(isLoopbackEndpoint('http://localhost@im.example.com/'), false);
    assert.equal(isLoopbackEndpoint('not a url'), false);
  });

  it('an injected client may go anywhere: the user chose that token for that endpoint', async () => {
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: 't' });
    const identity = await new GcpProvider(settings('https://im.example.com/'), { authClient }).describeIdentity(AbortSignal.timeout(5_000));
    assert.equal(identity.account, undefined, 'a bare token names no account');
    assert.equal(identity.runsAs, 'with an access token');
  });
});

describe('timeouts and dropped connections are retryable', () => {
  const config = { url: new URL('https://config.googleapis.com/v1/x'), headers: new Headers() } as never;
  const withCode = (code: string) => Object.assign(new GaxiosError('request failed', config), { code });

  it('maps gaxios TimeoutError and socket codes to Transient', () => {
    for (const code of ['TimeoutError', 'ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'EAI_AGAIN']) {
      const error = toProviderError(withCode(code), { operation: 'deployments.get' });
      assert.equal(error.code, 'Transient', code);
      assert.ok(error.retryable, code);
    }
  });

  it('an AbortError is our own timeout unless the caller aborted', () => {
    const abort = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    assert.equal(toProviderError(abort, { operation: 'op', signal: new AbortController().signal }).code, 'Transient');
    const cancelled = new AbortController();
    cancelled.abort();
    assert.equal(toProviderError(abort, { operation: 'op', signal: cancelled.signal }).code, 'Aborted');
  });
});

describe('a reattached apply without an operation name', () => {
  it('counts a vanished deployment as success only for a delete; for anything else the ending is unknown, never "failed"', () => {
    assert.equal(operationOutcome(undefined, undefined, undefined, 'delete')?.status, 'succeeded');
    assert.equal(operationOutcome(undefined, { state: 'DELETED' }, undefined, 'delete')?.status, 'succeeded');
    for (const kind of ['create', 'update', 'unknown'] as const) {
      const outcome = operationOutcome(undefined, undefined, undefined, kind);
      assert.equal(outcome?.status, 'unknown', kind);
      assert.equal(outcome?.providerStatus, 'DELETED', kind);
      assert.match(outcome?.reason ?? '', /disappeared while .*deleted outside this run, so how that run ended is not known/, kind);
      assert.equal(operationOutcome(undefined, { state: 'DELETED' }, undefined, kind)?.status, 'unknown', kind);
    }
    assert.equal(operationOutcome(undefined, { state: 'ACTIVE' }, undefined, 'update')?.status, 'succeeded');
  });
});

describe('preview IDs', () => {
  it('come from the deployment ID and the attempt alone, within 63 characters, even for long IDs', () => {
    const long = 'x'.repeat(200);
    assert.match(previewId(long, 12), /^[a-z][a-z0-9-]{0,62}$/);
    assert.match(previewId('0f8e2c1a-4b7d-4c3e-9a1b-2d3c4e5f6a7b', 999), /^[a-z][a-z0-9-]{0,62}$/);
    assert.notEqual(previewId(`${long}a`, 0), previewId(`${long}b`, 0), 'IDs that share their first 40 characters stay apart');
    assert.equal(previewId('dep-1', 3), previewId('dep-1', 3));
  });
});

describe('recovery words', () => {
  it('force delete says the lock is released first only when there is one', () => {
    assert.match(recoveryAction('forceDelete', 'orders', 'ACTIVE (lock LOCKED)', true).description, /Release the Terraform lock on orders first/);
    assert.doesNotMatch(recoveryAction('forceDelete', 'orders', 'SUSPENDED', false).description, /lock/);
  });
});

describe('waiting for an unlock', () => {
  const methods: string[] = [];
  let server: Server;
  let rootUrl = '';
  const name = 'projects/orders-prod/locations/us-central1/deployments/orders';
  before(async () => {
    // Just enough of Infrastructure Manager for a crashed lock whose release never finishes.
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      const reply = (body: unknown): void => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      req.resume();
      methods.push(req.method ?? '');
      if (path.endsWith(':exportLock')) return reply({ lockId: '1' });
      // No preview is planning under the lock.
      if (path.endsWith('/previews')) return reply({});
      if (path.endsWith(':unlock')) return reply({ name: 'projects/orders-prod/locations/us-central1/operations/unlock-1', done: false });
      if (path.includes('/operations/')) return reply({ name: 'projects/orders-prod/locations/us-central1/operations/unlock-1', done: false });
      if (path.endsWith(`/${name}`)) return reply({ name, state: 'ACTIVE', lockState: 'LOCKED' });
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    rootUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  // An unlock validates the uploaded state first and can take minutes: a force delete does not
  // wait for it in one call, it answers at once with a retryable error and the machine asks again.
  it('a force delete whose unlock is still running answers at once, retryable, and deletes nothing', async () => {
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: 't' });
    const provider = new GcpProvider(settings(rootUrl), { authClient, rootUrl });
    await assert.rejects(
      // The consent named lock 1 (describeTarget's targetId), the lock held now.
      provider.recover({ target, action: 'forceDelete', deploymentId: 'rec', targetId: `${name}#lock=1`, signal: AbortSignal.timeout(10_000) }),
      (e: unknown) => isProviderError(e) && e.code === 'Transient' && e.retryable && e.details.providerCode === 'UNLOCKING',
    );
    assert.ok(!methods.includes('DELETE'), 'no delete while the lock is being released');
  });
});
