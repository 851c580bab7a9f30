/**
 * Reads the `stackwatch.*` workspace settings into plain StackSettings. The only module of the
 * config folder that imports `vscode`; paths are resolved against the workspace folder.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { GCP_SETTING_KEYS } from '../providers/gcp/settings';
import { SETTING_KEYS, type AwsStackSettings, type GcpStackSettings, type StackSettings } from './stackSettings';

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

export function readStackSettings(folder: vscode.WorkspaceFolder): StackSettings {
  const config = vscode.workspace.getConfiguration('stackwatch', folder.uri);
  const get = <T>(key: string): T | undefined => config.get<T>(relative(key));
  const resolve = (p: string) => (path.isAbsolute(p) ? p : path.join(folder.uri.fsPath, p));
  return get<string>(SETTING_KEYS.provider) === 'gcp' ? readGcpSettings(get, resolve) : readAwsSettings(get, resolve);
}

type Getter = <T>(key: string) => T | undefined;

/**
 * Only the deployment ID is needed here (it names the session); the blueprint initializer checks
 * the rest when a deployment starts, so each missing setting is reported with what to put in it.
 */
function readGcpSettings(get: Getter, resolve: (p: string) => string): GcpStackSettings {
  const deploymentId = get<string>(GCP_SETTING_KEYS.deploymentId) || get<string>(SETTING_KEYS.stackName);
  if (!deploymentId) {
    throw new SettingsError(`No Infrastructure Manager deployment ID is set. Set ${GCP_SETTING_KEYS.deploymentId} in the workspace settings.`, GCP_SETTING_KEYS.deploymentId);
  }
  const blueprintFolder = get<string>(GCP_SETTING_KEYS.blueprintFolder);
  return {
    provider: 'gcp',
    deploymentId,
    project: get<string>(GCP_SETTING_KEYS.project) ?? '',
    location: get<string>(GCP_SETTING_KEYS.location) || 'us-central1',
    serviceAccount: get<string>(GCP_SETTING_KEYS.serviceAccount) ?? '',
    blueprintFolder: blueprintFolder ? resolve(blueprintFolder) : '',
    inputValues: get<Record<string, unknown>>(GCP_SETTING_KEYS.inputValues) ?? {},
    terraformVersion: get<string>(GCP_SETTING_KEYS.terraformVersion) || undefined,
    stagingBucket: get<string>(GCP_SETTING_KEYS.stagingBucket) ?? '',
    endpoint: get<string>(GCP_SETTING_KEYS.endpoint) || undefined,
    autoExecute: get<boolean>(SETTING_KEYS.autoExecute) ?? false,
  };
}

function readAwsSettings(get: Getter, resolve: (p: string) => string): AwsStackSettings {
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
