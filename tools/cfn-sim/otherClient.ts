/**
 * Acting as another client of the same stacks: someone in the console or the CLI cancels our
 * update, deletes the stack, or starts an update of their own. Their requests carry their own
 * ClientRequestToken (the console's look like `Console-CancelUpdateStack-<uuid>`), and
 * CloudFormation stamps the events of the operation they start with that token.
 *
 * These requests go straight to the engine: they are not API calls of the client under test, so
 * they are not in `calls()`.
 */
import { randomUUID } from 'node:crypto';
import type { Engine } from './engine';
import type { OtherClientRequest, OtherClientResult } from './types';

const ACTIONS = ['CancelUpdateStack', 'DeleteStack', 'UpdateStack'] as const;

export function actAsOtherClient(engine: Engine, request: OtherClientRequest): OtherClientResult {
  const token = request.token ?? `Console-${request.action}-${randomUUID()}`;
  switch (request.action) {
    case 'CancelUpdateStack':
      engine.cancelUpdateStack(request.stackName, token);
      break;
    case 'DeleteStack':
      engine.deleteStack(request.stackName, token, false);
      break;
    case 'UpdateStack':
      engine.updateStack(
        request.stackName,
        request.templateBody,
        Object.entries(request.parameters ?? {}).map(([key, value]) => ({ key, value, usePrevious: false })),
        token,
      );
      break;
  }
  engine.sync();
  const stack = engine.findStack(request.stackName);
  return { token, operationId: stack?.lastOperations[0]?.id };
}

/** Validates a request from JSON or from callers that are not type-checked. */
export function checkedOtherClientRequest(value: unknown): OtherClientRequest {
  if (typeof value !== 'object' || value === null)
    throw new TypeError('an other-client request is an object { action, stackName, token?, templateBody?, parameters? }');
  const { action, stackName, token, templateBody, parameters } = value as Record<string, unknown>;
  if (!ACTIONS.includes(action as (typeof ACTIONS)[number])) throw new TypeError(`action must be one of ${ACTIONS.join(', ')}`);
  if (typeof stackName !== 'string' || stackName === '') throw new TypeError('stackName must be a non-empty string');
  if (token !== undefined && (typeof token !== 'string' || token === '')) throw new TypeError('token must be a non-empty string when given');
  if (action === 'UpdateStack') {
    if (typeof templateBody !== 'string') throw new TypeError('UpdateStack needs templateBody (a string)');
    if (parameters !== undefined && !isStringRecord(parameters)) throw new TypeError('parameters must be an object of strings { "Key": "value" }');
    return { action, stackName, token, templateBody, parameters };
  }
  return { action: action as 'CancelUpdateStack' | 'DeleteStack', stackName, token };
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}
