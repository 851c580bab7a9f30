/** The Infrastructure Manager adapter's pure parts: names, tables, changes, events, errors, zips. */
import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { unzipSync } from 'fflate';
import { GaxiosError } from 'gaxios';
import { ProviderError } from '../../src/providers/provider';
import { listBlueprintFiles, zipBlueprint } from '../../src/providers/gcp/blueprintFiles';
import { scanVariables } from '../../src/providers/gcp/blueprint';
import { toChange } from '../../src/providers/gcp/changes';
import { toProviderError } from '../../src/providers/gcp/errors';
import { decodeCursor, encodeCursor, synthesizeEvents, type PollSnapshot } from '../../src/providers/gcp/events';
import { beyondResourceErrors, errorLogsLink, failureReason } from '../../src/providers/gcp/failures';
import { toInputValues, toParameterValues } from '../../src/providers/gcp/inputs';
import { decodeStagedId, encodeStagedId, previewId, requestId } from '../../src/providers/gcp/names';
import { serviceAccountName } from '../../src/providers/gcp/settings';
import { deploymentMeaning, previewStagedState, resourceStatusOf } from '../../src/providers/gcp/statusTables';

describe('names', () => {
  it('request IDs are UUIDs, stable for the same request and different for another', () => {
    const a = requestId('dep-1', 'apply', 'x');
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(requestId('dep-1', 'apply', 'x'), a);
    assert.notEqual(requestId('dep-1', 'apply', 'y'), a);
    assert.notEqual(requestId('dep-2', 'apply', 'x'), a);
  });

  it('preview IDs are valid IDs, one per (deployment, attempt)', () => {
    const id = previewId('Dep_ABC.1', 0);
    assert.match(id, /^sw-dep-abc-1-a0-[0-9a-f]{8}$/);
    assert.equal(previewId('Dep_ABC.1', 0), id, 'a retry of the attempt names the same preview');
    assert.notEqual(previewId('Dep_ABC.1', 1), id);
    assert.notEqual(previewId('Dep_ABC.2', 0), id);
  });

  it('staged IDs round-trip and reject anything else', () => {
    const ref = {
      preview: 'projects/p/locations/l/previews/x',
      gcs: 'gs://b/o.zip#123',
      rev: 'projects/p/locations/l/deployments/d/revisions/r-1',
      create: false,
    };
    assert.deepEqual(decodeStagedId(encodeStagedId(ref)), ref);
    assert.throws(() => decodeStagedId('arn:aws:cloudformation:…'), ProviderError);
  });

  it('normalizes service accounts to projects/P/serviceAccounts/EMAIL', () => {
    assert.equal(
      serviceAccountName('deployer@other-proj.iam.gserviceaccount.com', 'p-1'),
      'projects/other-proj/serviceAccounts/deployer@other-proj.iam.gserviceaccount.com',
    );
    assert.equal(serviceAccountName('p-1@appspot.gserviceaccount.com', 'p-1'), 'projects/p-1/serviceAccounts/p-1@appspot.gserviceaccount.com');
    assert.equal(serviceAccountName(' projects/x/serviceAccounts/a@b.com ', 'p-1'), 'projects/x/serviceAccounts/a@b.com');
  });
});

describe('status tables', () => {
  it('maps deployment states and locks to conditions and recovery actions', () => {
    assert.deepEqual(deploymentMeaning('ACTIVE', 'UNLOCKED'), { condition: 'ready', recovery: [] });
    assert.equal(deploymentMeaning('FAILED', 'UNLOCKED').condition, 'ready');
    assert.deepEqual(deploymentMeaning('CREATING', 'LOCKED'), { condition: 'inProgress', recovery: [], operation: 'create' });
    assert.equal(deploymentMeaning('UPDATING', 'LOCKED').operation, 'update');
    assert.equal(deploymentMeaning('DELETING', undefined).operation, 'delete');
    assert.deepEqual(deploymentMeaning('ACTIVE', 'LOCKED').recovery, ['unlock', 'forceDelete']);
    assert.deepEqual(deploymentMeaning('FAILED', 'LOCKED').condition, 'unrecoverable');
    assert.deepEqual(deploymentMeaning('SUSPENDED', 'UNLOCKED').recovery, ['forceDelete']);
    assert.equal(deploymentMeaning('ACTIVE', 'UNLOCKING').condition, 'inProgress');
  });

  it('an unknown deployment state decides nothing: read again, no recovery (never Force delete), whatever its lock', () => {
    for (const lock of [undefined, 'UNLOCKED', 'LOCKED', 'LOCK_FAILED', 'UNLOCKING']) {
      const meaning = deploymentMeaning('HIBERNATING', lock);
      assert.equal(meaning.condition, 'inProgress', String(lock));
      assert.deepEqual(meaning.recovery, [], String(lock));
      assert.equal(meaning.operation, 'unknown', String(lock));
    }
    assert.equal(deploymentMeaning('STATE_UNSPECIFIED', undefined).condition, 'inProgress');
    assert.equal(deploymentMeaning(undefined, undefined).condition, 'inProgress');
  });

  it('maps preview and resource states', () => {
    assert.equal(previewStagedState('CREATING'), 'pending');
    assert.equal(previewStagedState('FAILED'), 'failed');
    assert.equal(previewStagedState('STALE'), 'failed');
    assert.equal(resourceStatusOf('PLANNED'), 'pending');
    assert.equal(resourceStatusOf('IN_PROGRESS'), 'inProgress');
    assert.equal(resourceStatusOf('RECONCILED'), 'succeeded');
    assert.equal(resourceStatusOf('FAILED'), 'failed');
  });
});

describe('resource changes', () => {
  const change = (intent: string, paths: string[] = []) => ({
    intent,
    terraformInfo: { address: 'google_storage_bucket.data', type: 'google_storage_bucket' },
    propertyChanges: paths.map((path) => ({ path, before: 'a', after: 'b' })),
  });

  it('maps intents to actions, RECREATE as a replacement', () => {
    assert.deepEqual(toChange(change('CREATE')), { logicalId: 'google_storage_bucket.data', action: 'Add', resourceType: 'google_storage_bucket' });
    assert.equal(toChange(change('DELETE'))?.action, 'Remove');
    assert.deepEqual([toChange(change('UPDATE'))?.action, toChange(change('UPDATE'))?.replacement], ['Modify', 'False']);
    assert.deepEqual([toChange(change('RECREATE'))?.action, toChange(change('RECREATE'))?.replacement], ['Modify', 'True']);
    assert.equal(toChange(change('UNCHANGED')), undefined);
  });

  it('lists changed property paths but never their values', () => {
    const converted = toChange({
      ...change('UPDATE', ['name', 'labels.team']),
      propertyChanges: [{ path: 'name' }, { path: 'password', afterSensitivePaths: [''] }],
    });
    assert.deepEqual(converted?.details, ['name', 'password (sensitive)']);
  });
});

describe('poll events', () => {
  const snapshot = (over: Partial<PollSnapshot>): PollSnapshot => ({
    targetName: 'orders',
    operationName: 'op-1',
    now: '2026-01-01T00:00:00.000Z',
    errors: new Map(),
    ...over,
  });
  const resource = (address: string, state: string) => ({ terraformInfo: { address, type: address.split('.')[0] }, state, intent: 'CREATE' });

  it('reports only what changed since the cursor, steps included', () => {
    const first = synthesizeEvents(
      {},
      snapshot({ step: 'RUNNING_TF_APPLY', revision: 'r-1', resources: [resource('a.x', 'IN_PROGRESS'), resource('b.y', 'PLANNED')] }),
    );
    assert.deepEqual(
      first.events.map((e) => [e.logicalId, e.status]),
      [
        ['orders', 'inProgress'],
        ['a.x', 'inProgress'],
        ['b.y', 'pending'],
      ],
    );
    const cursor = decodeCursor(encodeCursor(first.cursor));
    const second = synthesizeEvents(
      cursor,
      snapshot({ step: 'RUNNING_TF_APPLY', revision: 'r-1', resources: [resource('a.x', 'RECONCILED'), resource('b.y', 'PLANNED')] }),
    );
    assert.deepEqual(
      second.events.map((e) => [e.logicalId, e.providerStatus, e.status]),
      [['a.x', 'RECONCILED', 'succeeded']],
    );
  });

  it('a failure carries the Terraform error of that address; untouched resources show as not applied', () => {
    const { events } = synthesizeEvents(
      {},
      snapshot({
        revision: 'r-1',
        resources: [resource('a.x', 'FAILED'), resource('b.y', 'PLANNED')],
        errors: new Map([['a.x', 'Error 409: already exists']]),
        outcome: { status: 'failed', providerStatus: 'FAILED', reason: 'a.x: Error 409' },
      }),
    );
    assert.equal(events.find((e) => e.logicalId === 'a.x')?.reason, 'Error 409: already exists');
    const skipped = events.find((e) => e.logicalId === 'b.y' && e.status === 'cancelled');
    assert.equal(skipped?.isCancellation, true);
    assert.deepEqual(events.at(-1) && [events.at(-1)?.logicalId, events.at(-1)?.status], ['orders', 'failed']);
  });

  it("a failed resource without a Terraform error of its own links Terraform's error log", () => {
    const log = 'https://console.cloud.google.com/storage/browser/_details/b/orders/r-1/tf-error.ndjson';
    const failed = (errorLog?: string) =>
      synthesizeEvents({}, snapshot({ revision: 'r-1', resources: [resource('a.x', 'FAILED')], ...(errorLog ? { errorLog } : {}) })).events.find(
        (e) => e.logicalId === 'a.x',
      )?.reason;
    assert.equal(failed(log), `Terraform reported a failure for this resource without an error of its own; see its error log: ${log}.`);
    assert.equal(failed(), 'Terraform reported a failure for this resource without an error of its own; see the error log.');
  });

  it('the final event is reported once', () => {
    const done = synthesizeEvents({}, snapshot({ outcome: { status: 'succeeded', providerStatus: 'APPLIED' } }));
    assert.equal(done.events.length, 1);
    assert.equal(synthesizeEvents(done.cursor, snapshot({ outcome: { status: 'succeeded', providerStatus: 'APPLIED' } })).events.length, 0);
  });
});

describe('failures', () => {
  it('puts addresses, the error code and the log link in one reason', () => {
    const reason = failureReason({
      tfErrors: [{ resourceAddress: 'google_pubsub_topic.t', errorDescription: 'Error 403: denied', httpResponseCode: 403 }],
      errorCode: 'APPLY_BUILD_RUN_FAILED',
      errorLogs: 'gs://bucket/d/r-1/tf-error.ndjson',
    });
    assert.equal(
      reason,
      'google_pubsub_topic.t: Error 403: denied (HTTP 403) [APPLY_BUILD_RUN_FAILED] (full log: https://console.cloud.google.com/storage/browser/_details/bucket/d/r-1/tf-error.ndjson)',
    );
    assert.equal(failureReason({}), undefined);
    assert.equal(errorLogsLink('not-gs'), 'not-gs');
  });

  it("the deployment's reason leaves each failed resource's Terraform error to its resource, keeping the code, other errors and the logs", () => {
    const source = {
      tfErrors: [
        { resourceAddress: 'google_pubsub_topic.t', errorDescription: 'Error 403: denied', httpResponseCode: 403 },
        { resourceAddress: 'google_storage_bucket.b', errorDescription: 'Error 409: exists' },
        { errorDescription: 'Provider produced inconsistent result' },
      ],
      errorCode: 'APPLY_BUILD_RUN_FAILED',
      errorLogs: 'gs://bucket/d/r-1/tf-error.ndjson',
    };
    const reason = failureReason(source) ?? '';
    const told = new Map([['google_pubsub_topic.t', 'Error 403: denied (HTTP 403)']]);
    assert.equal(
      beyondResourceErrors(reason, told),
      'Terraform failed on google_pubsub_topic.t; google_storage_bucket.b: Error 409: exists; Provider produced inconsistent result [APPLY_BUILD_RUN_FAILED] (full log: https://console.cloud.google.com/storage/browser/_details/bucket/d/r-1/tf-error.ndjson)',
    );
    const both = new Map([...told, ['google_storage_bucket.b', 'Error 409: exists']]);
    const one = failureReason({ ...source, tfErrors: source.tfErrors.slice(0, 2) }) ?? '';
    assert.equal(
      beyondResourceErrors(one, both),
      'Terraform failed on google_pubsub_topic.t, google_storage_bucket.b [APPLY_BUILD_RUN_FAILED] (full log: https://console.cloud.google.com/storage/browser/_details/bucket/d/r-1/tf-error.ndjson)',
    );
    assert.equal(beyondResourceErrors('The apply was cancelled.', told), 'The apply was cancelled.', 'nothing told: unchanged');
  });
});

describe('input values', () => {
  const variables = scanVariables(
    'variable "name" { type = string }\nvariable "replicas" {\n  type = number\n}\nvariable "zones" {\n  type = list(string)\n}\nvariable "free" {}\n',
    'v.tf',
  );

  it('strings go as they are, everything else as JSON, and back', () => {
    const parameters = toParameterValues(variables, { name: 'x', replicas: 3, zones: ['a'], free: 'text' });
    assert.deepEqual(parameters, [
      { key: 'free', value: '"text"' },
      { key: 'name', value: 'x' },
      { key: 'replicas', value: '3' },
      { key: 'zones', value: '["a"]' },
    ]);
    assert.deepEqual(toInputValues(variables, parameters), {
      free: { inputValue: 'text' },
      name: { inputValue: 'x' },
      replicas: { inputValue: 3 },
      zones: { inputValue: ['a'] },
    });
  });

  it('rejects unknown keys and bad JSON with a Validation error', () => {
    assert.throws(
      () => toInputValues(variables, [{ key: 'nope', value: 'x' }]),
      (e: unknown) => e instanceof ProviderError && e.code === 'Validation',
    );
    assert.throws(() => toInputValues(variables, [{ key: 'zones', value: '[a' }]), /not valid JSON/);
  });
});

describe('errors', () => {
  const gaxios = (status: number, rpcStatus: string, message: string) => {
    const error = new GaxiosError(message, { url: new URL('https://config.googleapis.com/v1/x'), headers: new Headers() });
    Object.assign(error, { status, response: { status, data: { error: { code: status, status: rpcStatus, message } } } });
    return error;
  };

  it('maps HTTP and gRPC statuses to codes', () => {
    const code = (status: number, rpc: string) => toProviderError(gaxios(status, rpc, 'm'), { operation: 'op' }).code;
    assert.equal(code(429, 'RESOURCE_EXHAUSTED'), 'Throttling');
    assert.equal(code(503, 'UNAVAILABLE'), 'Transient');
    assert.equal(code(500, ''), 'Transient');
    assert.equal(code(404, 'NOT_FOUND'), 'NotFound');
    assert.equal(code(400, 'INVALID_ARGUMENT'), 'Validation');
    assert.equal(code(401, 'UNAUTHENTICATED'), 'Credentials');
    assert.equal(code(403, 'PERMISSION_DENIED'), 'Credentials');
    assert.equal(code(409, 'ALREADY_EXISTS'), 'Conflict');
    assert.equal(code(400, 'FAILED_PRECONDITION'), 'Conflict');
    assert.equal(code(409, 'ABORTED'), 'Conflict');
  });

  it('uses the API message and keeps the gRPC status as providerCode', () => {
    const error = toProviderError(gaxios(409, 'ALREADY_EXISTS', 'Preview x already exists'), { operation: 'previews.create' });
    assert.equal(error.message, 'previews.create: Preview x already exists');
    assert.equal(error.details.providerCode, 'ALREADY_EXISTS');
  });

  it('no ADC and network failures', () => {
    const adc = toProviderError(
      new Error('Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication/getting-started for more information.'),
      { operation: 'Reading ADC' },
    );
    assert.equal(adc.code, 'Credentials');
    assert.match(adc.details.hint ?? '', /gcloud auth application-default login/);
    const refused = Object.assign(new Error('request failed'), { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    const net = toProviderError(refused, { operation: 'deployments.get', endpoint: 'http://127.0.0.1:1/' });
    assert.equal(net.code, 'Transient');
    assert.match(net.details.hint ?? '', /stackwatch\.gcp\.endpoint/);
  });
});

describe('blueprint zip', () => {
  it('is deterministic, sorted, and leaves out state, .terraform and .git', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sw-zip-'));
    try {
      await writeFile(join(dir, 'main.tf'), 'resource "a" "b" {}\n');
      await mkdir(join(dir, 'modules', 'net'), { recursive: true });
      await writeFile(join(dir, 'modules', 'net', 'main.tf'), '# net\n');
      await mkdir(join(dir, '.terraform', 'providers'), { recursive: true });
      await writeFile(join(dir, '.terraform', 'providers', 'big'), 'x');
      await mkdir(join(dir, '.git'));
      await writeFile(join(dir, '.git', 'HEAD'), 'ref');
      await writeFile(join(dir, 'terraform.tfstate'), '{}');
      await writeFile(join(dir, 'terraform.tfstate.backup'), '{}');
      await writeFile(join(dir, 'README.md'), 'hi');
      const files = await listBlueprintFiles(dir);
      assert.deepEqual(
        files.map((f) => f.path),
        ['README.md', 'main.tf', 'modules/net/main.tf'],
      );
      const first = await zipBlueprint(files);
      await utimes(join(dir, 'main.tf'), new Date(2001, 1, 1), new Date(2001, 1, 1));
      const second = await zipBlueprint(await listBlueprintFiles(dir));
      assert.deepEqual(Buffer.from(second), Buffer.from(first), 'file times do not change the zip');
      assert.deepEqual(Object.keys(unzipSync(first)), ['README.md', 'main.tf', 'modules/net/main.tf']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
