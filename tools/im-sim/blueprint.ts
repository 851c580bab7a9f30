/**
 * Blueprints: a zip of a Terraform root module in Cloud Storage (or a single .tf object). The sim
 * cannot run Terraform, so it reads resource, variable and output blocks and the `# sim:`
 * directives in resource blocks, and evaluates the little it needs: literals and `var.X`.
 */
import { createHash } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { attributes, HclError, literal, topLevelBlocks, type HclBlock } from './hcl';
import type { TfError } from './model';
import { parseGcsSource, type ObjectStore } from './storage';

export interface Directives {
  seconds?: number;
  fail?: string;
  recreate: boolean;
  /** `# sim: quota-exceeded`: quota validation finds this resource short of quota (applySettings.ts). */
  quotaExceeded?: boolean;
}

export interface BlueprintResource {
  address: string;
  type: string;
  name: string;
  /** Attribute values after var substitution; expressions the sim cannot evaluate stay as text. */
  attrs: Record<string, unknown>;
  /** Changes when the block's meaning changes (comments and whitespace do not count). */
  fingerprint: string;
  directives: Directives;
  provider: string;
  /** Attributes whose expression reads a sensitive variable: Terraform marks them sensitive in its plan. */
  sensitiveAttrs?: string[];
}

export interface BlueprintOutput {
  sensitive: boolean;
  value: unknown;
}

export interface BlueprintVariableValue {
  value: unknown;
  sensitive: boolean;
}

export interface Blueprint {
  resources: BlueprintResource[];
  outputs: Record<string, BlueprintOutput>;
  /** The root module's variables as planned (input or default), for the exported plan JSON. */
  variables?: Record<string, BlueprintVariableValue>;
}

export type LoadResult = { ok: true; blueprint: Blueprint; source: string } | { ok: false; stage: 'download' | 'plan'; message: string; tfErrors: TfError[] };

export interface TerraformBlueprintInput {
  gcsSource?: string | null;
  gitSource?: unknown;
  inputValues?: Record<string, { inputValue?: unknown } | undefined> | null;
}

/** Fetches and evaluates a blueprint. Failures are results, not throws: they end up on a preview or revision. */
export function loadBlueprint(objects: ObjectStore, blueprint: TerraformBlueprintInput | undefined): LoadResult {
  const source = blueprint?.gcsSource ?? '';
  const location = parseGcsSource(source);
  if (!location) return downloadFailure(`terraformBlueprint.gcsSource "${source}" is not a gs://bucket/object URI.`);
  const object = objects.get(location.bucket, location.name, location.generation);
  if (!object) {
    const what =
      location.generation === undefined ? `gs://${location.bucket}/${location.name}` : `gs://${location.bucket}/${location.name}#${location.generation}`;
    return downloadFailure(`Error downloading blueprint: object ${what} does not exist (NOT_FOUND).`);
  }
  let files: Record<string, string>;
  try {
    files = readFiles(object.name, object.data);
  } catch (error) {
    return downloadFailure(`Error extracting blueprint ${source}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const inputs: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(blueprint?.inputValues ?? {})) inputs[name] = value?.inputValue;
  try {
    return { ok: true, blueprint: evaluate(files, inputs), source };
  } catch (error) {
    if (error instanceof PlanError) return { ok: false, stage: 'plan', message: error.message, tfErrors: error.tfErrors };
    if (error instanceof HclError) {
      const description = `${error.file}:${error.line}: ${error.message}`;
      return { ok: false, stage: 'plan', message: `Error: Invalid configuration: ${description}`, tfErrors: [tfError(`Error: ${description}`)] };
    }
    throw error;
  }
}

export function fingerprintOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

class PlanError extends Error {
  constructor(
    message: string,
    readonly tfErrors: TfError[],
  ) {
    super(message);
  }
}

function downloadFailure(message: string): LoadResult {
  return { ok: false, stage: 'download', message, tfErrors: [] };
}

function tfError(description: string, resourceAddress?: string): TfError {
  return {
    ...(resourceAddress === undefined ? {} : { resourceAddress }),
    errorDescription: description,
    error: { code: 3, message: description },
  };
}

/** Zips (starting "PK") unpack to their .tf files; anything else is taken as one .tf file. */
function readFiles(objectName: string, data: Uint8Array): Record<string, string> {
  if (data[0] === 0x50 && data[1] === 0x4b) {
    const entries = unzipSync(data, { filter: (file) => file.name.endsWith('.tf') });
    const files: Record<string, string> = {};
    for (const [name, bytes] of Object.entries(entries)) {
      // Only the root module counts; Terraform does not read .tf files in subfolders unless they are modules.
      const relative = stripCommonRoot(name, Object.keys(entries));
      if (!relative.includes('/')) files[relative] = strFromU8(bytes);
    }
    if (Object.keys(files).length === 0) throw new Error('the zip has no .tf files in its root folder');
    return files;
  }
  return { [objectName.split('/').pop() ?? 'main.tf']: strFromU8(data) };
}

/** `stack/main.tf` and `stack/outputs.tf` zipped with their folder read as `main.tf` and `outputs.tf`. */
function stripCommonRoot(name: string, all: string[]): string {
  const first = all[0]?.split('/')[0];
  const shared = first !== undefined && all.every((n) => n.startsWith(`${first}/`));
  return shared ? name.slice(first.length + 1) : name;
}

function evaluate(files: Record<string, string>, inputs: Record<string, unknown>): Blueprint {
  const blocks: HclBlock[] = Object.keys(files)
    .sort()
    .flatMap((file) => topLevelBlocks(files[file] ?? '', file));
  if (!blocks.some((b) => b.kind === 'resource' || b.kind === 'output' || b.kind === 'variable')) {
    throw new PlanError('Error: No configuration files', [tfError('Terraform found no resource, variable or output blocks in the blueprint.')]);
  }

  const vars = new Map<string, unknown>();
  const sensitiveVars = new Set<string>();
  const missing: TfError[] = [];
  for (const block of blocks.filter((b) => b.kind === 'variable')) {
    const name = block.labels[0] ?? '';
    const attrs = attributes(block.code);
    const fallback = attrs.get('default');
    if (attrs.get('sensitive') === 'true') sensitiveVars.add(name);
    if (Object.prototype.hasOwnProperty.call(inputs, name)) vars.set(name, inputs[name]);
    else if (fallback !== undefined) vars.set(name, literal(fallback)?.value ?? fallback);
    else {
      missing.push(
        tfError(
          `Error: No value for required variable: on ${block.file} line ${block.line}: The root module input variable "${name}" is not set, and has no default value. Use a -var or -var-file command line argument to provide a value for this variable.`,
        ),
      );
    }
  }
  if (missing.length > 0) throw new PlanError(`Error: No value for required variable (${missing.length})`, missing);

  const seen = new Set<string>();
  const resources: BlueprintResource[] = [];
  for (const block of blocks.filter((b) => b.kind === 'resource')) {
    const [type = '', name = ''] = block.labels;
    const address = `${type}.${name}`;
    if (block.labels.length !== 2)
      throw new PlanError(`Error: Missing name for resource`, [tfError(`${block.file} line ${block.line}: a resource block needs a type and a name.`)]);
    if (seen.has(address)) {
      throw new PlanError('Error: Duplicate resource configuration', [
        tfError(`${block.file} line ${block.line}: A ${type} resource named "${name}" was already declared.`, address),
      ]);
    }
    seen.add(address);
    const attrs: Record<string, unknown> = {};
    for (const [key, expr] of attributes(block.code)) attrs[key] = valueOf(expr, vars);
    resources.push({
      address,
      type,
      name,
      attrs,
      fingerprint: fingerprintOf(substituteVars(block.code, vars).replace(/\s+/g, ' ').trim()),
      directives: directivesOf(block.body, block.file, block.line),
      provider: `registry.terraform.io/hashicorp/${type.split('_')[0] ?? type}`,
      sensitiveAttrs: [...attributes(block.code)]
        .filter(([, expr]) => [...sensitiveVars].some((v) => new RegExp(`\\bvar\\.${v}\\b`).test(expr)))
        .map(([key]) => key),
    });
  }

  const outputs: Record<string, BlueprintOutput> = {};
  for (const block of blocks.filter((b) => b.kind === 'output')) {
    const attrs = attributes(block.code);
    outputs[block.labels[0] ?? ''] = { sensitive: attrs.get('sensitive') === 'true', value: valueOf(attrs.get('value') ?? 'null', vars, true) };
  }
  const variables: Record<string, BlueprintVariableValue> = {};
  for (const [name, value] of vars) variables[name] = { value, sensitive: sensitiveVars.has(name) };
  return { resources, outputs, variables };
}

/** Literals and `var.X` evaluate; other expressions stay as their text, or a placeholder for outputs. */
function valueOf(expr: string, vars: Map<string, unknown>, placeholder = false): unknown {
  const known = literal(expr);
  if (known) return known.value;
  const ref = /^var\.([A-Za-z_][\w-]*)$/.exec(expr.trim());
  if (ref?.[1] !== undefined && vars.has(ref[1])) return vars.get(ref[1]);
  // "${var.x}-suffix": interpolation of variables only.
  if (/^"[^"]*"$/.test(expr.trim()) && /\$\{\s*var\.[A-Za-z_][\w-]*\s*\}/.test(expr)) {
    const interpolated = expr
      .trim()
      .slice(1, -1)
      .replace(/\$\{\s*var\.([A-Za-z_][\w-]*)\s*\}/g, (whole, name: string) => (vars.has(name) ? String(vars.get(name)) : whole));
    if (!interpolated.includes('${')) return interpolated;
  }
  return placeholder ? `(known after apply: ${expr.trim()})` : expr.trim();
}

function substituteVars(code: string, vars: Map<string, unknown>): string {
  return code.replace(/\bvar\.([A-Za-z_][\w-]*)/g, (whole, name: string) => (vars.has(name) ? JSON.stringify(vars.get(name)) : whole));
}

function directivesOf(body: string, file: string, line: number): Directives {
  const directives: Directives = { recreate: false };
  for (const match of body.matchAll(/#\s*sim:\s*(.*)$/gm)) {
    for (const token of (match[1] ?? '').matchAll(/([a-z][a-z-]*)(?:=("(?:[^"\\]|\\.)*"|\S+))?/g)) {
      const [, key, raw] = token;
      const value = raw?.startsWith('"') ? (JSON.parse(raw) as string) : raw;
      if (key === 'seconds') {
        const seconds = Number(value);
        if (!Number.isFinite(seconds) || seconds < 0) throw new HclError(file, line, `sim directive seconds=${value ?? ''} is not a non-negative number`);
        directives.seconds = seconds;
      } else if (key === 'fail') directives.fail = value ?? 'simulated failure';
      else if (key === 'recreate') directives.recreate = true;
      else if (key === 'quota-exceeded') directives.quotaExceeded = true;
      else throw new HclError(file, line, `unknown sim directive "${key ?? ''}" (known: seconds=N, fail="message", recreate, quota-exceeded)`);
    }
  }
  return directives;
}
