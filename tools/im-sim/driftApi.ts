/**
 * The drift calls and control: previews.resourceDrifts.list/get, and sim.drift() to change a
 * resource in the "cloud" behind Terraform's back (drift.ts has the rules).
 */
import type { SimContext } from './context';
import { getDeployment } from './deployments';
import { failedPrecondition, notFound } from './errors';
import type { DriftRecord, PreviewRecord } from './model';
import { getPreview } from './previews';
import { resourceId } from './views';

/**
 * Control: the cloud's copy of `address` now has `attr = value`; the state does not know.
 * Without a property, only "it changed" is modelled: the next plan updates it (its fingerprint
 * no longer matches), and the refresh has nothing to list.
 */
export function driftResource(ctx: SimContext, deploymentName: string, address: string, property?: { attr: string; value: unknown; sensitive: boolean }): void {
  const deployment = getDeployment(ctx, deploymentName);
  const resource = deployment.applied.find((a) => a.address === address);
  if (!resource) throw new Error(`im-sim drift: ${deploymentName} has no resource ${address} in its state`);
  if (!property) {
    resource.fingerprint = `${resource.fingerprint}~changed-outside-terraform`;
    return;
  }
  const { attr, value, sensitive } = property;
  resource.actual = { ...(resource.actual ?? {}), [attr]: value };
  const marked = new Set(resource.actualSensitive ?? []);
  if (sensitive) marked.add(attr);
  else marked.delete(attr);
  resource.actualSensitive = [...marked];
}

export function resourceDriftJson(preview: PreviewRecord, drift: DriftRecord): Record<string, unknown> {
  return {
    name: `${preview.name}/resourceDrifts/${resourceId(drift.address)}`,
    terraformInfo: { address: drift.address, type: drift.type, resourceName: drift.name, provider: drift.provider },
    propertyDrifts: drift.properties.map((p) => ({
      path: p.path,
      before: p.before,
      after: p.after,
      // Paths are relative to `path`; the whole value is sensitive here, so the path is empty.
      ...(p.sensitive ? { beforeSensitivePaths: [''], afterSensitivePaths: [''] } : {}),
    })),
  };
}

/** previews.resourceDrifts.list/get: only a preview that SUCCEEDED has them (as resourceChanges). */
export function driftedPreview(ctx: SimContext, name: string): PreviewRecord {
  const preview = getPreview(ctx, name);
  if (preview.state !== 'SUCCEEDED') throw failedPrecondition(`Preview ${name} is ${preview.state}; resource drifts exist only for a preview that SUCCEEDED.`);
  return preview;
}

export function findDrift(preview: PreviewRecord, id: string): DriftRecord {
  const drift = (preview.drifts ?? []).find((d) => resourceId(d.address) === id);
  if (!drift) throw notFound(`Resource '${preview.name}/resourceDrifts/${id}' was not found`);
  return drift;
}
