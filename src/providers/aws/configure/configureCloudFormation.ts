/**
 * Configure for CloudFormation: template, stack name, region, profile and the parameters the
 * template requires. Saves to the workspace settings; returns false if the person cancelled at
 * any step, leaving the settings as they were.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SETTING_KEYS } from '../../../commands/ids';
import { acceptValidated } from '../../../commands/acceptValidated';
import { quote } from '../../../config/describeValue';
import { isSettingsError } from '../../../config/settingsError';
import { COMMON_SETTINGS } from '../../../config/commonSettings';
import { sentences } from '../../../shared/sentences';
import type { ConfigureOptions } from '../../descriptor';
import { AWS_SETTING_KEYS, AWS_SETTINGS } from '../settings';
import { regionProblem } from '../settingValues';
import { loadTemplate } from '../template/loadTemplate';
import { stackNameProblem } from '../template/stackName';
import { readProfileNames } from './awsProfiles';
import { COMMON_REGIONS, defaultStackName, looksLikeTemplate, parametersToAsk } from './stackDefaults';
import { findTemplates } from './templateFiles';

function key(setting: string): string {
  return setting.replace(/^stackwatch\./, '');
}

/** The workspace folder's CloudFormation and SAM templates, shallowest first. */
async function pickTemplate(folder: vscode.WorkspaceFolder, current: string | undefined, preselected?: vscode.Uri): Promise<string | undefined> {
  if (preselected) {
    const text = new TextDecoder().decode((await vscode.workspace.fs.readFile(preselected)).slice(0, 64_000));
    // The Explorer offers Deploy on every YAML/JSON file; only a template may become the template setting.
    if (!looksLikeTemplate(text)) {
      void vscode.window.showErrorMessage(
        `Stackwatch: ${path.basename(preselected.fsPath)} is not a CloudFormation or SAM template (it has no AWSTemplateFormatVersion or Resources section). Nothing was changed.`,
      );
      return undefined;
    }
    return path.relative(folder.uri.fsPath, preselected.fsPath).split(path.sep).join('/');
  }
  const templates = await findTemplates(folder);
  if (templates.length === 0) {
    void vscode.window.showErrorMessage(
      `Stackwatch: no CloudFormation or SAM template (a file with AWSTemplateFormatVersion or Resources) was found in ${folder.name}.`,
    );
    return undefined;
  }
  const items = templates.map((uri) => {
    const rel = path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
    return { label: rel, description: rel === current ? 'current' : undefined };
  });
  items.sort((a, b) => Number(b.label === current) - Number(a.label === current));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Stackwatch: Template (1/4)',
    placeHolder: 'The CloudFormation or SAM template to deploy',
    ignoreFocusOut: true,
  });
  return picked?.label;
}

async function pickRegion(current: string | undefined): Promise<string | undefined> {
  const preferred = [current, process.env.AWS_REGION, process.env.AWS_DEFAULT_REGION].filter((r): r is string => Boolean(r));
  const regions = [...new Set([...preferred, ...COMMON_REGIONS])];
  const quickPick = vscode.window.createQuickPick();
  quickPick.title = 'Stackwatch: Region (3/4)';
  quickPick.placeholder = 'Pick a region or type another one';
  quickPick.ignoreFocusOut = true;
  quickPick.items = regions.map((r) => ({ label: r, description: r === current ? 'current' : r === process.env.AWS_REGION ? 'AWS_REGION' : undefined }));
  // A typed region that is not in the list is taken as typed, once it has a region's shape.
  return acceptValidated(
    quickPick,
    () => quickPick.selectedItems[0]?.label ?? quickPick.value.trim(),
    (value) => {
      const found = regionProblem(value);
      return found ? `Stackwatch: Region (3/4): ${quote(value)} ${found.problem}${found.fix ? `; did you mean ${found.fix}?` : ''}` : undefined;
    },
  );
}

const DEFAULT_CHAIN = '(default credential chain)';

async function pickProfile(current: string | undefined): Promise<string | null | undefined> {
  const profiles = await readProfileNames();
  if (profiles.length === 0) return null;
  const items = [DEFAULT_CHAIN, ...profiles].map((p) => ({ label: p, description: p === (current || DEFAULT_CHAIN) ? 'current' : undefined }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Stackwatch: AWS profile (4/4)',
    placeHolder: 'Profiles from ~/.aws/config and ~/.aws/credentials',
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  return picked.label === DEFAULT_CHAIN ? null : picked.label;
}

async function askParameters(templatePath: string, provided: Record<string, string>): Promise<Record<string, string> | undefined> {
  let declared;
  try {
    declared = (await loadTemplate(templatePath)).document.Parameters;
  } catch {
    // A broken template is reported by the deployment itself, with file and line.
    return {};
  }
  const values: Record<string, string> = {};
  for (const name of parametersToAsk(declared, provided)) {
    const parameter = declared[name];
    const value = await vscode.window.showInputBox({
      title: `Stackwatch: Parameter ${name}`,
      prompt: parameter.Description ?? `${name} (${parameter.Type}) has no default value.`,
      password: parameter.NoEcho === true,
      ignoreFocusOut: true,
      validateInput: (v) => (parameter.AllowedValues && !parameter.AllowedValues.includes(v) ? `One of: ${parameter.AllowedValues.join(', ')}` : undefined),
    });
    if (value === undefined) return undefined;
    values[name] = value;
  }
  return values;
}

type Setting<T> = { key: string; parse: (raw: unknown, key: string) => T };

/** A current value offered as the default in a picker; one that fails the schema is not offered. */
function currentValue<T>(config: vscode.WorkspaceConfiguration, setting: Setting<T>): T | undefined {
  try {
    return setting.parse(config.get<unknown>(key(setting.key)), setting.key);
  } catch {
    return undefined;
  }
}

/**
 * A Google Cloud workspace becomes a CloudFormation one only when the person says so: the flow
 * ends by setting stackwatch.provider to aws, and their Google Cloud deployment would stop
 * being the one Deploy deploys.
 */
async function consentToLeaveGcp(template: vscode.Uri | undefined): Promise<boolean> {
  const what = template ? path.basename(template.fsPath) : 'a CloudFormation template';
  const choice = await vscode.window.showWarningMessage(
    `Stackwatch: this workspace deploys to Google Cloud (stackwatch.provider is "gcp"). Configure it for CloudFormation with ${what} instead?`,
    { modal: true, detail: 'Your stackwatch.gcp.* settings stay; set stackwatch.provider back to "gcp" to deploy to Google Cloud again.' },
    'Switch to CloudFormation',
  );
  return choice === 'Switch to CloudFormation';
}

export async function configureCloudFormation(folder: vscode.WorkspaceFolder, options: ConfigureOptions): Promise<boolean> {
  const config = vscode.workspace.getConfiguration('stackwatch', folder.uri);
  if (options.configured === 'gcp' && !(await consentToLeaveGcp(options.input))) return false;
  // The parameters asked for are merged into the existing ones: those must be a usable object
  // first, or the merge would write a mangled value back (a string spread into its characters).
  let provided: Record<string, string>;
  try {
    provided = AWS_SETTINGS.parameters.parse(config.get<unknown>(key(AWS_SETTING_KEYS.parameters)), AWS_SETTING_KEYS.parameters);
  } catch (error) {
    const message = isSettingsError(error) ? sentences(error.message, error.hint) : String(error);
    void vscode.window.showErrorMessage(`Stackwatch: ${sentences(message, 'Nothing was changed.')}`);
    return false;
  }
  const templatePath = await pickTemplate(folder, currentValue(config, AWS_SETTINGS.templatePath), options.input);
  if (!templatePath) return false;

  const stackName = await vscode.window.showInputBox({
    title: 'Stackwatch: Stack name (2/4)',
    value: currentValue(config, COMMON_SETTINGS.stackName) || defaultStackName(folder.name),
    prompt: 'Letters, digits and hyphens, starting with a letter',
    ignoreFocusOut: true,
    validateInput: (v) => {
      const problem = stackNameProblem(v);
      return problem ? `The stack name ${problem}.` : undefined;
    },
  });
  if (!stackName) return false;

  const region = await pickRegion(currentValue(config, AWS_SETTINGS.region));
  if (!region) return false;

  const profile = await pickProfile(currentValue(config, AWS_SETTINGS.profile));
  if (profile === undefined) return false;

  const absTemplate = path.join(folder.uri.fsPath, templatePath);
  const asked = await askParameters(absTemplate, provided);
  if (!asked) return false;

  const target =
    vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders.length > 1
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : vscode.ConfigurationTarget.Workspace;
  // Only written when it was set to something else: the default is CloudFormation already.
  if (config.get<unknown>(key(SETTING_KEYS.provider), 'aws') !== 'aws') await config.update(key(SETTING_KEYS.provider), 'aws', target);
  await config.update(key(AWS_SETTING_KEYS.templatePath), templatePath, target);
  await config.update(key(AWS_SETTING_KEYS.stackName), stackName, target);
  await config.update(key(AWS_SETTING_KEYS.region), region, target);
  if (profile !== null) await config.update(key(AWS_SETTING_KEYS.profile), profile, target);
  if (Object.keys(asked).length > 0) await config.update(key(AWS_SETTING_KEYS.parameters), { ...provided, ...asked }, target);
  void vscode.window.showInformationMessage(`Stackwatch: ${stackName} (${region}) saved to the workspace settings.`);
  return true;
}
