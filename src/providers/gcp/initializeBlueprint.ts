/**
 * The machine's `initialize` step for Infrastructure Manager: settings, the blueprint folder
 * and the input values are checked in the workspace first, so a typo fails in a second with
 * the setting (or .tf line) to fix, before anything is uploaded or planned.
 */
import { basename } from 'node:path';
import * as l10n from '@vscode/l10n';
import type { InitializedDeployment } from '../../deployment/machine';
import { readContents, rootTerraformTexts, type BlueprintContent } from './blueprintFiles';
import { readBlueprintFolder } from './blueprintFolder';
import { checkInputValues, findBackendBlocks, type BlueprintVariable, type InputProblem } from './blueprint';
import { checkedBlueprints, checkedFrom, digestLine, type CheckedBlueprint } from './checkedBlueprints';
import type { GcpIdentity } from './identity';
import { deploymentNameProblem } from './deploymentName';
import { toParameterValues } from './inputs';
import { sensitiveInputWarnings } from './sensitiveInputs';
import { GCP_SETTING_KEYS, isServiceAccountLike, type GcpProviderSettings } from './settings';
import type { TemplateInitializer } from '../descriptor';
import { InputError } from '../../input/inputError';

export interface BlueprintInitializerOptions {
  /** How messages name files (e.g. workspace-relative); defaults to the file name. */
  displayPath?: (absPath: string) => string;
  /** Who ADC says we are; asked last, so local mistakes are reported without a credentials lookup. */
  identity?: () => Promise<GcpIdentity>;
}

type RequiredKey = 'project' | 'location' | 'serviceAccount' | 'stagingBucket' | 'blueprintFolder';

/** The settings a deployment needs, in the order they are checked. */
const REQUIRED: readonly RequiredKey[] = ['project', 'location', 'serviceAccount', 'stagingBucket', 'blueprintFolder'];

/** Why a required setting that is not set is needed, and how to set it. */
function notSet(key: RequiredKey): { message: string; hint: string } {
  const setting = GCP_SETTING_KEYS[key];
  switch (key) {
    case 'project':
      return {
        message: l10n.t('{0} is not set: Stackwatch needs the Google Cloud project ID to deploy to Google Cloud.', setting),
        hint: l10n.t('Set {0} (e.g. "my-project-123") in the workspace settings (.vscode/settings.json).', setting),
      };
    case 'location':
      return {
        message: l10n.t('{0} is not set: Stackwatch needs the Infrastructure Manager location to deploy to Google Cloud.', setting),
        hint: l10n.t('Set {0} (e.g. "us-central1") in the workspace settings (.vscode/settings.json).', setting),
      };
    case 'serviceAccount':
      return {
        message: l10n.t('{0} is not set: Stackwatch needs the service account Infrastructure Manager runs Terraform as to deploy to Google Cloud.', setting),
        hint: l10n.t('Set {0} (e.g. "deployer@my-project-123.iam.gserviceaccount.com") in the workspace settings (.vscode/settings.json).', setting),
      };
    case 'stagingBucket':
      return {
        message: l10n.t('{0} is not set: Stackwatch needs the Cloud Storage bucket the zipped blueprint is uploaded to to deploy to Google Cloud.', setting),
        hint: l10n.t('Set {0} (a bucket in the same project, e.g. "my-project-123-blueprints") in the workspace settings (.vscode/settings.json).', setting),
      };
    case 'blueprintFolder':
      return {
        message: l10n.t('{0} is not set: Stackwatch needs the Terraform blueprint folder to deploy to Google Cloud.', setting),
        hint: l10n.t('Set {0} (a folder of .tf files, relative to the workspace) in the workspace settings (.vscode/settings.json).', setting),
      };
  }
}

export function createBlueprintInitializer(settings: GcpProviderSettings, options: BlueprintInitializerOptions = {}): TemplateInitializer {
  const displayPath = options.displayPath ?? basename;

  return async (input, signal) => {
    signal.throwIfAborted();
    checkSettings(settings);
    checkDeploymentId(input.target.name);
    const folder = settings.blueprintFolder;
    const shown = displayPath(folder);
    const files = await readBlueprintFolder(folder, { workspaceFolder: settings.workspaceFolder, displayPath });
    signal.throwIfAborted();
    // Read once: the variables checked, the backend check and the zip uploaded all come from these bytes.
    const contents = await readContents(files);
    signal.throwIfAborted();
    refuseStateBackends(contents, displayPath);
    const checked = checkedFrom(contents);
    const variables = checked.variables;
    checkInputs(variables, settings.inputValues ?? {}, displayPath);
    const who = options.identity ? await options.identity() : undefined;
    signal.throwIfAborted();

    // Stage uploads exactly this zip, found by the digest the manifest names.
    checkedBlueprints.put(checked);
    const body = manifest(shown, checked, settings.stagingBucket);
    return {
      template: { path: shown, body, format: 'folder', sizeBytes: Buffer.byteLength(body, 'utf8') },
      // Sensitive inputs are marked secret, so nothing downstream shows, logs or persists them.
      parameters: toParameterValues(variables, settings.inputValues ?? {}),
      capabilities: [],
      warnings: warningsFor(variables, settings.inputValues ?? {}),
      ...(who ? { identity: l10n.t('project {0} · {1}', settings.project, who.runsAs) } : {}),
    } satisfies InitializedDeployment;
  };
}

function checkSettings(settings: GcpProviderSettings): void {
  for (const key of REQUIRED) {
    const value = settings[key];
    if (typeof value !== 'string' || value.trim() === '') {
      const { message, hint } = notSet(key);
      throw new InputError(message, { setting: GCP_SETTING_KEYS[key], hint });
    }
  }
  if (!isServiceAccountLike(settings.serviceAccount)) {
    throw new InputError(
      l10n.t(
        '{0} is "{1}", which is neither a service account email nor projects/PROJECT/serviceAccounts/EMAIL.',
        GCP_SETTING_KEYS.serviceAccount,
        settings.serviceAccount,
      ),
      {
        setting: GCP_SETTING_KEYS.serviceAccount,
        hint: l10n.t('Use the email of the service account, e.g. "deployer@my-project-123.iam.gserviceaccount.com".'),
      },
    );
  }
}

/** IM's deployment IDs: lower-case letters, digits and hyphens, starting with a letter, at most 63. */
function checkDeploymentId(id: string): void {
  const what = deploymentNameProblem(id);
  if (what === undefined) return;
  throw new InputError(l10n.t('The deployment ID "{0}" {1}.', id, what), {
    setting: GCP_SETTING_KEYS.deploymentName,
    hint: l10n.t('Infrastructure Manager deployment IDs look like "orders-prod".'),
  });
}

function checkInputs(variables: readonly BlueprintVariable[], values: Record<string, unknown>, displayPath: (absPath: string) => string): void {
  const problems = checkInputValues(variables, values);
  const [first, ...others] = problems;
  if (!first) return;
  const keys = others.map((p) => p.key).join(', ');
  const message =
    others.length === 0
      ? `${GCP_SETTING_KEYS.inputValues}: ${first.message}`
      : others.length === 1
        ? l10n.t('{0}: {1} (and 1 more problem with input values: {2})', GCP_SETTING_KEYS.inputValues, first.message, keys)
        : l10n.t('{0}: {1} (and {2} more problems with input values: {3})', GCP_SETTING_KEYS.inputValues, first.message, others.length, keys);
  throw new InputError(message, {
    setting: GCP_SETTING_KEYS.inputValues,
    ...(first.variable ? { file: first.variable.file, displayFile: displayPath(first.variable.file), line: first.variable.line } : {}),
    hint: hintFor(first),
  });
}

function hintFor(problem: InputProblem): string {
  switch (problem.kind) {
    case 'unknown':
      return l10n.t('Remove or rename "{0}" in {1}.', problem.key, GCP_SETTING_KEYS.inputValues);
    case 'missing':
      return l10n.t('Add "{0}" to {1}, or give the variable a default.', problem.key, GCP_SETTING_KEYS.inputValues);
    case 'type':
      return l10n.t('Give "{0}" a value of the declared type in {1} (lists as JSON arrays, maps as JSON objects).', problem.key, GCP_SETTING_KEYS.inputValues);
  }
}

function warningsFor(variables: readonly BlueprintVariable[], values: Record<string, unknown>): string[] {
  return sensitiveInputWarnings(variables, values);
}

/**
 * What "the template" is for a folder: the files that were zipped, so a change shows up as a
 * diff, and the digest of the zip that stage uploads (nothing else is uploaded under it).
 */
function manifest(shown: string, checked: CheckedBlueprint, bucket: string): string {
  const { files } = checked;
  const total = files.reduce((sum, file) => sum + file.size, 0);
  const bytes = total.toLocaleString('en-US');
  const lines = [
    `# ${files.length === 1 ? l10n.t('Terraform blueprint {0}: 1 file, {1} bytes.', shown, bytes) : l10n.t('Terraform blueprint {0}: {1} files, {2} bytes.', shown, files.length, bytes)}`,
    `# ${l10n.t('Zipped and uploaded to gs://{0}/ when staged; .terraform/, .git/ and *.tfstate* are left out.', bucket)}`,
    digestLine(checked.sha256),
    ...files.map((file) => `${file.path}\t${file.size}`),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Infrastructure Manager keeps the Terraform state itself, and its docs forbid backend blocks
 * (https://cloud.google.com/infrastructure-manager/docs/terraform, "Terraform configuration
 * constraints"). Refused here, with the line to change, before anything is uploaded.
 */
function refuseStateBackends(contents: readonly BlueprintContent[], displayPath: (absPath: string) => string): void {
  const [first, ...others] = rootTerraformTexts(contents).flatMap(({ file, text }) => findBackendBlocks(text, file));
  if (!first) return;
  const places = others.map((b) => `${displayPath(b.file)}:${b.line}`).join(', ');
  throw new InputError(
    others.length > 0
      ? l10n.t(
          'The terraform block defines a {0} block (and {1} more: {2}); Infrastructure Manager stores the Terraform state itself and does not accept a backend in the blueprint. Nothing was uploaded.',
          first.what,
          others.length,
          places,
        )
      : l10n.t(
          'The terraform block defines a {0} block; Infrastructure Manager stores the Terraform state itself and does not accept a backend in the blueprint. Nothing was uploaded.',
          first.what,
        ),
    {
      setting: GCP_SETTING_KEYS.blueprintFolder,
      file: first.file,
      displayFile: displayPath(first.file),
      line: first.line,
      hint: l10n.t(
        'Remove the {0} block from the terraform block (keep it in a file outside {1} if other tools need it). Infrastructure Manager keeps each deployment\'s state; see "Manage the Terraform state file" in its docs.',
        first.what,
        GCP_SETTING_KEYS.blueprintFolder,
      ),
    },
  );
}
