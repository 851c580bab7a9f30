/**
 * The one schema every `stackwatch.*` setting is read through: each setting's key, parser and
 * default in a single table, and the typed StackSettings built from it. Pure (no `vscode`), so
 * tests read settings exactly as the extension does; readSettings.ts supplies the values.
 *
 * Only the settings of the configured provider are read: a stray Google Cloud setting does not
 * block a CloudFormation deployment. Every value of those is checked, set or not.
 */
import * as path from 'node:path';
import { GCP_SETTING_KEYS } from '../providers/gcp/settings';
import { capabilities, checkRegion, parameters, region, stackName } from '../providers/aws/settingValues';
import { endpoint } from './endpoint';
import { artifactsGcsBucket, quotaValidation, workerPool } from '../providers/gcp/settingValues';
import { SettingsError } from './settingsError';
import { flag, name, object, oneOf, text, type SettingParser } from './settingTypes';
import { SETTING_KEYS, type AwsStackSettings, type GcpStackSettings, type StackSettings } from './stackSettings';

interface Setting<T> {
  key: string;
  parse: SettingParser<T>;
}

function setting<T>(key: string, parse: SettingParser<T>): Setting<T> {
  return { key, parse };
}

/** Every setting in package.json's `contributes.configuration`, and how its value is checked. */
export const SETTINGS = {
  provider: setting(SETTING_KEYS.provider, oneOf(['aws', 'gcp'], 'aws')),
  autoExecute: setting(SETTING_KEYS.autoExecute, flag(false)),
  autoExecuteDestructive: setting(SETTING_KEYS.autoExecuteDestructive, flag(false)),
  buildTask: setting(SETTING_KEYS.buildTask, text()),
  stackName: setting(SETTING_KEYS.stackName, text()),

  templatePath: setting(SETTING_KEYS.templatePath, text()),
  region: setting(SETTING_KEYS.region, region),
  profile: setting(SETTING_KEYS.profile, name()),
  endpoint: setting(SETTING_KEYS.endpoint, endpoint('http://127.0.0.1:4566')),
  templateBucket: setting(SETTING_KEYS.templateBucket, name()),
  parameters: setting(SETTING_KEYS.parameters, parameters),
  parametersFile: setting(SETTING_KEYS.parametersFile, text()),
  capabilities: setting(SETTING_KEYS.capabilities, capabilities),
  cfnLint: setting(SETTING_KEYS.cfnLint, oneOf(['auto', 'off'], 'auto')),

  gcpProject: setting(GCP_SETTING_KEYS.project, name()),
  gcpLocation: setting(GCP_SETTING_KEYS.location, name()),
  gcpDeploymentId: setting(GCP_SETTING_KEYS.deploymentId, name()),
  gcpServiceAccount: setting(GCP_SETTING_KEYS.serviceAccount, name()),
  gcpBlueprintFolder: setting(GCP_SETTING_KEYS.blueprintFolder, text()),
  gcpInputValues: setting(GCP_SETTING_KEYS.inputValues, object('{ "region": "us-central1" }', { holdsSecrets: true })),
  gcpTerraformVersion: setting(GCP_SETTING_KEYS.terraformVersion, name()),
  gcpStagingBucket: setting(GCP_SETTING_KEYS.stagingBucket, name()),
  gcpEndpoint: setting(GCP_SETTING_KEYS.endpoint, endpoint('http://127.0.0.1:4567/')),
  gcpQuotaValidation: setting(GCP_SETTING_KEYS.quotaValidation, quotaValidation),
  gcpImportExistingResources: setting(GCP_SETTING_KEYS.importExistingResources, flag(false)),
  gcpArtifactsGcsBucket: setting(GCP_SETTING_KEYS.artifactsGcsBucket, artifactsGcsBucket),
  gcpWorkerPool: setting(GCP_SETTING_KEYS.workerPool, workerPool),
} as const;

/** A setting's raw value as the editor holds it (`undefined` when unset). */
export type SettingReader = (key: string) => unknown;

export interface SettingsPlace {
  /** Relative paths in settings are taken from here. */
  folderPath: string;
  /** For AWS_REGION / AWS_DEFAULT_REGION when no region is set. */
  env: Readonly<Record<string, string | undefined>>;
}

/** The settings a deployment runs with, plus the workspace-only ones. */
export interface WorkspaceSettings {
  settings: StackSettings;
  /** Name of a VS Code task to run first; empty when none. */
  buildTask: string;
}

type Read = <T>(entry: Setting<T>) => T;

/** Reads and checks the settings; throws a SettingsError naming the first one that is wrong or missing. */
export function parseWorkspaceSettings(reader: SettingReader, place: SettingsPlace): WorkspaceSettings {
  const read: Read = (entry) => entry.parse(reader(entry.key), entry.key);
  const resolve = (p: string): string => (path.isAbsolute(p) ? p : path.join(place.folderPath, p));
  const common = {
    autoExecute: read(SETTINGS.autoExecute),
    autoExecuteDestructive: read(SETTINGS.autoExecuteDestructive),
  };
  const buildTask = read(SETTINGS.buildTask) ?? '';
  const settings = read(SETTINGS.provider) === 'gcp' ? readGcp(read, resolve, common) : readAws(read, resolve, place, common);
  return { settings, buildTask };
}

interface Common {
  autoExecute: boolean;
  autoExecuteDestructive: boolean;
}

function readAws(read: Read, resolve: (p: string) => string, place: SettingsPlace, common: Common): AwsStackSettings {
  // Every value is checked before the missing ones are reported, so one pass shows what is wrong.
  const templatePath = read(SETTINGS.templatePath) ?? 'template.yaml';
  const configuredRegion = read(SETTINGS.region);
  const profile = read(SETTINGS.profile);
  const endpointUrl = read(SETTINGS.endpoint);
  const templateBucket = read(SETTINGS.templateBucket);
  const parameterValues = read(SETTINGS.parameters);
  const parametersFile = read(SETTINGS.parametersFile);
  const extraCapabilities = read(SETTINGS.capabilities);
  const cfnLint = read(SETTINGS.cfnLint);
  const name = stackName(read(SETTINGS.stackName), SETTING_KEYS.stackName);
  if (!name) throw new SettingsError(`No stack name is set. Set ${SETTING_KEYS.stackName} in the workspace settings.`, SETTING_KEYS.stackName, 'missing');
  const regionName = configuredRegion ?? regionFromEnvironment(place.env);
  if (!regionName) throw new SettingsError(`No AWS region is set. Set ${SETTING_KEYS.region} (or AWS_REGION).`, SETTING_KEYS.region, 'missing');
  return {
    provider: 'aws',
    templatePath: resolve(templatePath),
    stackName: name,
    region: regionName,
    profile,
    endpoint: endpointUrl,
    parameters: parameterValues,
    parametersFile: parametersFile ? resolve(parametersFile) : undefined,
    capabilities: extraCapabilities,
    templateBucket,
    cfnLint,
    ...common,
  };
}

function regionFromEnvironment(env: SettingsPlace['env']): string | undefined {
  for (const variable of ['AWS_REGION', 'AWS_DEFAULT_REGION']) {
    const value = env[variable];
    if (value) return checkRegion(value, variable);
  }
  return undefined;
}

/**
 * Only the deployment ID is required here (it names the session); the blueprint initializer
 * checks the rest when a deployment starts, so each missing setting is reported with what to put in it.
 */
function readGcp(read: Read, resolve: (p: string) => string, common: Common): GcpStackSettings {
  const project = read(SETTINGS.gcpProject) ?? '';
  const location = read(SETTINGS.gcpLocation) ?? 'us-central1';
  const serviceAccount = read(SETTINGS.gcpServiceAccount) ?? '';
  const blueprintFolder = read(SETTINGS.gcpBlueprintFolder);
  const inputValues = read(SETTINGS.gcpInputValues);
  const terraformVersion = read(SETTINGS.gcpTerraformVersion);
  const stagingBucket = read(SETTINGS.gcpStagingBucket) ?? '';
  const endpointUrl = read(SETTINGS.gcpEndpoint);
  const applySettings = {
    quotaValidation: read(SETTINGS.gcpQuotaValidation),
    importExistingResources: read(SETTINGS.gcpImportExistingResources),
    artifactsGcsBucket: read(SETTINGS.gcpArtifactsGcsBucket),
    workerPool: read(SETTINGS.gcpWorkerPool),
  };
  const deploymentId = read(SETTINGS.gcpDeploymentId) ?? name()(read(SETTINGS.stackName), SETTING_KEYS.stackName);
  if (!deploymentId) {
    throw new SettingsError(`No Infrastructure Manager deployment ID is set. Set ${GCP_SETTING_KEYS.deploymentId} in the workspace settings.`, GCP_SETTING_KEYS.deploymentId, 'missing');
  }
  return {
    provider: 'gcp',
    deploymentId,
    project,
    location,
    serviceAccount,
    blueprintFolder: blueprintFolder ? resolve(blueprintFolder) : '',
    inputValues,
    terraformVersion,
    stagingBucket,
    endpoint: endpointUrl,
    ...applySettings,
    ...common,
  };
}
