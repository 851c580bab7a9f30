/**
 * How the Infrastructure Manager settings are read and checked: each setting's key and parser,
 * and the GcpStackSettings built from them. Pure (no `vscode`).
 */
import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import { SETTING_KEYS } from '../../commands/ids';
import { COMMON_SETTINGS } from '../../config/commonSettings';
import { endpoint } from '../../config/endpoint';
import { SettingsError } from '../../config/settingsError';
import { flag, name, object, setting, text, type ReadSetting, type SettingsPlace } from '../../config/settingTypes';
import type { StackSettings } from '../../config/stackSettings';
import { GCP_SETTING_KEYS, type GcpStackSettings } from './settings';
import { artifactsGcsBucket, quotaValidation, workerPool } from './settingValues';

/** Every Infrastructure Manager setting in package.json's `contributes.configuration`, and how its value is checked. */
export const GCP_SETTINGS = {
  gcpProject: setting(GCP_SETTING_KEYS.project, name()),
  gcpLocation: setting(GCP_SETTING_KEYS.location, name()),
  gcpDeploymentId: setting(GCP_SETTING_KEYS.deploymentName, name()),
  gcpServiceAccount: setting(GCP_SETTING_KEYS.serviceAccount, name()),
  gcpBlueprintFolder: setting(GCP_SETTING_KEYS.blueprintFolder, text()),
  // l10n-exempt: an example JSON value
  gcpInputValues: setting(GCP_SETTING_KEYS.inputValues, object('{ "region": "us-central1" }', { holdsSecrets: true })),
  gcpTerraformVersion: setting(GCP_SETTING_KEYS.terraformVersion, name()),
  gcpStagingBucket: setting(GCP_SETTING_KEYS.stagingBucket, name()),
  gcpEndpoint: setting(GCP_SETTING_KEYS.endpoint, endpoint('http://127.0.0.1:4567/')),
  gcpQuotaValidation: setting(GCP_SETTING_KEYS.quotaValidation, quotaValidation),
  gcpImportExistingResources: setting(GCP_SETTING_KEYS.importExistingResources, flag(false)),
  gcpArtifactsGcsBucket: setting(GCP_SETTING_KEYS.artifactsGcsBucket, artifactsGcsBucket),
  gcpWorkerPool: setting(GCP_SETTING_KEYS.workerPool, workerPool),
} as const;

/**
 * Only the deployment ID is required here (it names the session); the blueprint initializer
 * checks the rest when a deployment starts, so each missing setting is reported with what to put in it.
 */
export function readGcpSettings(read: ReadSetting, place: SettingsPlace, common: Omit<StackSettings, 'provider'>): GcpStackSettings {
  const resolve = (p: string): string => (path.isAbsolute(p) ? p : path.join(place.folderPath, p));
  const project = read(GCP_SETTINGS.gcpProject) ?? '';
  const location = read(GCP_SETTINGS.gcpLocation) ?? 'us-central1';
  const serviceAccount = read(GCP_SETTINGS.gcpServiceAccount) ?? '';
  const blueprintFolder = read(GCP_SETTINGS.gcpBlueprintFolder);
  const inputValues = read(GCP_SETTINGS.gcpInputValues);
  const terraformVersion = read(GCP_SETTINGS.gcpTerraformVersion);
  const stagingBucket = read(GCP_SETTINGS.gcpStagingBucket) ?? '';
  const endpointUrl = read(GCP_SETTINGS.gcpEndpoint);
  const applySettings = {
    quotaValidation: read(GCP_SETTINGS.gcpQuotaValidation),
    importExistingResources: read(GCP_SETTINGS.gcpImportExistingResources),
    artifactsGcsBucket: read(GCP_SETTINGS.gcpArtifactsGcsBucket),
    workerPool: read(GCP_SETTINGS.gcpWorkerPool),
  };
  const deploymentName = read(GCP_SETTINGS.gcpDeploymentId) ?? name()(read(COMMON_SETTINGS.stackName), SETTING_KEYS.stackName);
  if (!deploymentName) {
    throw new SettingsError(
      l10n.t('No Infrastructure Manager deployment ID is set. Set {0} in the workspace settings.', GCP_SETTING_KEYS.deploymentName),
      GCP_SETTING_KEYS.deploymentName,
      'missing',
    );
  }
  return {
    provider: 'gcp',
    deploymentName,
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
