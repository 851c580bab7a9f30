import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { toErrorInfo } from '../../src/deployment/errorInfo';
import { assertValidStackName, stackNameProblem } from '../../src/providers/aws/template/stackName';
import { InputError } from '../../src/input/inputError';

describe('stack names', () => {
  it('accepts what CloudFormation accepts', () => {
    for (const name of ['a', 'my-stack', 'Orders2', `a${'b'.repeat(127)}`]) assert.equal(stackNameProblem(name), undefined, name);
  });

  it('says what is wrong', () => {
    assert.equal(stackNameProblem(''), 'is empty');
    assert.equal(stackNameProblem('my_stack'), "contains '_' at position 3; only letters, digits and '-' are allowed");
    assert.equal(stackNameProblem('my stack'), "contains a space at position 3; only letters, digits and '-' are allowed");
    assert.equal(stackNameProblem('1stack'), "must start with a letter, but starts with '1'");
    assert.equal(stackNameProblem('-stack'), "must start with a letter, but starts with '-'");
    assert.equal(stackNameProblem(`a${'b'.repeat(128)}`), 'is 129 characters long; the limit is 128');
  });

  it('throws an InputError naming stackwatch.stackName, with a fixed name as a hint', () => {
    assert.throws(
      () => assertValidStackName('orders_api.prod'),
      (error: unknown) => {
        assert.ok(error instanceof InputError);
        assert.equal(
          error.message,
          `The stack name "orders_api.prod" in stackwatch.stackName contains '_' at position 7; only letters, digits and '-' are allowed.`,
        );
        assert.equal(error.setting, 'stackwatch.stackName');
        assert.match(error.hint ?? '', /For example "orders-api-prod"\./);
        assert.equal(toErrorInfo(error).setting, 'stackwatch.stackName');
        return true;
      },
    );
    assert.doesNotThrow(() => assertValidStackName('orders-api'));
  });
});
