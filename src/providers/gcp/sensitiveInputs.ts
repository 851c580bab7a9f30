/**
 * The warning for a secret handed to Infrastructure Manager as a literal. Input values go into the
 * Deployment, every Revision and every Preview as plain `inputValues`, readable by anyone who can
 * read the deployment, and the docs say not to put sensitive information in Terraform
 * configuration values (https://cloud.google.com/infrastructure-manager/docs/terraform, "Terraform
 * configuration values and sensitive data"). Terraform's `sensitive = true` only hides a value in
 * plan output; it does not keep it out of those records. The way out is Secret Manager, read by
 * the blueprint itself at apply time. The value is never quoted.
 */
import * as l10n from '@vscode/l10n';
import { basename } from 'node:path';
import type { BlueprintVariable } from './blueprint';
import { GCP_SETTING_KEYS } from './settings';

export function sensitiveInputWarnings(
  variables: readonly BlueprintVariable[],
  values: Readonly<Record<string, unknown>>,
  displayPath: (absPath: string) => string = basename,
): string[] {
  const warnings: string[] = [];
  for (const variable of variables) {
    if (!variable.sensitive) continue;
    if (Object.hasOwn(values, variable.name)) {
      warnings.push(
        l10n.t(
          'Variable "{0}" is sensitive but is given a literal value in {1}: Infrastructure Manager stores input values in plain text on the deployment, each revision and each preview. {2}',
          variable.name,
          GCP_SETTING_KEYS.inputValues,
          secretManagerAdvice(variable.name),
        ),
      );
    } else if (variable.hasDefault && literalSecret(variable.defaultText)) {
      warnings.push(
        l10n.t(
          'Variable "{0}" is sensitive but has a literal default in {1}:{2}: the blueprint is uploaded to Cloud Storage and kept for the deployment, in plain text. {3}',
          variable.name,
          displayPath(variable.file),
          variable.line,
          secretManagerAdvice(variable.name),
        ),
      );
    }
  }
  return warnings;
}

function secretManagerAdvice(name: string): string {
  const declaration = `data "google_secret_manager_secret_version" "${name}" { secret = "SECRET_ID" }`; // l10n-exempt: Terraform code to copy
  const reference = `data.google_secret_manager_secret_version.${name}.secret_data`;
  return l10n.t(
    'Keep the secret in Secret Manager and read it in the blueprint instead: {0}, then {1} (the service account needs roles/secretmanager.secretAccessor).',
    declaration,
    reference,
  );
}

/** A default that holds a value: not `null`, not empty, not an expression. */
function literalSecret(text: string | undefined): boolean {
  const trimmed = (text ?? '').trim();
  return trimmed !== '' && trimmed !== 'null' && trimmed !== '""';
}
