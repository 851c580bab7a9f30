/**
 * The CloudFormation settings: what a deployment needs beyond the common ones, the keys they
 * come from (so every message can name the one to fix), and how they are read and checked.
 * Pure (no `vscode`): tests read settings exactly as the extension does.
 */
import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import { SETTING_KEYS } from '../../commands/ids';
import { COMMON_SETTINGS } from '../../config/commonSettings';
import { endpoint } from '../../config/endpoint';
import { SettingsError } from '../../config/settingsError';
import { name, oneOf, setting, text, type ReadSetting, type SettingsPlace } from '../../config/settingTypes';
import type { StackSettings } from '../../config/stackSettings';
import { capabilities, checkRegion, parameters, region, stackName } from './settingValues';

export interface AwsStackSettings extends StackSettings {
  provider: 'aws';
  /** Absolute path of the template file. */
  templatePath: string;
  stackName: string;
  region: string;
  profile?: string;
  /** A LocalStack-style endpoint, e.g. http://127.0.0.1:4566. */
  endpoint?: string;
  /** Parameter values; these win over the parameters file. */
  parameters: Record<string, string>;
  /** Absolute path of a parameters file (AWS CLI, CodePipeline or plain key/value JSON or YAML). */
  parametersFile?: string;
  /** Extra capabilities on top of those inferred from the template. */
  capabilities: string[];
  /** S3 bucket for templates over CloudFormation's 51,200-byte inline limit. */
  templateBucket?: string;
  /** `auto` runs cfn-lint when it is installed; `off` never does. */
  cfnLint: 'auto' | 'off';
}

export function isAwsSettings(settings: StackSettings): settings is AwsStackSettings {
  return settings.provider === 'aws';
}

/** The settings each CloudFormation field comes from, for messages that say what to change. */
export const AWS_SETTING_KEYS = {
  templatePath: 'stackwatch.templatePath',
  stackName: SETTING_KEYS.stackName,
  region: 'stackwatch.aws.region',
  profile: 'stackwatch.aws.profile',
  endpoint: 'stackwatch.aws.endpoint',
  parameters: 'stackwatch.parameters',
  parametersFile: 'stackwatch.parametersFile',
  capabilities: 'stackwatch.capabilities',
  templateBucket: 'stackwatch.aws.templateBucket',
  cfnLint: 'stackwatch.cfnLint',
} as const;

/** Every CloudFormation setting in package.json's `contributes.configuration`, and how its value is checked. */
export const AWS_SETTINGS = {
  templatePath: setting(AWS_SETTING_KEYS.templatePath, text()),
  region: setting(AWS_SETTING_KEYS.region, region),
  profile: setting(AWS_SETTING_KEYS.profile, name()),
  endpoint: setting(AWS_SETTING_KEYS.endpoint, endpoint('http://127.0.0.1:4566')),
  templateBucket: setting(AWS_SETTING_KEYS.templateBucket, name()),
  parameters: setting(AWS_SETTING_KEYS.parameters, parameters),
  parametersFile: setting(AWS_SETTING_KEYS.parametersFile, text()),
  capabilities: setting(AWS_SETTING_KEYS.capabilities, capabilities),
  cfnLint: setting(AWS_SETTING_KEYS.cfnLint, oneOf(['auto', 'off'], 'auto')),
} as const;

/** Reads and checks the CloudFormation settings; throws a SettingsError naming the first one wrong or missing. */
export function readAwsSettings(read: ReadSetting, place: SettingsPlace, common: Omit<StackSettings, 'provider'>): AwsStackSettings {
  const resolve = (p: string): string => (path.isAbsolute(p) ? p : path.join(place.folderPath, p));
  // Every value is checked before the missing ones are reported, so one pass shows what is wrong.
  const templatePath = read(AWS_SETTINGS.templatePath) ?? 'template.yaml';
  const configuredRegion = read(AWS_SETTINGS.region);
  const profile = read(AWS_SETTINGS.profile);
  const endpointUrl = read(AWS_SETTINGS.endpoint);
  const templateBucket = read(AWS_SETTINGS.templateBucket);
  const parameterValues = read(AWS_SETTINGS.parameters);
  const parametersFile = read(AWS_SETTINGS.parametersFile);
  const extraCapabilities = read(AWS_SETTINGS.capabilities);
  const cfnLint = read(AWS_SETTINGS.cfnLint);
  const name = stackName(read(COMMON_SETTINGS.stackName), AWS_SETTING_KEYS.stackName);
  if (!name)
    throw new SettingsError(
      l10n.t('No stack name is set. Set {0} in the workspace settings.', AWS_SETTING_KEYS.stackName),
      AWS_SETTING_KEYS.stackName,
      'missing',
    );
  const regionName = configuredRegion ?? regionFromEnvironment(place.env);
  if (!regionName)
    throw new SettingsError(l10n.t('No AWS region is set. Set {0} (or AWS_REGION).', AWS_SETTING_KEYS.region), AWS_SETTING_KEYS.region, 'missing');
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
