/**
 * Configure for CloudFormation: template, stack name, region, profile and the parameters the
 * template requires. Saves to the workspace settings; returns false if the person cancelled at
 * any step, leaving the settings as they were.
 */
import * as l10n from '@vscode/l10n';
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
        l10n.t(
          'Stackwatch: {0} is not a CloudFormation or SAM template (it has no AWSTemplateFormatVersion or Resources section). Nothing was changed.',
          path.basename(preselected.fsPath),
        ),
      );
      return undefined;
    }
    return path.relative(folder.uri.fsPath, preselected.fsPath).split(path.sep).join('/');
  }
  const templates = await findTemplates(folder);
  if (templates.length === 0) {
    void vscode.window.showErrorMessage(
      l10n.t('Stackwatch: no CloudFormation or SAM template (a file with AWSTemplateFormatVersion or Resources) was found in {0}.', folder.name),
    );
    return undefined;
  }
  const items = templates.map((uri) => {
    const rel = path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
    return { label: rel, description: rel === current ? currentLabel() : undefined };
  });
  items.sort((a, b) => Number(b.label === current) - Number(a.label === current));
  const picked = await vscode.window.showQuickPick(items, {
    title: l10n.t('Stackwatch: Template (1/4)'),
    placeHolder: l10n.t('The CloudFormation or SAM template to deploy'),
    ignoreFocusOut: true,
  });
  return picked?.label;
}

async function pickRegion(current: string | undefined): Promise<string | undefined> {
  const preferred = [current, process.env.AWS_REGION, process.env.AWS_DEFAULT_REGION].filter((r): r is string => Boolean(r));
  const regions = [...new Set([...preferred, ...COMMON_REGIONS])];
  const quickPick = vscode.window.createQuickPick();
  quickPick.title = l10n.t('Stackwatch: Region (3/4)');
  quickPick.placeholder = l10n.t('Pick a region or type another one');
  quickPick.ignoreFocusOut = true;
  quickPick.items = regions.map((r) => ({ label: r, description: r === current ? currentLabel() : r === process.env.AWS_REGION ? 'AWS_REGION' : undefined }));
  // A typed region that is not in the list is taken as typed, once it has a region's shape.
  return acceptValidated(
    quickPick,
    () => quickPick.selectedItems[0]?.label ?? quickPick.value.trim(),
    (value) => {
      const found = regionProblem(value, quote(value));
      if (!found) return undefined;
      return found.fix
        ? l10n.t('Stackwatch: Region (3/4): {0}; did you mean {1}?', found.problem, found.fix)
        : l10n.t('Stackwatch: Region (3/4): {0}', found.problem);
    },
  );
}

/** The quick pick's mark on the value in use now. */
function currentLabel(): string {
  return l10n.t({ message: 'current', comment: ['Beside a quick pick item: the value set now.'] });
}

async function pickProfile(current: string | undefined): Promise<string | null | undefined> {
  const profiles = await readProfileNames();
  if (profiles.length === 0) return null;
  // The default chain is told apart by the item, not by its (translated) label.
  const defaultChain = { label: l10n.t('(default credential chain)'), profile: null, description: current ? undefined : currentLabel() };
  const named = profiles.map((p) => ({ label: p, profile: p, description: p === current ? currentLabel() : undefined }));
  const picked = await vscode.window.showQuickPick([defaultChain, ...named], {
    title: l10n.t('Stackwatch: AWS profile (4/4)'),
    placeHolder: l10n.t('Profiles from ~/.aws/config and ~/.aws/credentials'),
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  return picked.profile;
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
      title: l10n.t('Stackwatch: Parameter {0}', name),
      prompt: parameter.Description ?? l10n.t('{0} ({1}) has no default value.', name, parameter.Type),
      password: parameter.NoEcho === true,
      ignoreFocusOut: true,
      validateInput: (v) =>
        parameter.AllowedValues && !parameter.AllowedValues.includes(v) ? l10n.t('One of: {0}', parameter.AllowedValues.join(', ')) : undefined,
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
  const what = template ? path.basename(template.fsPath) : l10n.t('a CloudFormation template');
  const switchTo = l10n.t('Switch to CloudFormation');
  const choice = await vscode.window.showWarningMessage(
    l10n.t('Stackwatch: this workspace deploys to Google Cloud (stackwatch.provider is "gcp"). Configure it for CloudFormation with {0} instead?', what),
    { modal: true, detail: l10n.t('Your stackwatch.gcp.* settings stay; set stackwatch.provider back to "gcp" to deploy to Google Cloud again.') },
    switchTo,
  );
  return choice === switchTo;
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
    void vscode.window.showErrorMessage(l10n.t('Stackwatch: {0}', sentences(message, l10n.t('Nothing was changed.'))));
    return false;
  }
  const templatePath = await pickTemplate(folder, currentValue(config, AWS_SETTINGS.templatePath), options.input);
  if (!templatePath) return false;

  const stackName = await vscode.window.showInputBox({
    title: l10n.t('Stackwatch: Stack name (2/4)'),
    value: currentValue(config, COMMON_SETTINGS.stackName) || defaultStackName(folder.name),
    prompt: l10n.t('Letters, digits and hyphens, starting with a letter'),
    ignoreFocusOut: true,
    validateInput: (v) => {
      const problem = stackNameProblem(v);
      return problem ? l10n.t('The stack name {0}.', problem) : undefined;
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
  void vscode.window.showInformationMessage(l10n.t('Stackwatch: {0} ({1}) saved to the workspace settings.', stackName, region));
  return true;
}
