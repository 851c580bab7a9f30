/**
 * Records to API JSON (Schema$Deployment, Schema$Revision, …). Field names and enum strings
 * follow googleapis' config v1 typings; fields the sim does not model are left out, as the
 * API leaves out unset fields.
 */
import { TF_VERSION } from './context';
import type { DeploymentRecord, DeploymentSpec, PlannedChange, PreviewRecord, RevisionRecord, RevisionResource } from './model';
import { defaultArtifactsBucket, iso } from './names';
import type { OperationRecord } from './operations';
import { propertyChanges } from './plan';

const TYPE = 'type.googleapis.com/google.cloud.config.v1';

export function deploymentJson(d: DeploymentRecord): Record<string, unknown> {
  const latest = d.revisions.at(-1);
  return {
    name: d.name,
    createTime: iso(d.createTime),
    updateTime: iso(d.updateTime),
    state: d.state,
    ...specJson(d.spec),
    ...(d.stateDetail ? { stateDetail: d.stateDetail } : {}),
    ...(d.errorCode ? { errorCode: d.errorCode } : {}),
    ...(d.tfErrors?.length ? { tfErrors: d.tfErrors } : {}),
    ...(d.errorCode ? { errorLogs: `${bucketOf(d.name, d.spec)}/${idOf(d.name)}/${latest ? idOf(latest.name) : 'delete'}/tf-error.ndjson` } : {}),
    ...(latest ? { latestRevision: latest.name } : {}),
    lockState: d.lockState ?? (d.lock ? 'LOCKED' : 'UNLOCKED'),
    tfVersion: TF_VERSION,
    ...(d.deleteBuild ? { deleteBuild: d.deleteBuild, deleteLogs: `${bucketOf(d.name, d.spec)}/${idOf(d.name)}/delete/logs` } : {}),
  };
}

export function revisionJson(deployment: DeploymentRecord, r: RevisionRecord): Record<string, unknown> {
  const base = `${bucketOf(deployment.name, r.spec)}/${idOf(deployment.name)}/${idOf(r.name)}`;
  const outputs = r.outputs ? Object.fromEntries(Object.entries(r.outputs).map(([name, o]) => [name, { sensitive: o.sensitive, value: o.value }])) : undefined;
  return {
    name: r.name,
    action: r.action,
    state: r.state,
    createTime: iso(r.createTime),
    updateTime: iso(r.updateTime),
    ...specJson(r.spec),
    tfVersion: TF_VERSION,
    build: r.build,
    logs: `${base}/logs`,
    ...(r.stateDetail ? { stateDetail: r.stateDetail } : {}),
    ...(r.errorCode ? { errorCode: r.errorCode, errorLogs: `${base}/tf-error.ndjson` } : {}),
    ...(r.tfErrors?.length ? { tfErrors: r.tfErrors } : {}),
    ...(r.quotaValidationResults ? { quotaValidationResults: r.quotaValidationResults } : {}),
    applyResults: { content: `${base}/content`, artifacts: `${base}/artifacts`, ...(outputs ? { outputs } : {}) },
  };
}

export function resourceJson(revision: RevisionRecord, r: RevisionResource): Record<string, unknown> {
  return {
    name: `${revision.name}/resources/${resourceId(r.change.address)}`,
    terraformInfo: { address: r.change.address, type: r.change.type, ...(r.id ? { id: r.id } : {}) },
    intent: r.change.intent,
    state: r.state,
  };
}

export function previewJson(p: PreviewRecord): Record<string, unknown> {
  const base = `${bucketOf(p.name, p.spec)}/previews/${idOf(p.name)}`;
  return {
    name: p.name,
    createTime: iso(p.createTime),
    state: p.state,
    previewMode: p.previewMode,
    ...(p.deployment ? { deployment: p.deployment } : {}),
    ...specJson(p.spec),
    tfVersion: TF_VERSION,
    build: p.build,
    logs: `${base}/logs`,
    ...(p.errorCode ? { errorCode: p.errorCode, errorLogs: `${base}/tf-error.ndjson`, errorStatus: { code: 2, message: p.errorMessage ?? p.errorCode } } : {}),
    ...(p.tfErrors?.length ? { tfErrors: p.tfErrors } : {}),
    ...(p.state === 'SUCCEEDED' ? { previewArtifacts: { content: `${base}/content`, artifacts: `${base}/artifacts` } } : {}),
  };
}

const ACTIONS: Record<string, string[]> = { CREATE: ['create'], UPDATE: ['update'], DELETE: ['delete'], RECREATE: ['delete', 'create'] };

export function resourceChangeJson(preview: PreviewRecord, c: PlannedChange): Record<string, unknown> {
  return {
    name: `${preview.name}/resourceChanges/${resourceId(c.address)}`,
    terraformInfo: { address: c.address, type: c.type, resourceName: c.name, provider: c.provider, actions: ACTIONS[c.intent] ?? ['no-op'] },
    intent: c.intent,
    propertyChanges: propertyChanges(c),
  };
}

export function operationJson(o: OperationRecord): Record<string, unknown> {
  const stepInfo = { ...(o.step ? { step: o.step } : {}), ...(o.logs ? { logs: o.logs } : {}), ...(o.build ? { build: o.build } : {}) };
  return {
    name: o.name,
    metadata: {
      '@type': `${TYPE}.OperationMetadata`,
      createTime: iso(o.createTime),
      ...(o.endTime === undefined ? {} : { endTime: iso(o.endTime) }),
      target: o.target,
      verb: o.verb,
      requestedCancellation: o.requestedCancellation,
      apiVersion: 'v1',
      ...(o.kind === 'deployment' ? { deploymentMetadata: stepInfo } : {}),
      ...(o.kind === 'preview' ? { previewMetadata: stepInfo } : {}),
    },
    done: o.done,
    ...(o.response ? { response: o.response } : {}),
    ...(o.error ? { error: o.error } : {}),
  };
}

/** The operation's response: the resource, tagged with its proto type. */
export function typed(kind: 'Deployment' | 'Preview' | 'LockInfo', json: Record<string, unknown>): Record<string, unknown> {
  return { '@type': `${TYPE}.${kind}`, ...json };
}

/** Resource IDs in names: the Terraform address with anything unusual replaced. */
export function resourceId(address: string): string {
  return address.replace(/[^A-Za-z0-9._-]/g, '-');
}

export function previewLogs(p: PreviewRecord): string {
  return `${bucketOf(p.name, p.spec)}/previews/${idOf(p.name)}/logs`;
}

export function logsFor(name: string, spec: DeploymentSpec, what: string): string {
  return `${bucketOf(name, spec)}/${idOf(name)}/${what}/logs`;
}

function specJson(spec: DeploymentSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(spec)) if (value !== undefined) out[key] = value;
  return out;
}

function bucketOf(name: string, spec: DeploymentSpec): string {
  return spec.artifactsGcsBucket ?? defaultArtifactsBucket(name);
}

function idOf(name: string): string {
  return name.split('/').pop() ?? name;
}
