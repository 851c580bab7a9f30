/**
 * Reads the `stackwatch.*` workspace settings into plain StackSettings. The only module of the
 * config folder that imports `vscode`; paths are resolved against the workspace folder.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SETTING_KEYS, type AwsStackSettings } from './stackSettings';

export class SettingsError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    message: string,
    readonly setting: string,
  ) {
    super(message);
  }
}

function relative(key: string): string {
  return key.replace(/^stackwatch\./, '');
}

export function readStackSettings(folder: vscode.WorkspaceFolder): AwsStackSettings {
  const config = vscode.workspace.getConfiguration('stackwatch', folder.uri);
  const get = <T>(key: string): T | undefined => config.get<T>(relative(key));
  const resolve = (p: string) => (path.isAbsolute(p) ? p : path.join(folder.uri.fsPath, p));

  const templatePath = get<string>(SETTING_KEYS.templatePath) || 'template.yaml';
  const stackName = get<string>(SETTING_KEYS.stackName);
  if (!stackName) throw new SettingsError(`No stack name is set. Set ${SETTING_KEYS.stackName} in the workspace settings.`, SETTING_KEYS.stackName);
  const region = get<string>(SETTING_KEYS.region) || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
  if (!region) throw new SettingsError(`No AWS region is set. Set ${SETTING_KEYS.region} (or AWS_REGION).`, SETTING_KEYS.region);
  const parametersFile = get<string>(SETTING_KEYS.parametersFile);

  return {
    provider: 'aws',
    templatePath: resolve(templatePath),
    stackName,
    region,
    profile: get<string>(SETTING_KEYS.profile) || undefined,
    endpoint: get<string>(SETTING_KEYS.endpoint) || undefined,
    parameters: get<Record<string, string>>(SETTING_KEYS.parameters) ?? {},
    parametersFile: parametersFile ? resolve(parametersFile) : undefined,
    capabilities: get<string[]>(SETTING_KEYS.capabilities) ?? [],
    autoExecute: get<boolean>(SETTING_KEYS.autoExecute) ?? false,
    templateBucket: get<string>(SETTING_KEYS.templateBucket) || undefined,
    cfnLint: get<'auto' | 'off'>(SETTING_KEYS.cfnLint) ?? 'auto',
  };
}
