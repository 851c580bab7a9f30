/**
 * What "save the staged template" means for Infrastructure Manager: there is no template text,
 * so we save the preview itself and its resource changes as a readable plan document.
 */
import type { config_v1 } from 'googleapis/build/src/apis/config';
import type { BlueprintVariable } from './blueprint';

export const MASK = '(sensitive)';

/** `variables` undefined means the blueprint could not be read: every value may be a secret, so all are masked. */
function maskedInputs(inputs: config_v1.Schema$TerraformBlueprint['inputValues'], variables: readonly BlueprintVariable[] | undefined): Record<string, unknown> | undefined {
  if (!inputs) return undefined;
  const sensitive = variables ? new Set(variables.filter((v) => v.sensitive).map((v) => v.name)) : undefined;
  return Object.fromEntries(Object.entries(inputs).map(([key, value]) => [key, !sensitive || sensitive.has(key) ? MASK : value.inputValue]));
}

function propertyChange(change: config_v1.Schema$PropertyChange): Record<string, unknown> {
  const sensitive = (change.beforeSensitivePaths?.length ?? 0) > 0 || (change.afterSensitivePaths?.length ?? 0) > 0;
  if (sensitive) return { path: change.path, before: MASK, after: MASK };
  return { path: change.path, before: change.before as unknown, after: change.after as unknown };
}

/** `variables` is undefined when the blueprint's declarations are unknown; then every input value is masked. */
export function planDocument(preview: config_v1.Schema$Preview, changes: readonly config_v1.Schema$ResourceChange[], variables: readonly BlueprintVariable[] | undefined): string {
  const document = {
    kind: 'stackwatch#infrastructureManagerPlan',
    preview: {
      name: preview.name,
      state: preview.state,
      deployment: preview.deployment,
      createTime: preview.createTime,
      serviceAccount: preview.serviceAccount,
      tfVersion: preview.tfVersion,
      tfVersionConstraint: preview.tfVersionConstraint,
      gcsSource: preview.terraformBlueprint?.gcsSource,
      inputValues: maskedInputs(preview.terraformBlueprint?.inputValues, variables),
      logs: preview.logs,
      errorCode: preview.errorCode,
      tfErrors: preview.tfErrors,
    },
    resourceChanges: changes.map((change) => ({
      address: change.terraformInfo?.address,
      type: change.terraformInfo?.type,
      intent: change.intent,
      actions: change.terraformInfo?.actions,
      propertyChanges: (change.propertyChanges ?? []).map(propertyChange),
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
