/**
 * Early validation inside nested stacks, the pure half (nestedValidation.ts): which nested change
 * set a root's reason names, and a nested stack's logical ID from CloudFormation's naming.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { failedNestedChangeSet, logicalIdFromName } from '../../src/providers/aws/nestedValidation';

const NESTED = 'arn:aws:cloudformation:us-east-1:123456789012:changeSet/sw-app-Storage/3ecdca3a-81b2-4ed0-a9bd-ee0b396efd07';

describe('nested early validation: what the root says', () => {
  it('names the failed nested change set by its ARN, and nothing else', () => {
    assert.equal(failedNestedChangeSet(`Nested change set ${NESTED} was not successfully created: Currently in FAILED.`), NESTED);
    assert.equal(failedNestedChangeSet('The following hook(s)/validation failed: [AWS::EarlyValidation::PropertyValidation].'), undefined);
    assert.equal(failedNestedChangeSet(undefined), undefined);
  });

  it('a nested stack "<parent>-<logical ID>-<random>" gives its logical ID; other names give none', () => {
    assert.equal(logicalIdFromName('app-Storage-1ABCDEFGHIJK', 'app'), 'Storage');
    assert.equal(logicalIdFromName('my-app-Network-SG25NP08PKMZ', 'my-app'), 'Network');
    assert.equal(logicalIdFromName('other-Storage-1ABCDEFGHIJK', 'app'), undefined);
    assert.equal(logicalIdFromName('app-Storage', 'app'), undefined);
    assert.equal(logicalIdFromName(undefined, 'app'), undefined);
  });
});
