/**
 * The CreateChangeSet options that change how the change set is checked and executed:
 * `DeploymentConfig` (Mode STANDARD | EXPRESS, DisableRollback), `OnStackFailure`
 * (ROLLBACK | DELETE | DO_NOTHING), `ImportExistingResources` and `DisableValidation`.
 *
 * - EXPRESS: resources that stabilize (see stabilization.ts) complete at CONFIGURATION_COMPLETE,
 *   so their steps are shorter; `DeploymentConfig.DisableRollback` leaves failures in place.
 * - OnStackFailure applies when a CREATE change set's execution fails: DO_NOTHING keeps the stack
 *   in CREATE_FAILED, DELETE rolls back and then deletes the stack, ROLLBACK is the default.
 */
import { validationError } from './errors';
import type { ChangeSet, Operation } from './model';
import { boolParam, optional, type FormParams } from './protocol';
import type { XmlObject } from './xml';

export type DeploymentConfigMode = 'STANDARD' | 'EXPRESS';
export type OnStackFailure = 'ROLLBACK' | 'DELETE' | 'DO_NOTHING';

export interface ChangeSetOptions {
  /** Only set when CreateChangeSet sent a DeploymentConfig, so DescribeChangeSet echoes exactly that. */
  deploymentConfig?: { mode?: DeploymentConfigMode; disableRollback?: boolean };
  onStackFailure?: OnStackFailure;
  importExistingResources: boolean;
  disableValidation: boolean;
}

export const NO_CHANGE_SET_OPTIONS: ChangeSetOptions = { importExistingResources: false, disableValidation: false };

export function changeSetOptionsFrom(params: FormParams, type: 'CREATE' | 'UPDATE'): ChangeSetOptions {
  const mode = optional(params, 'DeploymentConfig.Mode');
  if (mode !== undefined && mode !== 'STANDARD' && mode !== 'EXPRESS') throw enumError(mode, 'deploymentConfig.mode', ['STANDARD', 'EXPRESS']);
  const disableRollback = boolParam(params, 'DeploymentConfig.DisableRollback');
  const onStackFailure = optional(params, 'OnStackFailure');
  if (onStackFailure !== undefined && onStackFailure !== 'ROLLBACK' && onStackFailure !== 'DELETE' && onStackFailure !== 'DO_NOTHING') {
    throw enumError(onStackFailure, 'onStackFailure', ['DO_NOTHING', 'ROLLBACK', 'DELETE']);
  }
  // The API reference: OnStackFailure "is only valid for CREATE change sets" (the sim refuses it on UPDATE).
  if (onStackFailure !== undefined && type !== 'CREATE') throw validationError('OnStackFailure can only be specified for change sets of type CREATE.');
  return {
    deploymentConfig: mode === undefined && disableRollback === undefined ? undefined : { mode, disableRollback },
    onStackFailure,
    importExistingResources: boolParam(params, 'ImportExistingResources') ?? false,
    disableValidation: boolParam(params, 'DisableValidation') ?? false,
  };
}

/** The DescribeChangeSet members for these options; absent ones stay absent. */
export function changeSetOptionsXml(changeSet: ChangeSet): XmlObject {
  const options = changeSet.options ?? NO_CHANGE_SET_OPTIONS;
  const config = options.deploymentConfig;
  return {
    OnStackFailure: options.onStackFailure,
    ImportExistingResources: options.importExistingResources ? true : undefined,
    DeploymentConfig: config === undefined ? undefined : { Mode: config.mode, DisableRollback: config.disableRollback },
  };
}

/**
 * Whether a failure leaves the stack as it is: ExecuteChangeSet's DisableRollback, the change set's
 * DeploymentConfig.DisableRollback, or OnStackFailure DO_NOTHING.
 */
export function keepsFailures(changeSet: ChangeSet, requested: boolean): boolean {
  const options = changeSet.options;
  if (requested && options?.onStackFailure !== undefined) {
    throw validationError('You cannot specify both DisableRollback and OnStackFailure; OnStackFailure was given when the change set was created.');
  }
  return requested || options?.deploymentConfig?.disableRollback === true || options?.onStackFailure === 'DO_NOTHING';
}

export function isExpress(op: Operation): boolean {
  return op.changeSet?.options?.deploymentConfig?.mode === 'EXPRESS';
}

/** A failed create whose change set said OnStackFailure DELETE: after the rollback, the stack is deleted. */
export function deletesAfterRollback(op: Operation): boolean {
  return op.kind === 'create' && op.changeSet?.options?.onStackFailure === 'DELETE';
}

function enumError(value: string, member: string, allowed: string[]): Error {
  return validationError(
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
  );
}
