/**
 * What the AWS adapter reads out of CloudFormation's failure texts and events: request IDs,
 * property paths, hooks, stabilizing, early-validation findings, and which errors mean an endpoint
 * lacks a call. Messages are in the wordings CloudFormation and its resource handlers write.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { OperationEvent, StackEvent } from '@aws-sdk/client-cloudformation';
import { eventExtras, operationTypeOpenedBy } from '../../src/providers/aws/eventFields';
import { toProviderError } from '../../src/providers/aws/errors';
import { HOOK_FAILED_REASON, isOperationFailure } from '../../src/providers/aws/operationEvents';
import { propertyPathOf } from '../../src/providers/aws/propertyPaths';
import { requestIdOf } from '../../src/providers/aws/requestIds';
import { isUnsupportedCall } from '../../src/providers/aws/unsupportedCalls';
import { isEarlyValidationFailure, toFinding, validationFailureReason } from '../../src/providers/aws/validationFindings';

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/1';

describe('request IDs in failure reasons', () => {
  it("takes the service's Request ID over the handler's RequestToken", () => {
    const reason =
      'Resource handler returned message: "my-bucket already exists (Service: S3, Status Code: 409, Request ID: 8ZC4M2K1QW7E, Extended Request ID: Fk1abc+def=)" (RequestToken: 6e0b1f3c-1234-4bcd-9abc-0123456789ab, HandlerErrorCode: AlreadyExists)';
    assert.equal(requestIdOf(reason), '8ZC4M2K1QW7E');
  });

  it("falls back to the handler's RequestToken", () => {
    const reason =
      "Resource handler returned message: \"Resource of type 'AWS::Lambda::Function' with identifier 'fn' was not found.\" (RequestToken: 0f7e2c59-aaaa-bbbb-cccc-ddddeeeeffff, HandlerErrorCode: NotFound)";
    assert.equal(requestIdOf(reason), '0f7e2c59-aaaa-bbbb-cccc-ddddeeeeffff');
  });

  it('reads the SDK v1 wording with semicolons, and ignores "null"', () => {
    const reason =
      'Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: 1F2E3D4C5B6A; S3 Extended Request ID: xyz=; Proxy: null)';
    assert.equal(requestIdOf(reason), '1F2E3D4C5B6A');
    assert.equal(requestIdOf('Invalid request (Service: Ec2, Status Code: 400, Request ID: null)'), undefined);
  });

  it('has none in reasons without one', () => {
    assert.equal(requestIdOf('Resource creation cancelled'), undefined);
    assert.equal(requestIdOf('The following resource(s) failed to create: [Topic].'), undefined);
    assert.equal(requestIdOf(undefined), undefined);
  });
});

describe('property paths in failure reasons', () => {
  const cases: Array<[string, string | undefined]> = [
    [
      'Properties validation failed for resource Bucket with message: #/BucketName: failed validation constraint for keyword [pattern]',
      'Properties.BucketName',
    ],
    ['Properties validation failed for resource Table with message: #: required key [KeySchema] not found', 'Properties.KeySchema'],
    ['Properties validation failed for resource Topic with message: #: extraneous key [Foo] is not permitted', 'Properties.Foo'],
    [
      'Properties validation failed for resource Bucket with message: #/LifecycleConfiguration/Rules/0: required key [Status] not found',
      'Properties.LifecycleConfiguration.Rules[0].Status',
    ],
    ['Model validation failed (#/Tags/0/Value: expected type: String, found: Integer)', 'Properties.Tags[0].Value'],
    ['Encountered unsupported property Foo', 'Properties.Foo'],
    ['Value of property Tags must be of type List', 'Properties.Tags'],
    ['Property validation failure: [Value of property {/Tags/0/Key} does not match type {String}]', 'Properties.Tags[0].Key'],
    ['Property validation failure: [Encountered unsupported properties in {/}: [Foo]]', 'Properties.Foo'],
    ['Resource handler returned message: "Bucket already exists (Service: S3, Status Code: 409, Request ID: X1)"', undefined],
    ['Resource creation cancelled', undefined],
  ];
  for (const [reason, expected] of cases) {
    it(`${expected ?? 'none'} from "${reason.slice(0, 70)}…"`, () => assert.equal(propertyPathOf(reason), expected));
  }
});

describe('event extras', () => {
  const base: StackEvent = {
    StackId: STACK_ID,
    StackName: 'app',
    EventId: 'e1',
    Timestamp: new Date(0),
    LogicalResourceId: 'Fn',
    ResourceType: 'AWS::Lambda::Function',
    OperationId: 'op-1',
  };

  it('CONFIGURATION_COMPLETE on an in-progress event reads as stabilizing; on any other it does not', () => {
    assert.equal(eventExtras({ ...base, ResourceStatus: 'CREATE_IN_PROGRESS', DetailedStatus: 'CONFIGURATION_COMPLETE' }, undefined).stabilizing, true);
    assert.equal(eventExtras({ ...base, ResourceStatus: 'CREATE_COMPLETE', DetailedStatus: 'CONFIGURATION_COMPLETE' }, undefined).stabilizing, undefined);
    assert.equal(eventExtras({ ...base, ResourceStatus: 'CREATE_IN_PROGRESS' }, undefined).stabilizing, undefined);
  });

  it('carries the hook, the operation and its type', () => {
    const extras = eventExtras(
      {
        ...base,
        ResourceStatus: 'CREATE_IN_PROGRESS',
        HookType: 'Private::Guard::Lambda',
        HookStatus: 'HOOK_COMPLETE_FAILED',
        HookStatusReason: 'Template failed validation',
        HookInvocationPoint: 'PRE_PROVISION',
        HookFailureMode: 'FAIL',
      },
      'CREATE_STACK',
    );
    assert.deepEqual(extras, {
      operationId: 'op-1',
      operationType: 'CREATE_STACK',
      hook: {
        type: 'Private::Guard::Lambda',
        status: 'HOOK_COMPLETE_FAILED',
        reason: 'Template failed validation',
        invocationPoint: 'PRE_PROVISION',
        failureMode: 'FAIL',
      },
    });
  });

  it("an operation's type comes from the stack status that opens it", () => {
    assert.equal(operationTypeOpenedBy('UPDATE_IN_PROGRESS'), 'UPDATE_STACK');
    assert.equal(operationTypeOpenedBy('UPDATE_ROLLBACK_IN_PROGRESS'), 'ROLLBACK');
    assert.equal(operationTypeOpenedBy('UPDATE_COMPLETE'), undefined);
  });

  it('the resource failure CloudFormation writes after a hook is recognized; other failures are not', () => {
    assert.match('The following hook(s) failed: [Private::Guard::S3Encryption]', HOOK_FAILED_REASON);
    assert.doesNotMatch('The following resource(s) failed to create: [Topic].', HOOK_FAILED_REASON);
  });
});

describe("DescribeEvents' failures and findings", () => {
  const failure = (over: Partial<OperationEvent>): OperationEvent => ({
    EventId: 'f1',
    StackId: STACK_ID,
    EventType: 'PROVISIONING_ERROR',
    LogicalResourceId: 'Topic',
    ResourceType: 'AWS::SNS::Topic',
    PhysicalResourceId: 'topic',
    ResourceStatus: 'CREATE_FAILED',
    ...over,
  });

  it("an operation's failures are provisioning and hook errors, never the stack itself or a validation error", () => {
    assert.equal(isOperationFailure(failure({})), true);
    assert.equal(isOperationFailure(failure({ EventType: 'HOOK_INVOCATION_ERROR' })), true);
    assert.equal(isOperationFailure(failure({ EventType: 'VALIDATION_ERROR' })), false);
    assert.equal(isOperationFailure(failure({ ResourceType: 'AWS::CloudFormation::Stack', PhysicalResourceId: STACK_ID, LogicalResourceId: 'app' })), false);
    // A nested stack is a resource of ours: its failure counts.
    assert.equal(isOperationFailure(failure({ ResourceType: 'AWS::CloudFormation::Stack', PhysicalResourceId: `${STACK_ID}-nested` })), true);
  });

  it('a VALIDATION_ERROR becomes a finding: WARN mode is a warning, anything else an error', () => {
    const event = failure({
      EventType: 'VALIDATION_ERROR',
      LogicalResourceId: 'Bucket',
      ValidationName: 'NAME_CONFLICT_VALIDATION',
      ValidationStatus: 'FAILED',
      ValidationStatusReason: "Resource of type 'AWS::S3::Bucket' with identifier 'logs' already exists.",
      ValidationPath: '/Resources/Bucket/Properties/BucketName',
      ValidationFailureMode: 'FAIL',
    });
    assert.deepEqual(toFinding(event), {
      severity: 'error',
      message: "Resource of type 'AWS::S3::Bucket' with identifier 'logs' already exists.",
      logicalId: 'Bucket',
      path: '/Resources/Bucket/Properties/BucketName',
      check: 'NAME_CONFLICT_VALIDATION',
    });
    assert.equal(toFinding({ ...event, ValidationFailureMode: 'WARN' }).severity, 'warning');
  });

  it("a failed change set's reason counts and lists the errors, not the warnings", () => {
    const reason = validationFailureReason([
      { severity: 'error', message: 'name taken', logicalId: 'Bucket' },
      { severity: 'error', message: 'bad value', logicalId: 'Queue' },
      { severity: 'warning', message: 'old runtime', logicalId: 'Fn' },
    ]);
    assert.equal(reason, 'The change set failed validation: 2 problems. Bucket: name taken; Queue: bad value');
  });

  it("recognizes early validation's StatusReason", () => {
    assert.equal(
      isEarlyValidationFailure(
        'The following hook(s)/validation failed: [AWS::EarlyValidation::ResourceExistenceCheck]. To troubleshoot Early Validation errors, use the DescribeEvents API for detailed failure information.',
      ),
      true,
    );
    assert.equal(isEarlyValidationFailure("The submitted information didn't contain changes."), false);
  });
});

describe('an endpoint without a call', () => {
  const sdkError = (name: string, status: number, message: string): unknown =>
    Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
  const mapped = (error: unknown) => toProviderError(error, { operation: 'DescribeEvents' });

  it('InvalidAction, UnknownOperation, a bare 404 and "not implemented" mean the call is missing', () => {
    assert.equal(isUnsupportedCall(mapped(sdkError('InvalidAction', 400, 'Could not find operation DescribeEvents for version 2010-05-15'))), true);
    assert.equal(isUnsupportedCall(mapped(sdkError('UnknownOperationException', 400, 'Unknown operation'))), true);
    assert.equal(isUnsupportedCall(mapped(sdkError('NotFound', 404, ''))), true);
    assert.equal(isUnsupportedCall(mapped(sdkError('InternalFailure', 500, 'The describe_events action has not been implemented'))), true);
  });

  it("CloudFormation's own not-found, throttling and access denied are not", () => {
    assert.equal(isUnsupportedCall(mapped(sdkError('ValidationError', 400, 'Stack [app] does not exist'))), false);
    assert.equal(isUnsupportedCall(mapped(sdkError('Throttling', 400, 'Rate exceeded'))), false);
    assert.equal(isUnsupportedCall(mapped(sdkError('AccessDenied', 403, 'not authorized to perform: cloudformation:DescribeEvents'))), false);
    assert.equal(isUnsupportedCall(new Error('InvalidAction')), false);
  });

  it("an HTML error page (moto's answer) means a missing call only from a custom endpoint; from AWS it is something in between", () => {
    const htmlPage = Object.assign(
      new Error(
        '@aws-sdk XML parse error: mismatched tags <html> and </title>. Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.',
      ),
      {
        name: 'Error',
        $metadata: { httpStatusCode: 500 },
        $responseBodyText: '<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>',
      },
    );
    assert.equal(isUnsupportedCall(mapped(htmlPage), true), true);
    assert.equal(isUnsupportedCall(mapped(htmlPage), false), false);
  });
});
