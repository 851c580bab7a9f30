/**
 * What each Google Cloud configure step accepts, as messages a person can act on, and the
 * default deployment ID. Pure; the same checks run on a picked and on a typed value.
 */
import * as l10n from '@vscode/l10n';
import { deploymentNameProblem } from '../deploymentName';
import { isServiceAccountLike } from '../settings';

/**
 * Project IDs: 6 to 30 lower-case letters, digits and hyphens, starting with a letter, not ending
 * with a hyphen (cloud.google.com/resource-manager/docs/creating-managing-projects); old
 * domain-scoped projects carry a prefix ("example.com:my-project").
 */
export function projectIdProblem(value: string): string | undefined {
  const id = value.trim();
  if (id === '') return l10n.t('Type the project ID, e.g. my-project-123.');
  if (/^\d+$/.test(id)) return l10n.t('{0} looks like a project number; Stackwatch needs the project ID (e.g. my-project-123).', id);
  const bare = id.replace(/^[a-z0-9.-]+:/, '');
  if (/[A-Z]/.test(bare)) return l10n.t('Project IDs have no upper-case letters (the display name may; the ID does not).');
  if (/\s/.test(id)) return l10n.t('A project ID has no spaces.');
  if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(bare))
    return l10n.t('A project ID is 6 to 30 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen.');
  return undefined;
}

/** Region-shaped: "us-central1", or a multi-region such as "us". */
export function locationProblem(value: string): string | undefined {
  const id = value.trim();
  if (id === '') return l10n.t('Type a location, e.g. us-central1.');
  if (!/^[a-z]+(?:-[a-z]+[0-9]*)*$/.test(id)) return l10n.t('{0} is not a location name; they look like us-central1 or europe-west1.', JSON.stringify(id));
  return undefined;
}

export function deploymentNameStepProblem(value: string): string | undefined {
  const problem = deploymentNameProblem(value);
  return problem ? l10n.t('The deployment ID {0}; e.g. orders-prod.', problem) : undefined;
}

export function serviceAccountProblem(value: string): string | undefined {
  if (value.trim() === '') return l10n.t('Type the service account email, e.g. deployer@my-project-123.iam.gserviceaccount.com.');
  return isServiceAccountLike(value)
    ? undefined
    : l10n.t('Use the service account email (name@project.iam.gserviceaccount.com) or projects/PROJECT/serviceAccounts/EMAIL.');
}

/**
 * Bucket names (cloud.google.com/storage/docs/buckets#naming): 3–63 characters of lower-case
 * letters, digits, hyphens, underscores and dots, starting and ending with a letter or digit;
 * with dots up to 222, each dot-separated part at most 63.
 */
export function bucketNameProblem(value: string): string | undefined {
  const name = value.trim();
  if (name === '') return l10n.t('Type the bucket name, e.g. my-project-123-blueprints.');
  if (/^gs:\/\//.test(name)) return l10n.t('Type the bucket name without gs:// ({0}).', name.replace(/^gs:\/\//, '').replace(/\/.*$/, ''));
  if (name.includes('/')) return l10n.t('A bucket name has no slashes; Stackwatch picks the object names itself.');
  if (!/^[a-z0-9][a-z0-9._-]*[a-z0-9]$/.test(name))
    return l10n.t('Bucket names are lower-case letters, digits, hyphens, underscores and dots, starting and ending with a letter or digit.');
  if (name.length < 3 || name.length > (name.includes('.') ? 222 : 63))
    return l10n.t('A bucket name is 3 to 63 characters long (222 with dots); this one has {0}.', name.length);
  if (name.split('.').some((part) => part.length > 63)) return l10n.t('Each dot-separated part of a bucket name is at most 63 characters.');
  return undefined;
}

/** Relative to the workspace folder, and inside it. */
export function blueprintFolderProblem(value: string): string | undefined {
  const folder = value.trim();
  if (folder === '') return l10n.t('Type the folder of the Terraform root module, relative to the workspace folder (. for the folder itself).');
  if (/^([a-zA-Z]:)?[\\/]/.test(folder)) return l10n.t('Give the folder relative to the workspace folder, e.g. infra or gcp/orders.');
  if (folder.split(/[\\/]/).includes('..')) return l10n.t('The blueprint folder must be inside the workspace folder.');
  return undefined;
}

/** The workspace folder's name made into a deployment ID ("My App_2" → "my-app-2"). */
export function defaultDeploymentName(folderName: string): string {
  const cleaned = folderName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return cleaned && deploymentNameProblem(cleaned) === undefined ? cleaned : 'my-deployment';
}
