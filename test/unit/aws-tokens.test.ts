/** ClientRequestTokens and change set names: CloudFormation's alphabet, retries deduplicated, new attempts not. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { deploymentToken, executeToken, requestToken, stagingNames } from '../../src/providers/aws/tokens';
import { belongsTo } from '../../src/providers/aws/stackEvents';

const TOKEN = /^[a-zA-Z0-9][-a-zA-Z0-9]*$/;
const CHANGE_SET_NAME = /^[a-zA-Z][-a-zA-Z0-9]*$/;

describe('request tokens', () => {
  const id = '3f1c2a9e-8d4b-4c55-9a0e-1b2c3d4e5f60';

  it('fit CloudFormation\'s alphabet and length, whatever the deployment ID holds', () => {
    for (const deploymentId of [id, 'weird id/with:chars', 'x'.repeat(300)]) {
      const names = stagingNames(deploymentId);
      for (const token of [names.clientToken, executeToken(deploymentId, 'arn:aws:cloudformation:us-east-1:1:changeSet/a/b'), requestToken(deploymentId, 'cancel')]) {
        assert.match(token, TOKEN, token);
        assert.ok(token.length <= 128, `${token.length} chars`);
      }
      assert.match(names.changeSetName, CHANGE_SET_NAME);
      assert.ok(names.changeSetName.length <= 128);
    }
  });

  it('a new staging attempt gets a new change set name and token', () => {
    const a = stagingNames(id);
    const b = stagingNames(id);
    assert.notEqual(a.changeSetName, b.changeSetName);
    assert.notEqual(a.clientToken, b.clientToken);
  });

  it('executing the same change set twice is one request; another change set is another', () => {
    const cs1 = 'arn:aws:cloudformation:us-east-1:1:changeSet/stackwatch-a/1';
    const cs2 = 'arn:aws:cloudformation:us-east-1:1:changeSet/stackwatch-b/2';
    assert.equal(executeToken(id, cs1), executeToken(id, cs1));
    assert.notEqual(executeToken(id, cs1), executeToken(id, cs2));
  });

  it('every token of a deployment is recognised as its own, and no other deployment\'s is', () => {
    const operation = { token: deploymentToken(id), startedAt: new Date().toISOString(), kind: 'update' as const };
    const event = (token: string) => ({ EventId: 'e1', StackId: 'arn:stack', StackName: 'app', ClientRequestToken: token, Timestamp: new Date() });
    assert.ok(belongsTo(event(executeToken(id, 'cs')), operation));
    assert.ok(belongsTo(event(requestToken(id, 'cancel')), operation));
    assert.ok(!belongsTo(event(executeToken('3f1c2a9e-8d4b-4c55-9a0e-1b2c3d4e5f61', 'cs')), operation));
    assert.ok(!belongsTo(event('Console-CreateChangeSet-1234'), operation));
  });
});
