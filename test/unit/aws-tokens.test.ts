/** ClientRequestTokens and change set names: CloudFormation's alphabet, one name per staging attempt, whose request it was. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { cancelToken, deploymentToken, executeToken, isOurCancelToken, requestToken, requesterOf, stagingNames } from '../../src/providers/aws/tokens';
import { hasOperationToken } from '../../src/providers/aws/stackEvents';

const TOKEN = /^[a-zA-Z0-9][-a-zA-Z0-9]*$/;
const CHANGE_SET_NAME = /^[a-zA-Z][-a-zA-Z0-9]*$/;

describe('request tokens', () => {
  const id = '3f1c2a9e-8d4b-4c55-9a0e-1b2c3d4e5f60';

  it("fit CloudFormation's alphabet and length, whatever the deployment ID holds", () => {
    for (const deploymentId of [id, 'weird id/with:chars', 'x'.repeat(300)]) {
      const names = stagingNames(deploymentId, 12);
      const execute = executeToken(deploymentId, 'arn:aws:cloudformation:us-east-1:1:changeSet/a/b');
      for (const token of [names.clientToken, execute, requestToken(deploymentId, 'cancel'), cancelToken(deploymentId, execute)]) {
        assert.match(token, TOKEN, token);
        assert.ok(token.length <= 128, `${token.length} chars`);
      }
      assert.match(names.changeSetName, CHANGE_SET_NAME);
      assert.ok(names.changeSetName.length <= 128);
    }
  });

  it('a staging attempt has one name and token, however often it is asked for; another attempt has others', () => {
    assert.deepEqual(stagingNames(id, 0), stagingNames(id, 0));
    assert.notEqual(stagingNames(id, 0).changeSetName, stagingNames(id, 1).changeSetName);
    assert.notEqual(stagingNames(id, 0).clientToken, stagingNames(id, 1).clientToken);
    assert.notEqual(stagingNames(id, 0).changeSetName, stagingNames('3f1c2a9e-8d4b-4c55-9a0e-1b2c3d4e5f61', 0).changeSetName);
  });

  it('deployment IDs that only differ in characters CloudFormation does not allow still get their own prefix', () => {
    assert.notEqual(deploymentToken('a/b'), deploymentToken('a:b'));
    assert.notEqual(deploymentToken(`${'x'.repeat(200)}1`), deploymentToken(`${'x'.repeat(200)}2`));
    assert.equal(deploymentToken(id), `sw-${id}`, 'an ID already in the alphabet is used as is');
  });

  it('executing the same change set twice is one request; another change set is another', () => {
    const cs1 = 'arn:aws:cloudformation:us-east-1:1:changeSet/stackwatch-a/1';
    const cs2 = 'arn:aws:cloudformation:us-east-1:1:changeSet/stackwatch-b/2';
    assert.equal(executeToken(id, cs1), executeToken(id, cs1));
    assert.notEqual(executeToken(id, cs1), executeToken(id, cs2));
  });

  it("an execution's events, and our cancel's, are recognised as its own; another deployment's and the console's are not", () => {
    const execute = executeToken(id, 'cs');
    const operation = { token: execute };
    const event = (token: string) => ({ EventId: 'e1', StackId: 'arn:stack', StackName: 'app', ClientRequestToken: token, Timestamp: new Date() });
    assert.ok(hasOperationToken(event(execute), operation));
    assert.ok(hasOperationToken(event(cancelToken(id, execute)), operation));
    assert.ok(!hasOperationToken(event(executeToken(id, 'other-change-set')), operation), 'an earlier execution of the same deployment');
    assert.ok(!hasOperationToken(event(requestToken(id, 'continueRollback-1a2b3c4d')), operation), 'a recovery of the same deployment');
    assert.ok(!hasOperationToken(event(executeToken('3f1c2a9e-8d4b-4c55-9a0e-1b2c3d4e5f61', 'cs')), operation));
    assert.ok(!hasOperationToken(event('Console-CancelUpdateStack-1234'), operation));
  });

  it("a cancel is ours whichever operation token it was sent under, and never someone else's", () => {
    assert.ok(isOurCancelToken(id, cancelToken(id, executeToken(id, 'cs'))));
    assert.ok(isOurCancelToken(id, cancelToken(id, 'Console-UpdateStack-9')), "stopping someone else's operation uses our own token");
    assert.equal(cancelToken(id, 'Console-UpdateStack-9'), requestToken(id, 'cancel'));
    assert.ok(!isOurCancelToken(id, 'Console-CancelUpdateStack-1234'));
    assert.ok(!isOurCancelToken(id, cancelToken('someone-else', executeToken('someone-else', 'cs'))));
  });

  it('says whose request a token is, in words', () => {
    assert.equal(requesterOf('Console-CancelUpdateStack-42'), 'the AWS console (token Console-CancelUpdateStack-42)');
    assert.equal(requesterOf('sw-other-execute-1'), 'another Stackwatch deployment (token sw-other-execute-1)');
    assert.equal(requesterOf('terraform-7'), 'a client with token terraform-7');
    assert.equal(requesterOf(undefined), undefined, 'without a token, nobody is named');
  });
});
