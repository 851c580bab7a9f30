/**
 * Request bodies to specs: what the caller controls on a Deployment or Preview, validated the
 * way the API validates them before starting any work.
 */
import type { TerraformBlueprintInput } from './blueprint';
import { checkApplyFields } from './applySettings';
import { GcpError, invalid } from './errors';
import type { DeploymentSpec } from './model';

export type Body = Record<string, unknown>;

const FIELDS = [
  'terraformBlueprint',
  'serviceAccount',
  'tfVersionConstraint',
  'labels',
  'annotations',
  'artifactsGcsBucket',
  'workerPool',
  'importExistingResources',
  'quotaValidation',
] as const;

export function specFrom(body: Body): DeploymentSpec {
  const spec: DeploymentSpec = {};
  const target = spec as Record<string, unknown>;
  for (const field of FIELDS) if (body[field] !== undefined && body[field] !== null) target[field] = body[field];
  return spec;
}

/** PATCH: with an updateMask only the named fields change; without one the body replaces them all. */
export function mergeSpec(current: DeploymentSpec, body: Body, updateMask: string | undefined): DeploymentSpec {
  if (!updateMask) return specFrom(body);
  const next: Record<string, unknown> = { ...current };
  const incoming = specFrom(body) as Record<string, unknown>;
  for (const path of updateMask
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const field = path.split('.')[0] ?? path;
    const camel = field.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    if (!(FIELDS as readonly string[]).includes(camel)) throw invalid(`Invalid field mask path "${path}".`);
    if (incoming[camel] === undefined) delete next[camel];
    else next[camel] = incoming[camel];
  }
  return next;
}

export function checkSpec(spec: DeploymentSpec, what: 'deployment' | 'preview'): void {
  const blueprint: TerraformBlueprintInput | undefined = spec.terraformBlueprint;
  if (!blueprint) throw invalid(`${what}.terraform_blueprint is required.`);
  if (blueprint.gitSource) throw new GcpError(400, 'INVALID_ARGUMENT', 'im-sim only supports terraformBlueprint.gcsSource, not gitSource.');
  if (typeof blueprint.gcsSource !== 'string' || !blueprint.gcsSource.startsWith('gs://'))
    throw invalid(`${what}.terraform_blueprint.gcs_source must be a gs:// URI.`);
  if (blueprint.inputValues !== undefined && blueprint.inputValues !== null) {
    for (const [name, value] of Object.entries(blueprint.inputValues)) {
      if (typeof value !== 'object' || value === null || !('inputValue' in value)) throw invalid(`input_values["${name}"] must be an object with inputValue.`);
    }
  }
  checkServiceAccount(spec.serviceAccount, what);
  checkApplyFields(spec, what);
}

export function checkServiceAccount(serviceAccount: string | undefined, what: string): void {
  if (!serviceAccount) throw invalid(`${what}.service_account is required.`);
  if (!/^projects\/[^/]+\/serviceAccounts\/[^/]+$/.test(serviceAccount)) {
    throw invalid(`${what}.service_account "${serviceAccount}" must look like projects/{project}/serviceAccounts/{email}.`);
  }
}
