/**
 * Parsers for the Google Cloud apply settings whose values have a format (an enum, a gs://
 * location, a worker pool name). The checks themselves live with the adapter (applySettings.ts),
 * so a value refused here is the value the adapter refuses, in the same words.
 */
import * as l10n from '@vscode/l10n';
import { artifactsBucketProblem, quotaValidationProblem, workerPoolProblem, type QuotaValidation } from './applySettings';
import { SettingsError } from '../../config/settingsError';
import { name, type SettingParser } from '../../config/settingTypes';

/** Empty (unset: the deployment's own setting stays), "ENABLED" or "ENFORCED". */
export const quotaValidation: SettingParser<QuotaValidation | undefined> = (raw, key) => {
  const value = name()(raw, key);
  if (value === undefined) return undefined;
  const problem = quotaValidationProblem(value);
  if (problem) throw new SettingsError(problem, key, 'invalid');
  return value as QuotaValidation;
};

export const artifactsGcsBucket: SettingParser<string | undefined> = (raw, key) => {
  const value = name()(raw, key);
  if (value === undefined) return undefined;
  const problem = artifactsBucketProblem(value);
  if (problem)
    throw new SettingsError(problem, key, 'invalid', l10n.t("Write it as gs://BUCKET or gs://BUCKET/FOLDER; the bucket must be in the deployment's project."));
  return value;
};

export const workerPool: SettingParser<string | undefined> = (raw, key) => {
  const value = name()(raw, key);
  if (value === undefined) return undefined;
  const problem = workerPoolProblem(value);
  if (problem)
    throw new SettingsError(problem, key, 'invalid', l10n.t("Copy the pool's full name from the Cloud Build console or `gcloud builds worker-pools list`."));
  return value;
};
