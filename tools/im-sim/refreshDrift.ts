/**
 * Drift: attributes changed in the cloud outside Terraform. `sim.drift()` changes what the cloud
 * has (AppliedResource.actual) while the Terraform state keeps `attrs`. A preview's refresh finds
 * the difference (previews.resourceDrifts), and the plan reverts drift on attributes the blueprint
 * sets; drift on attributes it leaves out stays (as for Optional+Computed attributes in Terraform).
 * Pure functions over records: plan.ts uses them, so nothing here imports the engine.
 */
import type { AppliedResource, DriftRecord } from './model';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Whether applying the blueprint's attributes would undo drift on one of them. */
export function revertsDrift(current: AppliedResource, wanted: Record<string, unknown>): boolean {
  return Object.entries(current.actual ?? {}).some(([key, value]) => key in wanted && !same(value, wanted[key]));
}

/** The state as a refresh sees it: what the cloud has. */
export function refreshedAttrs(current: AppliedResource): Record<string, unknown> {
  return { ...current.attrs, ...(current.actual ?? {}) };
}

/** What a preview's refresh reports: every resource whose cloud copy differs from the state. */
export function driftsOf(applied: readonly AppliedResource[]): DriftRecord[] {
  const drifts: DriftRecord[] = [];
  for (const resource of applied) {
    const sensitive = new Set(resource.actualSensitive ?? []);
    const properties = Object.entries(resource.actual ?? {})
      .filter(([key, value]) => !same(resource.attrs[key], value))
      .map(([path, after]) => ({ path, before: resource.attrs[path] ?? null, after, sensitive: sensitive.has(path) }));
    if (properties.length > 0) drifts.push({ address: resource.address, type: resource.type, name: resource.name, provider: resource.provider, properties });
  }
  return drifts;
}
