/**
 * The machine's `initialize` step for Infrastructure Manager: settings, the blueprint folder
 * and the input values are checked in the workspace first, so a typo fails in a second with
 * the setting (or .tf line) to fix, before anything is uploaded or planned.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { InitializedDeployment } from '../deployment/machine';
import type { BlueprintFile } from '../providers/gcp/blueprintFiles';
import { BlueprintFileError, listBlueprintFiles, problemReason, readVariables, rootTerraformFiles } from '../providers/gcp/blueprintFiles';
import { checkInputValues, type BlueprintVariable, type InputProblem } from '../providers/gcp/blueprint';
import type { GcpIdentity } from '../providers/gcp/identity';
import { toParameterValues } from '../providers/gcp/inputs';
import { GCP_SETTING_KEYS, isServiceAccountLike, type GcpProviderSettings } from '../providers/gcp/settings';
import type { TemplateInitializer } from './initialize';
import { TemplateError } from './templateError';

export interface BlueprintInitializerOptions {
  /** How messages name files (e.g. workspace-relative); defaults to the file name. */
  displayPath?: (absPath: string) => string;
  /** Who ADC says we are; asked last, so local mistakes are reported without a credentials lookup. */
  identity?: () => Promise<GcpIdentity>;
}

const REQUIRED: ReadonlyArray<{ key: 'project' | 'location' | 'serviceAccount' | 'stagingBucket' | 'blueprintFolder'; what: string; example: string }> = [
  { key: 'project', what: 'the Google Cloud project ID', example: 'e.g. "my-project-123"' },
  { key: 'location', what: 'the Infrastructure Manager location', example: 'e.g. "us-central1"' },
  { key: 'serviceAccount', what: 'the service account Infrastructure Manager runs Terraform as', example: 'e.g. "deployer@my-project-123.iam.gserviceaccount.com"' },
  { key: 'stagingBucket', what: 'the Cloud Storage bucket the zipped blueprint is uploaded to', example: 'a bucket in the same project, e.g. "my-project-123-blueprints"' },
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
    const files = await blueprintFiles(folder, shown, settings.workspaceFolder, displayPath);
    signal.throwIfAborted();
    const variables = await readVariables(files);
    signal.throwIfAborted();
    checkInputs(variables, settings.inputValues ?? {}, displayPath);
    const who = options.identity ? await options.identity() : undefined;
    signal.throwIfAborted();

    const body = manifest(shown, files, settings.stagingBucket);
    return {
      template: { path: shown, body, format: 'folder', sizeBytes: Buffer.byteLength(body, 'utf8') },
      // Sensitive inputs are marked secret, so nothing downstream shows, logs or persists them.
      parameters: toParameterValues(variables, settings.inputValues ?? {}),
      capabilities: [],
      warnings: warningsFor(variables, settings.inputValues ?? {}),
      ...(who ? { identity: `project ${settings.project} · as ${who.account}` } : {}),
    } satisfies InitializedDeployment;
  };
}

function checkSettings(settings: GcpProviderSettings): void {
  for (const { key, what, example } of REQUIRED) {
    const value = settings[key];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new TemplateError(`${GCP_SETTING_KEYS[key]} is not set: Stackwatch needs ${what} to deploy to Google Cloud.`, {
        setting: GCP_SETTING_KEYS[key],
        hint: `Set ${GCP_SETTING_KEYS[key]} (${example}) in the workspace settings (.vscode/settings.json).`,
      });
    }
  }
  if (!isServiceAccountLike(settings.serviceAccount)) {
    throw new TemplateError(`${GCP_SETTING_KEYS.serviceAccount} is "${settings.serviceAccount}", which is neither a service account email nor projects/PROJECT/serviceAccounts/EMAIL.`, {
      setting: GCP_SETTING_KEYS.serviceAccount,
      hint: 'Use the email of the service account, e.g. "deployer@my-project-123.iam.gserviceaccount.com".',
    });
  }
}

/** IM's deployment IDs: lower-case letters, digits and hyphens, starting with a letter, at most 63. */
function checkDeploymentId(id: string): void {
  if (/^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(id)) return;
  const what = id === '' ? 'is empty' : /[A-Z]/.test(id) ? 'has upper-case letters' : id.length > 63 ? `is ${id.length} characters long (at most 63)` : 'may only have lower-case letters, digits and hyphens, start with a letter and not end with a hyphen';
  throw new TemplateError(`The deployment ID "${id}" ${what}.`, {
    setting: GCP_SETTING_KEYS.deploymentId,
    hint: 'Infrastructure Manager deployment IDs look like "orders-prod".',
  });
}

async function blueprintFiles(folder: string, shown: string, workspaceFolder: string | undefined, displayPath: (absPath: string) => string): Promise<BlueprintFile[]> {
  const where = { setting: GCP_SETTING_KEYS.blueprintFolder };
  try {
    const info = await stat(folder);
    if (!info.isDirectory()) throw new TemplateError(`The blueprint ${shown} is a file; ${GCP_SETTING_KEYS.blueprintFolder} must name the folder of the Terraform root module.`, { ...where, hint: 'Point it at the folder that holds main.tf.' });
  } catch (error) {
    if (error instanceof TemplateError) throw error;
    throw new TemplateError(`The blueprint folder ${shown} does not exist.`, { ...where, hint: `Check ${GCP_SETTING_KEYS.blueprintFolder}; it is resolved against the workspace folder.`, cause: error });
  }
  let files: BlueprintFile[];
  try {
    files = await listBlueprintFiles(folder, { workspaceFolder });
  } catch (error) {
    if (!(error instanceof BlueprintFileError)) throw error;
    throw new TemplateError(problemReason(error.problem, displayPath), { ...where, file: error.file, displayFile: displayPath(error.file), hint: error.hint, cause: error });
  }
  if (files.length === 0) {
    throw new TemplateError(`The blueprint folder ${shown} is empty.`, { ...where, hint: 'Add the Terraform files of the root module (main.tf, variables.tf, …).' });
  }
  if (rootTerraformFiles(files).length === 0) {
    throw new TemplateError(`The blueprint folder ${shown} has no .tf files at its top level (found ${files.length} other file${files.length === 1 ? '' : 's'}).`, {
      ...where,
      hint: 'Infrastructure Manager applies the root module: the .tf files must be directly in this folder.',
    });
  }
  return files;
}

function checkInputs(variables: readonly BlueprintVariable[], values: Record<string, unknown>, displayPath: (absPath: string) => string): void {
  const problems = checkInputValues(variables, values);
  const [first, ...others] = problems;
  if (!first) return;
  const more = others.length > 0 ? ` (and ${others.length} more problem${others.length === 1 ? '' : 's'} with input values: ${others.map((p) => p.key).join(', ')})` : '';
  throw new TemplateError(`${GCP_SETTING_KEYS.inputValues}: ${first.message}${more}`, {
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
  return variables
    .filter((v) => v.sensitive && Object.hasOwn(values, v.name))
    .map((v) => `Variable "${v.name}" is sensitive but its value is stored in plain text in ${GCP_SETTING_KEYS.inputValues}; Infrastructure Manager also keeps input values in the deployment.`);
}

/** What "the template" is for a folder: the files that will be zipped, so a change shows up as a diff. */
function manifest(shown: string, files: readonly BlueprintFile[], bucket: string): string {
  const total = files.reduce((sum, file) => sum + file.size, 0);
  const lines = [
    `# Terraform blueprint ${shown}: ${files.length} file${files.length === 1 ? '' : 's'}, ${total.toLocaleString('en-US')} bytes.`,
    `# Zipped and uploaded to gs://${bucket}/ when staged; .terraform/, .git/ and *.tfstate* are left out.`,
    ...files.map((file) => `${file.path}\t${file.size}`),
  ];
  return `${lines.join('\n')}\n`;
}
