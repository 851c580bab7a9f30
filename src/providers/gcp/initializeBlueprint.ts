/**
 * The machine's `initialize` step for Infrastructure Manager: settings, the blueprint folder
 * and the input values are checked in the workspace first, so a typo fails in a second with
 * the setting (or .tf line) to fix, before anything is uploaded or planned.
 */
import { basename } from 'node:path';
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

const REQUIRED: ReadonlyArray<{ key: 'project' | 'location' | 'serviceAccount' | 'stagingBucket' | 'blueprintFolder'; what: string; example: string }> = [
  { key: 'project', what: 'the Google Cloud project ID', example: 'e.g. "my-project-123"' },
  { key: 'location', what: 'the Infrastructure Manager location', example: 'e.g. "us-central1"' },
  {
    key: 'serviceAccount',
    what: 'the service account Infrastructure Manager runs Terraform as',
    example: 'e.g. "deployer@my-project-123.iam.gserviceaccount.com"',
  },
  {
    key: 'stagingBucket',
    what: 'the Cloud Storage bucket the zipped blueprint is uploaded to',
    example: 'a bucket in the same project, e.g. "my-project-123-blueprints"',
  },
  { key: 'blueprintFolder', what: 'the Terraform blueprint folder', example: 'a folder of .tf files, relative to the workspace' },
];

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
      ...(who ? { identity: `project ${settings.project} · ${who.runsAs}` } : {}),
    } satisfies InitializedDeployment;
  };
}

function checkSettings(settings: GcpProviderSettings): void {
  for (const { key, what, example } of REQUIRED) {
    const value = settings[key];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new InputError(`${GCP_SETTING_KEYS[key]} is not set: Stackwatch needs ${what} to deploy to Google Cloud.`, {
        setting: GCP_SETTING_KEYS[key],
        hint: `Set ${GCP_SETTING_KEYS[key]} (${example}) in the workspace settings (.vscode/settings.json).`,
      });
    }
  }
  if (!isServiceAccountLike(settings.serviceAccount)) {
    throw new InputError(
      `${GCP_SETTING_KEYS.serviceAccount} is "${settings.serviceAccount}", which is neither a service account email nor projects/PROJECT/serviceAccounts/EMAIL.`,
      {
        setting: GCP_SETTING_KEYS.serviceAccount,
        hint: 'Use the email of the service account, e.g. "deployer@my-project-123.iam.gserviceaccount.com".',
      },
    );
  }
}

/** IM's deployment IDs: lower-case letters, digits and hyphens, starting with a letter, at most 63. */
function checkDeploymentId(id: string): void {
  const what = deploymentNameProblem(id);
  if (what === undefined) return;
  throw new InputError(`The deployment ID "${id}" ${what}.`, {
    setting: GCP_SETTING_KEYS.deploymentName,
    hint: 'Infrastructure Manager deployment IDs look like "orders-prod".',
  });
}

function checkInputs(variables: readonly BlueprintVariable[], values: Record<string, unknown>, displayPath: (absPath: string) => string): void {
  const problems = checkInputValues(variables, values);
  const [first, ...others] = problems;
  if (!first) return;
  const more =
    others.length > 0 ? ` (and ${others.length} more problem${others.length === 1 ? '' : 's'} with input values: ${others.map((p) => p.key).join(', ')})` : '';
  throw new InputError(`${GCP_SETTING_KEYS.inputValues}: ${first.message}${more}`, {
    setting: GCP_SETTING_KEYS.inputValues,
    ...(first.variable ? { file: first.variable.file, displayFile: displayPath(first.variable.file), line: first.variable.line } : {}),
    hint: hintFor(first),
  });
}

function hintFor(problem: InputProblem): string {
  switch (problem.kind) {
    case 'unknown':
      return `Remove or rename "${problem.key}" in ${GCP_SETTING_KEYS.inputValues}.`;
    case 'missing':
      return `Add "${problem.key}" to ${GCP_SETTING_KEYS.inputValues}, or give the variable a default.`;
    case 'type':
      return `Give "${problem.key}" a value of the declared type in ${GCP_SETTING_KEYS.inputValues} (lists as JSON arrays, maps as JSON objects).`;
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
  const lines = [
    `# Terraform blueprint ${shown}: ${files.length} file${files.length === 1 ? '' : 's'}, ${total.toLocaleString('en-US')} bytes.`,
    `# Zipped and uploaded to gs://${bucket}/ when staged; .terraform/, .git/ and *.tfstate* are left out.`,
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
  const more = others.length > 0 ? ` (and ${others.length} more: ${others.map((b) => `${displayPath(b.file)}:${b.line}`).join(', ')})` : '';
  throw new InputError(
    `The terraform block defines a ${first.what} block${more}; Infrastructure Manager stores the Terraform state itself and does not accept a backend in the blueprint. Nothing was uploaded.`,
    {
      setting: GCP_SETTING_KEYS.blueprintFolder,
      file: first.file,
      displayFile: displayPath(first.file),
      line: first.line,
      hint: `Remove the ${first.what} block from the terraform block (keep it in a file outside ${GCP_SETTING_KEYS.blueprintFolder} if other tools need it). Infrastructure Manager keeps each deployment's state; see "Manage the Terraform state file" in its docs.`,
    },
  );
}
