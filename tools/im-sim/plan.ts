/**
 * The plan: compares a blueprint with a deployment's Terraform state. New addresses are
 * CREATE, changed blocks UPDATE (RECREATE with `# sim: recreate`), missing ones DELETE.
 * Deletes come last, newest first, as Terraform destroys dependents before dependencies.
 */
import type { Blueprint } from './blueprint';
import { refreshedAttrs, revertsDrift } from './refreshDrift';
import type { AppliedResource, PlannedChange } from './model';

export function plan(blueprint: Blueprint | undefined, applied: AppliedResource[], defaultSeconds: number): PlannedChange[] {
  const changes: PlannedChange[] = [];
  const wanted = new Set<string>();
  for (const resource of blueprint?.resources ?? []) {
    wanted.add(resource.address);
    const current = applied.find((a) => a.address === resource.address);
    // An unchanged block still updates when the refresh found drift on an attribute it sets.
    const unchanged = current !== undefined && current.fingerprint === resource.fingerprint && !revertsDrift(current, resource.attrs);
    const intent = !current ? 'CREATE' : unchanged ? 'UNCHANGED' : resource.directives.recreate ? 'RECREATE' : 'UPDATE';
    changes.push({
      address: resource.address,
      type: resource.type,
      name: resource.name,
      provider: resource.provider,
      intent,
      seconds: resource.directives.seconds ?? defaultSeconds,
      ...(resource.directives.fail === undefined ? {} : { fail: resource.directives.fail }),
      ...(current ? { before: refreshedAttrs(current) } : {}),
      after: resource.attrs,
      fingerprint: resource.fingerprint,
    });
  }
  for (const current of [...applied].reverse()) {
    if (wanted.has(current.address)) continue;
    changes.push({
      address: current.address,
      type: current.type,
      name: current.name,
      provider: current.provider,
      intent: 'DELETE',
      seconds: current.seconds,
      before: current.attrs,
    });
  }
  return changes;
}

/** Everything in the state goes: the plan for a DELETE preview or a deployment delete. */
export function destroyPlan(applied: AppliedResource[]): PlannedChange[] {
  return plan(undefined, applied, 0);
}

/** Top-level attribute differences, the way Infrastructure Manager lists propertyChanges. */
export function propertyChanges(change: PlannedChange): { path: string; before?: unknown; after?: unknown }[] {
  const before = change.intent === 'CREATE' ? {} : (change.before ?? {});
  const after = change.intent === 'DELETE' ? {} : (change.after ?? {});
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys
    .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .map((key) => ({ path: key, ...(key in before ? { before: before[key] } : {}), ...(key in after ? { after: after[key] } : {}) }));
}
