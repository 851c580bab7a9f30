/** Which staged changes always wait for a person, even with auto-execute on. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { heldForReviewNotice, isDataStore, reviewReason, reviewReasons } from '../../src/deployment/reviewPolicy';
import type { Change } from '../../src/providers/provider';

const table = (change: Partial<Change>): Change => ({ logicalId: 'Orders', action: 'Modify', resourceType: 'AWS::DynamoDB::Table', ...change });

describe('review policy', () => {
  it('holds the deletion of a data store', () => {
    assert.equal(reviewReason(table({ action: 'Remove' })), 'Orders (AWS::DynamoDB::Table) would be deleted');
    assert.equal(
      reviewReason({ logicalId: 'Db', action: 'Remove', resourceType: 'google_sql_database_instance' }),
      'Db (google_sql_database_instance) would be deleted',
    );
  });

  it('holds a replacement of a data store, certain or conditional', () => {
    assert.equal(reviewReason(table({ replacement: 'True' })), 'Orders (AWS::DynamoDB::Table) would be replaced');
    assert.equal(reviewReason(table({ replacement: 'Conditional' })), 'Orders (AWS::DynamoDB::Table) would be replaced (conditionally)');
  });

  it('lets an in-place change of a data store run', () => {
    assert.equal(reviewReason(table({ replacement: 'False' })), undefined);
    assert.equal(reviewReason(table({})), undefined);
  });

  it('lets replacing or deleting what holds no data run', () => {
    assert.equal(reviewReason({ logicalId: 'Fn', action: 'Remove', resourceType: 'AWS::Lambda::Function' }), undefined);
    assert.equal(reviewReason({ logicalId: 'Fn', action: 'Modify', replacement: 'True', resourceType: 'AWS::Lambda::Function' }), undefined);
  });

  it('holds any Delete or Replace policy action, whatever the type', () => {
    for (const policyAction of ['Delete', 'ReplaceAndDelete', 'ReplaceAndRetain', 'ReplaceAndSnapshot']) {
      assert.equal(
        reviewReason({ logicalId: 'Fn', action: 'Modify', resourceType: 'AWS::Lambda::Function', policyAction }),
        `Fn (AWS::Lambda::Function) has deletion policy action ${policyAction}`,
      );
    }
    for (const policyAction of ['Retain', 'Snapshot']) {
      assert.equal(reviewReason({ logicalId: 'Fn', action: 'Remove', resourceType: 'AWS::Lambda::Function', policyAction }), undefined, policyAction);
    }
  });

  it('a plain Add is fine, data store or not', () => {
    assert.equal(reviewReason(table({ action: 'Add' })), undefined);
    assert.equal(reviewReason({ logicalId: 'Bucket', action: 'Add', resourceType: 'AWS::S3::Bucket' }), undefined);
    assert.equal(heldForReviewNotice([table({ action: 'Add' }), { logicalId: 'Fn', action: 'Add', resourceType: 'AWS::Lambda::Function' }]), undefined);
  });

  it('knows the common data stores of both providers', () => {
    for (const type of ['AWS::DynamoDB::Table', 'AWS::RDS::DBInstance', 'AWS::S3::Bucket', 'google_storage_bucket', 'google_sql_database_instance']) {
      assert.ok(isDataStore(type), type);
    }
    assert.ok(!isDataStore('AWS::Lambda::Function'));
    assert.ok(!isDataStore('google_cloud_run_service'));
  });

  it('lists reasons in change order, at most five, and counts the rest', () => {
    const changes = Array.from({ length: 7 }, (_, i) => table({ logicalId: `T${i}`, action: 'Remove' }));
    const { reasons, more } = reviewReasons([{ logicalId: 'Fn', action: 'Add', resourceType: 'AWS::Lambda::Function' }, ...changes]);
    assert.deepEqual(
      reasons,
      ['T0', 'T1', 'T2', 'T3', 'T4'].map((id) => `${id} (AWS::DynamoDB::Table) would be deleted`),
    );
    assert.equal(more, 2);
    const notice = heldForReviewNotice(changes) ?? '';
    assert.match(notice, /T0 \(AWS::DynamoDB::Table\) would be deleted;.*; and 2 more\./);
    assert.match(notice, /stackwatch\.autoExecuteDestructive/, 'says how to opt out');
  });
});
