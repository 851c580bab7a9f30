/**
 * NoEcho in property values: CloudFormation never shows a NoEcho parameter's value, so a property
 * whose template expression uses one (a Ref, a Fn::Sub variable, through a condition or not) is
 * shown as "****" in BeforeContext/AfterContext and in Target.BeforeValue/AfterValue. The whole
 * top-level property is masked: masking too much is safe, too little leaks a secret.
 */
import type { ResourceChange } from './diff';
import { collectReferences, type Template } from './template';

export const MASK = '****';

export function maskNoEcho(changes: ResourceChange[], next: Template, previous: Template | undefined): void {
  for (const change of changes) {
    const afterKeys = secretKeys(next, change.logicalId);
    const beforeKeys = previous === undefined ? new Set<string>() : secretKeys(previous, change.logicalId);
    change.afterContext = maskContext(change.afterContext, afterKeys);
    change.beforeContext = maskContext(change.beforeContext, beforeKeys);
    for (const detail of change.details) {
      const key = detail.name ?? (detail.attribute === 'Tags' ? 'Tags' : undefined);
      if (key === undefined) continue;
      if (afterKeys.has(key) && detail.afterValue !== undefined) detail.afterValue = MASK;
      if (beforeKeys.has(key) && detail.beforeValue !== undefined) detail.beforeValue = MASK;
      if (beforeKeys.has(key) && detail.drift?.previous !== undefined) detail.drift = { ...detail.drift, previous: MASK };
    }
  }
}

/** Top-level properties of a resource whose expression reaches a NoEcho parameter. */
function secretKeys(template: Template, logicalId: string): Set<string> {
  const secret = new Set(template.parameters.filter((p) => p.noEcho).map((p) => p.key));
  const decl = template.resources.get(logicalId);
  if (secret.size === 0 || !decl) return new Set();
  return new Set(
    Object.entries(decl.properties)
      .filter(([, raw]) => reaches(raw, template, secret, new Set()))
      .map(([key]) => key),
  );
}

function reaches(raw: unknown, template: Template, secret: ReadonlySet<string>, seen: Set<string>): boolean {
  const refs = collectReferences(raw);
  if ([...refs.refs].some((r) => secret.has(r))) return true;
  return [...refs.conditions].some((c) => {
    if (seen.has(c)) return false;
    seen.add(c);
    return reaches(template.conditions[c], template, secret, seen);
  });
}

function maskContext(context: string | undefined, keys: ReadonlySet<string>): string | undefined {
  if (context === undefined || keys.size === 0) return context;
  const parsed = JSON.parse(context) as { Properties?: Record<string, unknown> };
  for (const key of keys) if (parsed.Properties && key in parsed.Properties) parsed.Properties[key] = MASK;
  return JSON.stringify(parsed);
}
