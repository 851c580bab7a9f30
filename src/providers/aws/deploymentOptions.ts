/**
 * The choices the review offers per stack, and what each adds to CreateChangeSet. The
 * descriptor lists them (light: no SDK import here beyond types); staging applies them.
 */
import * as l10n from '@vscode/l10n';
import type { CreateChangeSetInput, OnStackFailure } from '@aws-sdk/client-cloudformation';
import type { DeploymentOptionSpec } from '../descriptor';
import type { DeploymentOptionValues } from '../provider';

export const AWS_OPTION_IDS = {
  revertDrift: 'revertDrift',
  express: 'express',
  onStackFailure: 'onStackFailure',
  importExisting: 'importExisting',
} as const;

const ON_STACK_FAILURE: readonly OnStackFailure[] = ['ROLLBACK', 'DELETE', 'DO_NOTHING'];

/** The options in the display language: built when asked, never when the module loads. */
export function awsDeploymentOptions(): readonly DeploymentOptionSpec[] {
  return [
    {
      id: AWS_OPTION_IDS.revertDrift,
      label: l10n.t('Revert drift'),
      description: l10n.t(
        'Drift-aware change set: resources changed outside CloudFormation (in the console, by a script) are set back to what the template says. The review shows each drifted property with its previous and actual value.',
      ),
      kind: 'flag',
      default: false,
      appliesTo: 'update',
    },
    {
      id: AWS_OPTION_IDS.express,
      label: l10n.t('Express mode'),
      description: l10n.t(
        'Finishes as soon as each resource is configured, without waiting for it to stabilize (to be ready to serve), and with automatic rollback turned off: a failure leaves the stack as it got, for you to fix or roll back (so "If the create fails" does not apply).',
      ),
      kind: 'flag',
      default: false,
      appliesTo: 'always',
      givesUp: l10n.t('automatic rollback (a failure leaves the stack as it got) and waiting for resources to stabilize'),
    },
    {
      id: AWS_OPTION_IDS.onStackFailure,
      label: l10n.t('If the create fails'),
      description: l10n.t(
        'What CloudFormation does with a new stack whose create fails: roll it back (the default), delete it, or leave it as it is to look at.',
      ),
      kind: 'choice',
      choices: [
        { value: 'ROLLBACK', label: l10n.t('Roll back') },
        // Deleted, the failed stack and its events are no longer there to look at, only among deleted stacks.
        { value: 'DELETE', label: l10n.t('Delete the stack'), givesUp: l10n.t('the failed stack to look at (a failed create deletes it)') },
        // Kept, what the failed create made stays (and is billed) until someone deletes it.
        {
          value: 'DO_NOTHING',
          label: l10n.t('Leave it as it is'),
          givesUp: l10n.t('the rollback of a failed create (what it made stays until you delete it)'),
        },
      ],
      default: 'ROLLBACK',
      appliesTo: 'create',
    },
    {
      id: AWS_OPTION_IDS.importExisting,
      label: l10n.t('Import existing resources'),
      description: l10n.t(
        'Resources with a custom name that already exist (and belong to no stack) are imported into the stack instead of failing the change set with "already exists".',
      ),
      kind: 'flag',
      default: false,
      appliesTo: 'always',
      givesUp: l10n.t('the "already exists" check (a named resource that exists is adopted into the stack, and deleted with it)'),
    },
  ];
}

type ChangeSetOptions = Pick<CreateChangeSetInput, 'DeploymentMode' | 'DeploymentConfig' | 'OnStackFailure' | 'ImportExistingResources'>;

/** The CreateChangeSet fields the chosen options add; an option that does not apply to this staging adds nothing. */
export function changeSetOptions(values: DeploymentOptionValues | undefined, changeSetType: 'CREATE' | 'UPDATE'): ChangeSetOptions {
  const chosen = values ?? {};
  const options: ChangeSetOptions = {};
  if (changeSetType === 'UPDATE' && chosen[AWS_OPTION_IDS.revertDrift] === true) options.DeploymentMode = 'REVERT_DRIFT';
  if (chosen[AWS_OPTION_IDS.express] === true) options.DeploymentConfig = { Mode: 'EXPRESS', DisableRollback: true };
  const onFailure = chosen[AWS_OPTION_IDS.onStackFailure];
  // ROLLBACK is CloudFormation's own default: sent only when it says something. Express already
  // turns rollback off (DisableRollback), which OnStackFailure would contradict.
  if (changeSetType === 'CREATE' && !options.DeploymentConfig && typeof onFailure === 'string' && onFailure !== 'ROLLBACK') {
    const known = ON_STACK_FAILURE.find((value) => value === onFailure);
    if (known) options.OnStackFailure = known;
  }
  if (chosen[AWS_OPTION_IDS.importExisting] === true) options.ImportExistingResources = true;
  return options;
}
