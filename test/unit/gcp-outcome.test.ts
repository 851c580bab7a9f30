/**
 * How an apply ended, read from the operation, the deployment and the revision together
 * (outcome.ts), and how a failure reads with its logs (failures.ts). The shapes are the ones the
 * service can answer: an operation that succeeds with the Deployment FAILED and no failed
 * revision (gcloud's deploy_util.py checks exactly this), a latestRevision that did not move, a
 * failed delete.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import { cloudBuildLink, failureReason } from '../../src/providers/gcp/failures';
import { operationOutcome } from '../../src/providers/gcp/outcome';
import { deploymentMeaning } from '../../src/providers/gcp/statusTables';

const NAME = 'projects/orders-prod/locations/us-central1/deployments/orders';
const BUILD = '6f1d3a52-0c1e-4c55-9d1a-2a2b0b8f4e11';
const BUILD_PAGE = `https://console.cloud.google.com/cloud-build/builds;region=us-central1/${BUILD}?project=orders-prod`;

function doneOperation(response: config_v1.Schema$Deployment, error?: config_v1.Schema$Status): config_v1.Schema$Operation {
  return {
    name: 'projects/orders-prod/locations/us-central1/operations/op-1',
    done: true,
    metadata: { target: NAME, deploymentMetadata: { step: 'SUCCEEDED', build: BUILD, logs: 'gs://orders-prod-us-central1-blueprint-config/orders/r-2/logs' } },
    ...(error ? { error } : { response: { ...response } }),
  };
}

const applied: config_v1.Schema$Revision = { name: `${NAME}/revisions/r-2`, state: 'APPLIED' };

describe('apply outcome: operation, deployment and revision together', () => {
  it('a successful operation with the deployment FAILED and no revision is a failure, with the error code explained and the build linked', () => {
    const deployment = { name: NAME, state: 'FAILED', errorCode: 'BUCKET_CREATION_PERMISSION_DENIED', stateDetail: 'Permission denied creating the bucket.' };
    const outcome = operationOutcome(doneOperation(deployment), deployment, undefined, 'create');
    assert.equal(outcome?.status, 'failed');
    assert.equal(outcome?.providerStatus, 'BUCKET_CREATION_PERMISSION_DENIED');
    assert.match(
      outcome?.reason ?? '',
      /could not create the Cloud Storage bucket.*Permission denied creating the bucket\. \[BUCKET_CREATION_PERMISSION_DENIED\]/,
    );
    assert.ok(outcome?.reason?.includes(`Cloud Build: ${BUILD_PAGE}`), outcome?.reason);
    assert.ok(
      outcome?.reason?.includes(
        'build log: https://console.cloud.google.com/storage/browser/_details/orders-prod-us-central1-blueprint-config/orders/r-2/logs',
      ),
      outcome?.reason,
    );
  });

  it('a successful operation with the deployment FAILED while its revision is still APPLYING is a failure, not a success', () => {
    const deployment = { name: NAME, state: 'FAILED', errorCode: 'CLOUD_BUILD_PERMISSION_DENIED', latestRevision: `${NAME}/revisions/r-2` };
    const outcome = operationOutcome(doneOperation(deployment), deployment, { name: `${NAME}/revisions/r-2`, state: 'APPLYING' }, 'update');
    assert.equal(outcome?.status, 'failed');
    assert.match(outcome?.reason ?? '', /Cloud Build was refused permission.*\[CLOUD_BUILD_PERMISSION_DENIED\]/);
  });

  it('ACTIVE with a latestRevision that did not move is unknown, never succeeded', () => {
    const deployment = { name: NAME, state: 'ACTIVE', latestRevision: `${NAME}/revisions/r-1` };
    const outcome = operationOutcome(doneOperation(deployment), deployment, undefined, 'update');
    assert.equal(outcome?.status, 'unknown');
    assert.match(outcome?.reason ?? '', /latest revision did not move/);
  });

  it('ACTIVE with its revision not APPLIED, or a deployment still UPDATING, is unknown', () => {
    const active = { name: NAME, state: 'ACTIVE', latestRevision: `${NAME}/revisions/r-2` };
    assert.equal(operationOutcome(doneOperation(active), active, { ...applied, state: 'APPLYING' }, 'update')?.status, 'unknown');
    const updating = { name: NAME, state: 'UPDATING', latestRevision: `${NAME}/revisions/r-2` };
    assert.equal(operationOutcome(doneOperation(updating), updating, applied, 'update')?.status, 'unknown');
  });

  it('succeeded needs all three: the operation, the deployment ACTIVE and its revision APPLIED', () => {
    const deployment = { name: NAME, state: 'ACTIVE', latestRevision: `${NAME}/revisions/r-2` };
    assert.deepEqual(operationOutcome(doneOperation(deployment), deployment, applied, 'update'), { status: 'succeeded', providerStatus: 'APPLIED' });
  });

  it('a failed operation of a build-level failure links the build from the operation metadata', () => {
    const deployment = { name: NAME, state: 'FAILED', errorCode: 'BUCKET_CREATION_FAILED' };
    const outcome = operationOutcome(doneOperation(deployment, { code: 2, message: 'build failed' }), deployment, undefined, 'create');
    assert.equal(outcome?.status, 'failed');
    assert.match(outcome?.reason ?? '', /\[BUCKET_CREATION_FAILED\]/);
    assert.ok(outcome?.reason?.includes(BUILD_PAGE), outcome?.reason);
  });

  it('a delete whose operation succeeded with the deployment still there, FAILED, failed with the delete error', () => {
    const deployment = {
      name: NAME,
      state: 'FAILED',
      errorCode: 'DELETE_BUILD_RUN_FAILED',
      deleteBuild: BUILD,
      tfErrors: [{ resourceAddress: 'google_storage_bucket.data', errorDescription: 'Error: bucket not empty' }],
    };
    const outcome = operationOutcome(doneOperation(deployment), deployment, undefined, 'delete');
    assert.equal(outcome?.status, 'failed');
    assert.match(outcome?.reason ?? '', /google_storage_bucket\.data: Error: bucket not empty \[DELETE_BUILD_RUN_FAILED\]/);
    assert.ok(outcome?.reason?.includes(BUILD_PAGE), 'the delete build, from the deployment');
  });
});

describe('FAILED by its error code', () => {
  it('a failed apply stays deployable; a failed delete waits for consent to delete again', () => {
    assert.equal(deploymentMeaning('FAILED', 'UNLOCKED', 'REVISION_FAILED').condition, 'ready');
    assert.equal(deploymentMeaning('FAILED', 'UNLOCKED', 'BUCKET_CREATION_PERMISSION_DENIED').condition, 'ready');
    for (const code of ['DELETE_BUILD_RUN_FAILED', 'DELETE_BUILD_API_FAILED']) {
      const meaning = deploymentMeaning('FAILED', 'UNLOCKED', code);
      assert.equal(meaning.condition, 'unrecoverable', code);
      assert.deepEqual(meaning.recovery, ['delete']);
    }
  });
});

describe('failure reasons and their links', () => {
  it('QUOTA_VALIDATION_FAILED reads as a quota problem with the results linked', () => {
    const reason = failureReason({
      name: `${NAME}/revisions/r-3`,
      state: 'FAILED',
      errorCode: 'QUOTA_VALIDATION_FAILED',
      stateDetail: 'Quota validation failed: not enough quota to create google_compute_instance.vm.',
      quotaValidationResults: 'gs://orders-prod-us-central1-blueprint-config/orders/r-3/quota-validation-results.json',
      build: BUILD,
    } as config_v1.Schema$Revision);
    assert.match(reason ?? '', /^The project does not have enough quota/);
    assert.ok(
      reason?.includes(
        'quota validation results: https://console.cloud.google.com/storage/browser/_details/orders-prod-us-central1-blueprint-config/orders/r-3/quota-validation-results.json',
      ),
      reason,
    );
    assert.ok(reason?.includes(`Cloud Build: https://console.cloud.google.com/cloud-build/builds;region=us-central1/${BUILD}?project=orders-prod`), reason);
  });

  it('a Cloud Build link needs a resource name with project and location, and a plain build ID', () => {
    assert.equal(cloudBuildLink(NAME, BUILD), BUILD_PAGE);
    assert.equal(cloudBuildLink(undefined, BUILD), undefined);
    assert.equal(cloudBuildLink(NAME, 'x/../y'), undefined);
  });

  it("an apply's failure does not link the build of an older delete", () => {
    const reason = failureReason({ name: NAME, errorCode: 'CLOUD_BUILD_PERMISSION_DENIED', deleteBuild: 'old-delete-build' });
    assert.ok(!reason?.includes('old-delete-build'), reason);
  });
});
