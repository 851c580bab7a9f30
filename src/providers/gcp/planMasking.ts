/**
 * Terraform's JSON plan (`terraform show -json`, what previews.export hands out) holds sensitive
 * values in clear and only marks them: sensitive variables, values under `before_sensitive` /
 * `after_sensitive` / `sensitive_values` paths, outputs with `sensitive: true`
 * (https://developer.hashicorp.com/terraform/internals/json-format). Nothing of it may reach a
 * file unmasked, so the plan is masked here, before it leaves the adapter.
 */
import type { BlueprintVariable } from './blueprint';

export const PLAN_MASK = '(sensitive)';

/** Shorter secrets are not masked inside other text: "1" or "abc" would blank unrelated words. */
const MIN_SUBSTRING = 4;

export interface MaskingFacts {
  /** The blueprint's variables; undefined when it could not be read: then every variable value is masked. */
  variables: readonly BlueprintVariable[] | undefined;
  /** Secret strings known from elsewhere (the sensitive inputs sent with the preview). */
  knownSecrets?: readonly string[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

class Masker {
  readonly secrets = new Set<string>();

  /** Every string in a value that is about to be masked is a secret wherever else it shows. */
  private remember(value: Json | undefined): void {
    if (typeof value === 'string') this.secrets.add(value);
    else if (Array.isArray(value)) value.forEach((v) => this.remember(v));
    else if (isObject(value)) Object.values(value).forEach((v) => this.remember(v));
  }

  mask(value: Json | undefined): Json | undefined {
    if (value === null || value === undefined) return value;
    this.remember(value);
    return PLAN_MASK;
  }

  /** Applies a Terraform sensitivity structure: `true` masks that value, objects and arrays mark inside it. */
  byMarks(value: Json | undefined, marks: Json | undefined): Json | undefined {
    if (marks === true) return this.mask(value);
    if (Array.isArray(marks) && Array.isArray(value)) return value.map((v, i) => this.byMarks(v, marks[i]) ?? null);
    if (isObject(marks) && isObject(value)) {
      const out: JsonObject = {};
      for (const [key, v] of Object.entries(value)) out[key] = this.byMarks(v, marks[key]) ?? null;
      return out;
    }
    return value;
  }

  /** Every `constant_value` inside an expression tree. */
  constants(value: Json | undefined): Json | undefined {
    if (Array.isArray(value)) return value.map((v) => this.constants(v) ?? null);
    if (!isObject(value)) return value;
    const out: JsonObject = {};
    for (const [key, v] of Object.entries(value)) out[key] = key === 'constant_value' ? (this.mask(v) ?? null) : (this.constants(v) ?? null);
    return out;
  }
}

/**
 * Wherever a value sits next to its own sensitivity marks, the marked parts go: changes
 * (resource_changes, resource_drift, output_changes, deferred changes) and values
 * (planned_values, prior_state), at any depth, so shapes added in later format versions that
 * reuse these names are covered too.
 */
function maskMarked(node: Json, masker: Masker, sensitiveTypes: Map<string, Set<string>>): Json {
  if (Array.isArray(node)) return node.map((n) => maskMarked(n, masker, sensitiveTypes));
  if (!isObject(node)) return node;
  const out: JsonObject = { ...node };
  const type = typeof node['type'] === 'string' ? node['type'] : undefined;
  const note = (marks: Json | undefined): void => {
    if (!type || !isObject(marks)) return;
    const names = sensitiveTypes.get(type) ?? new Set<string>();
    for (const [key, mark] of Object.entries(marks)) if (mark !== false) names.add(key);
    sensitiveTypes.set(type, names);
  };
  if ('before_sensitive' in node) out['before'] = masker.byMarks(node['before'], node['before_sensitive']) ?? null;
  if ('after_sensitive' in node) out['after'] = masker.byMarks(node['after'], node['after_sensitive']) ?? null;
  if ('sensitive_values' in node) {
    out['values'] = masker.byMarks(node['values'], node['sensitive_values']) ?? null;
    note(node['sensitive_values']);
  }
  if (node['sensitive'] === true && 'value' in node) out['value'] = masker.mask(node['value']) ?? null;
  if (isObject(node['change'])) {
    note(node['change']['before_sensitive']);
    note(node['change']['after_sensitive']);
  }
  for (const [key, child] of Object.entries(out)) {
    if (key === 'before' || key === 'after' || key === 'values' || key === 'value') {
      if (out[key] !== node[key]) continue; // already masked above
    }
    out[key] = maskMarked(child, masker, sensitiveTypes);
  }
  return out;
}

/**
 * The configuration repeats what the blueprint wrote: defaults of sensitive variables, the
 * expressions of sensitive outputs, literal values of attributes the provider marks sensitive,
 * and provider blocks (credentials), whose sensitivity the plan does not record.
 */
function maskConfiguration(module: Json | undefined, masker: Masker, sensitiveTypes: Map<string, Set<string>>): Json | undefined {
  if (!isObject(module)) return module;
  const out: JsonObject = { ...module };
  if (isObject(module['variables'])) {
    out['variables'] = Object.fromEntries(
      Object.entries(module['variables']).map(([name, v]) => [
        name,
        isObject(v) && v['sensitive'] === true && 'default' in v ? { ...v, default: masker.mask(v['default']) ?? null } : v,
      ]),
    );
  }
  if (isObject(module['outputs'])) {
    out['outputs'] = Object.fromEntries(
      Object.entries(module['outputs']).map(([name, o]) => [name, isObject(o) && o['sensitive'] === true ? (masker.constants(o) ?? null) : o]),
    );
  }
  if (Array.isArray(module['resources'])) {
    out['resources'] = module['resources'].map((resource) => {
      if (!isObject(resource) || typeof resource['type'] !== 'string' || !isObject(resource['expressions'])) return resource;
      const sensitive = sensitiveTypes.get(resource['type']);
      if (!sensitive) return resource;
      const expressions = Object.fromEntries(
        Object.entries(resource['expressions']).map(([key, e]) => [key, sensitive.has(key) ? (masker.constants(e) ?? null) : e]),
      );
      return { ...resource, expressions };
    });
  }
  if (isObject(module['module_calls'])) {
    out['module_calls'] = Object.fromEntries(
      Object.entries(module['module_calls']).map(([name, call]) => [
        name,
        isObject(call) ? { ...call, module: maskConfiguration(call['module'], masker, sensitiveTypes) ?? null } : call,
      ]),
    );
  }
  return out;
}

function maskSubstrings(node: Json, secrets: readonly string[]): Json {
  if (typeof node === 'string') return secrets.reduce((text, secret) => text.split(secret).join(PLAN_MASK), node);
  if (Array.isArray(node)) return node.map((n) => maskSubstrings(n, secrets));
  if (!isObject(node)) return node;
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, maskSubstrings(value, secrets)]));
}

/** The sensitive variable names, from the blueprint and from the plan's own configuration. */
function sensitiveVariables(plan: JsonObject, facts: MaskingFacts): (name: string) => boolean {
  if (!facts.variables) return () => true;
  const names = new Set(facts.variables.filter((v) => v.sensitive).map((v) => v.name));
  const configuration = plan['configuration'];
  const declared = isObject(configuration) && isObject(configuration['root_module']) ? configuration['root_module']['variables'] : undefined;
  if (isObject(declared)) for (const [name, v] of Object.entries(declared)) if (isObject(v) && v['sensitive'] === true) names.add(name);
  return (name) => names.has(name);
}

/** A masked deep copy of a parsed plan. */
export function maskTerraformPlan(plan: JsonObject, facts: MaskingFacts): JsonObject {
  const masker = new Masker();
  for (const secret of facts.knownSecrets ?? []) masker.secrets.add(secret);
  const isSensitive = sensitiveVariables(plan, facts);
  const sensitiveTypes = new Map<string, Set<string>>();
  const masked: JsonObject = {};
  for (const [key, value] of Object.entries(plan)) {
    if (key === 'variables' && isObject(value)) {
      masked[key] = Object.fromEntries(
        Object.entries(value).map(([name, v]) => [name, isSensitive(name) && isObject(v) ? { ...v, value: masker.mask(v['value']) ?? null } : v]),
      );
    } else if (key !== 'configuration') {
      masked[key] = maskMarked(value, masker, sensitiveTypes);
    }
  }
  // After the rest: which attributes are sensitive is learnt from the marks.
  if ('configuration' in plan) {
    const configuration = plan['configuration'];
    masked['configuration'] = isObject(configuration)
      ? {
          ...configuration,
          ...(isObject(configuration['provider_config']) ? { provider_config: masker.constants(configuration['provider_config']) ?? null } : {}),
          ...('root_module' in configuration ? { root_module: maskConfiguration(configuration['root_module'], masker, sensitiveTypes) ?? null } : {}),
        }
      : (configuration ?? null);
  }
  // A secret copied into text the marks do not cover (an interpolated name, an error) goes too.
  const secrets = [...masker.secrets].filter((s) => s.length >= MIN_SUBSTRING && s !== PLAN_MASK).sort((a, b) => b.length - a.length);
  return maskSubstrings(masked, secrets) as JsonObject;
}

export type { Json, JsonObject };
