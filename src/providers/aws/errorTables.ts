/**
 * What each error name CloudFormation, S3 and Node give means to Stackwatch: the tables behind
 * toProviderError (errors.ts). Every exception the CloudFormation SDK models has a deliberate code;
 * the table fails to compile when the SDK adds one.
 */
import type * as CloudFormationSdk from '@aws-sdk/client-cloudformation';
import * as l10n from '@vscode/l10n';
import type { ProviderErrorCode } from '../provider';

// ---------- CloudFormation's modeled exceptions ----------

type SdkExports = typeof CloudFormationSdk;
/** Every exception class the CloudFormation SDK exports, by the name it gives its errors. */
export type ModeledExceptionName = Exclude<
  {
    [K in keyof SdkExports]: SdkExports[K] extends abstract new (...args: never[]) => CloudFormationSdk.CloudFormationServiceException ? K : never;
  }[keyof SdkExports],
  'CloudFormationServiceException'
>;

/** Which advice goes with an error; the sentence itself comes from hintText, in the display language. */
export type HintId =
  | 'stackBusy'
  | 'alreadyExists'
  | 'insufficientCapabilities'
  | 'invalidChangeSetStatus'
  | 'limitExceeded'
  | 'tokenAlreadyExists'
  | 'staleRequest'
  | 'noUpdates'
  | 'createdByOthers';

export interface Mapping {
  code: ProviderErrorCode;
  hint?: HintId;
}

/** The advice a hint id stands for, translated when it is asked for. */
export function hintText(id: HintId): string {
  switch (id) {
    case 'stackBusy':
      return l10n.t('Another operation is running on the stack. Deploy again to watch it, or wait for it to finish.');
    case 'alreadyExists':
      return l10n.t('A stack or change set with this name already exists.');
    case 'insufficientCapabilities':
      return l10n.t('Add the capability to the stackwatch.capabilities setting.');
    case 'invalidChangeSetStatus':
      return l10n.t(
        'The change set is not in a state that allows this: it is still being created, or it was already executed, failed or became obsolete. Wait until it is created, or deploy again to stage a fresh one.',
      );
    case 'limitExceeded':
      return l10n.t(
        'An account quota was reached (for example the number of stacks, or of change sets on one stack). Delete unused ones, or ask AWS for a higher quota.',
      );
    case 'tokenAlreadyExists':
      return l10n.t(
        'CloudFormation already accepted a request with this token: an earlier attempt of this call got through. Look at the stack before trying again.',
      );
    case 'staleRequest':
      return l10n.t('Another operation changed the stack set since this request was made. Read its state again before retrying.');
    case 'noUpdates':
      return l10n.t('The stack already matches this template and these parameters: there is nothing to deploy.');
    case 'createdByOthers':
      return l10n.t('The stack was created by someone else after Stackwatch looked. Deploy again to update it instead.');
  }
}

/**
 * Every modeled exception, decided one by one. Most belong to APIs Stackwatch does not call
 * (stack sets, the registry, resource scans, refactors); they still get the code their meaning
 * calls for, so nothing the SDK models ever surfaces as 'Unknown'.
 */
export const MODELED_EXCEPTIONS = {
  // Stacks and change sets: the calls Stackwatch makes.
  AlreadyExistsException: { code: 'Conflict', hint: 'alreadyExists' },
  ChangeSetNotFoundException: { code: 'NotFound' },
  InsufficientCapabilitiesException: { code: 'Validation', hint: 'insufficientCapabilities' },
  InvalidChangeSetStatusException: { code: 'Conflict', hint: 'invalidChangeSetStatus' },
  LimitExceededException: { code: 'Validation', hint: 'limitExceeded' },
  StackNotFoundException: { code: 'NotFound' },
  TokenAlreadyExistsException: { code: 'Conflict', hint: 'tokenAlreadyExists' },
  OperationInProgressException: { code: 'Conflict', hint: 'stackBusy' },
  OperationIdAlreadyExistsException: { code: 'Conflict', hint: 'stackBusy' },
  OperationNotFoundException: { code: 'NotFound' },
  StaleRequestException: { code: 'Conflict', hint: 'staleRequest' },
  InvalidOperationException: { code: 'Unsupported' },
  InvalidStateTransitionException: { code: 'Conflict' },
  // A quota on simultaneous generated-template work; it clears as the others finish (HTTP 429).
  ConcurrentResourcesLimitExceededException: { code: 'Throttling' },
  CreatedButModifiedException: { code: 'Conflict' },
  NameAlreadyExistsException: { code: 'Conflict' },
  OperationStatusCheckFailedException: { code: 'Conflict' },
  // Stack sets and instances.
  StackInstanceNotFoundException: { code: 'NotFound' },
  StackSetNotEmptyException: { code: 'Conflict' },
  StackSetNotFoundException: { code: 'NotFound' },
  // The extension registry and hooks.
  CFNRegistryException: { code: 'Validation' },
  TypeNotFoundException: { code: 'NotFound' },
  TypeConfigurationNotFoundException: { code: 'NotFound' },
  HookResultNotFoundException: { code: 'NotFound' },
  // IaC generator, resource scans and stack refactors.
  GeneratedTemplateNotFoundException: { code: 'NotFound' },
  ResourceScanInProgressException: { code: 'Conflict' },
  // A daily quota: retrying soon does not help.
  ResourceScanLimitExceededException: { code: 'Validation' },
  ResourceScanNotFoundException: { code: 'NotFound' },
  StackRefactorNotFoundException: { code: 'NotFound' },
} as const satisfies Record<ModeledExceptionName, Mapping>;

// ---------- errors the SDK does not model (CloudFormationServiceException / S3 with a wire code) ----------

export const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException', 'RequestThrottled', 'SlowDown']);
export const TRANSIENT = new Set([
  'InternalFailure',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
]);
export const CREDENTIALS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'RequestExpired',
  'OptInRequired',
  'UnrecognizedClientException',
  'AccessDenied',
  'AccessDeniedException',
  'AuthFailure',
  'TokenProviderError',
]);
export const VALIDATION = new Set([
  'ValidationError',
  'InvalidParameterValue',
  'InvalidParameterCombination',
  'MissingParameter',
  'MalformedQueryString',
  'InvalidAction',
  'InvalidQueryParameter',
]);
export const NOT_FOUND = new Set(['NoSuchBucket']);
export const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENOTFOUND', 'UND_ERR_SOCKET']);

/** The providerCode of CloudFormation's "No updates are to be performed." ValidationError. */
export const NO_UPDATES_PROVIDER_CODE = 'NoUpdatesToPerform';
export const NO_UPDATES = /No updates are to be performed/i;

/** ValidationError is one wire code for many meanings; its message tells them apart. */
export const VALIDATION_MEANINGS: ReadonlyArray<{ pattern: RegExp; code: ProviderErrorCode; providerCode?: string; hint?: HintId }> = [
  { pattern: NO_UPDATES, code: 'Validation', providerCode: NO_UPDATES_PROVIDER_CODE, hint: 'noUpdates' },
  { pattern: /does not exist/i, code: 'NotFound' },
  { pattern: /_IN_PROGRESS state and can ?not be updated/i, code: 'Conflict', hint: 'stackBusy' },
  // A CREATE change set for a stack someone created after we looked.
  { pattern: /already exists and cannot be created again/i, code: 'Conflict', hint: 'createdByOthers' },
];
