/**
 * Errors the simulator answers with. Codes and HTTP statuses follow the `awsQueryError` traits in
 * the CloudFormation model, so the SDK maps each one to the same exception class as against AWS.
 */

export type FaultType = 'Sender' | 'Receiver';

export class SimError extends Error {
  override readonly name = 'SimError';
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly type: FaultType = 'Sender',
  ) {
    super(message);
  }
}

export function validationError(message: string): SimError {
  return new SimError('ValidationError', message);
}

export function templateFormatError(detail: string): SimError {
  return validationError(`Template format error: ${detail}`);
}

export function templateError(detail: string): SimError {
  return validationError(`Template error: ${detail}`);
}

export function changeSetNotFound(name: string): SimError {
  return new SimError('ChangeSetNotFound', `ChangeSet [${name}] does not exist`, 404);
}

export function insufficientCapabilities(capability: string): SimError {
  return new SimError('InsufficientCapabilitiesException', `Requires capabilities : [${capability}]`);
}

export function invalidChangeSetStatus(message: string): SimError {
  return new SimError('InvalidChangeSetStatus', message);
}

export function tokenAlreadyExists(message: string): SimError {
  return new SimError('TokenAlreadyExistsException', message);
}

/** What the SDK's own model validation would say for a missing required member. */
export function missingParameter(member: string): SimError {
  return validationError(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
}
