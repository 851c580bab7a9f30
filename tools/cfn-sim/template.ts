/**
 * Reading a template: parse (YAML with short-form tags, or JSON), check its structure the way
 * CloudFormation does before it accepts a change set, and work out the dependency graph.
 */
import { parseCfnYaml } from '../../src/providers/aws/template/cfnYaml';
import { templateError, templateFormatError, validationError } from './errors';
import { valueText } from '../sim-kit/text';

export const TEMPLATE_BODY_LIMIT = 51_200;

export interface ParameterDecl {
  key: string;
  type: string;
  defaultValue?: string;
  noEcho: boolean;
  description?: string;
  allowedValues?: string[];
  allowedPattern?: string;
}

export interface ResourceDecl {
  logicalId: string;
  type: string;
  properties: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  condition?: string;
  deletionPolicy?: string;
  updateReplacePolicy?: string;
  /** Resources this one waits for: its Ref / GetAtt / Sub references and DependsOn. */
  dependsOn: string[];
}

export interface OutputDecl {
  key: string;
  value: unknown;
  description?: unknown;
  exportName?: unknown;
  condition?: string;
}

export interface Template {
  body: string;
  raw: Record<string, unknown>;
  description?: string;
  transforms: string[];
  parameters: ParameterDecl[];
  conditions: Record<string, unknown>;
  mappings: Record<string, unknown>;
  /** In template order. */
  resources: Map<string, ResourceDecl>;
  outputs: OutputDecl[];
}

const TOP_LEVEL = new Set([
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Rules',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
  'Hooks',
]);
const RESOURCE_KEYS = new Set([
  'Type',
  'Properties',
  'Metadata',
  'Condition',
  'DependsOn',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'CreationPolicy',
  'UpdatePolicy',
  'Version',
]);
export const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);
const RESOURCE_TYPE = /^(AWS|Alexa)::[A-Za-z0-9]+::[A-Za-z0-9]+$|^Custom::[A-Za-z0-9_@-]+$|^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+(::MODULE)?$/;
const PARAMETER_TYPE = /^(String|Number|List<Number>|CommaDelimitedList|AWS::[A-Za-z0-9:]+(<[A-Za-z0-9:<>]+>)?|List<AWS::[A-Za-z0-9:]+>)$/;

export function parseTemplate(body: string): Template {
  if (Buffer.byteLength(body, 'utf8') > TEMPLATE_BODY_LIMIT) {
    throw validationError(
      `1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to ${TEMPLATE_BODY_LIMIT}`,
    );
  }
  const value = parseText(body);
  if (!isRecord(value)) throw templateFormatError('unsupported structure.');

  const unknownKeys = Object.keys(value).filter((k) => !TOP_LEVEL.has(k));
  if (unknownKeys.length > 0) throw templateFormatError(`Invalid template property or properties [${unknownKeys.join(', ')}]`);
  const version = value['AWSTemplateFormatVersion'];
  if (version !== undefined && valueText(version) !== '2010-09-09') throw templateFormatError(`Unsupported template version: ${valueText(version)}`);

  const template: Template = {
    body,
    raw: value,
    description: typeof value['Description'] === 'string' ? value['Description'] : undefined,
    transforms: readTransforms(value['Transform']),
    parameters: readParameters(value['Parameters']),
    conditions: optionalRecord(value['Conditions'], 'Conditions'),
    mappings: optionalRecord(value['Mappings'], 'Mappings'),
    resources: readResources(value['Resources']),
    outputs: readOutputs(value['Outputs']),
  };
  checkReferences(template);
  checkCycles(template);
  return template;
}

function parseText(body: string): unknown {
  if (body.trimStart().startsWith('{')) {
    try {
      return JSON.parse(body);
    } catch (e) {
      const position = /position (\d+)/.exec(String(e))?.[1];
      const { line, column } = position === undefined ? { line: 1, column: 1 } : lineColumn(body, Number(position));
      throw templateFormatError(`JSON not well-formed. (line ${line}, column ${column})`);
    }
  }
  const parsed = parseCfnYaml(body);
  const first = parsed.errors[0];
  if (first) throw templateFormatError(`YAML not well-formed. (line ${first.line}, column ${first.column})`);
  return parsed.value;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalRecord(value: unknown, section: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw templateFormatError(`${section} must be an object.`);
  return value;
}

function readTransforms(value: unknown): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((t) => (typeof t === 'string' ? t : isRecord(t) && typeof t['Name'] === 'string' ? t['Name'] : String(t)));
}

function readParameters(value: unknown): ParameterDecl[] {
  return Object.entries(optionalRecord(value, 'Parameters')).map(([key, decl]) => {
    if (!isRecord(decl) || typeof decl['Type'] !== 'string') throw templateFormatError('Every Parameters object must contain a Type member.');
    const type = decl['Type'];
    if (!PARAMETER_TYPE.test(type)) throw templateFormatError(`Unrecognized parameter type: ${type}`);
    const allowed = decl['AllowedValues'];
    return {
      key,
      type,
      defaultValue: scalarText(decl['Default']),
      noEcho: String(decl['NoEcho']) === 'true',
      description: scalarText(decl['Description']),
      allowedValues: Array.isArray(allowed) ? allowed.map((v) => String(v)) : undefined,
      allowedPattern: scalarText(decl['AllowedPattern']),
    };
  });
}

function scalarText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map((v) => String(v)).join(',');
  return valueText(value);
}

function readResources(value: unknown): Map<string, ResourceDecl> {
  const section = optionalRecord(value, 'Resources');
  if (Object.keys(section).length === 0) throw templateFormatError('At least one Resources member must be defined.');
  const resources = new Map<string, ResourceDecl>();
  for (const [logicalId, decl] of Object.entries(section)) {
    if (!/^[A-Za-z0-9]+$/.test(logicalId)) throw templateFormatError(`Resource name ${logicalId} is non alphanumeric.`);
    if (!isRecord(decl) || typeof decl['Type'] !== 'string') throw templateFormatError('Every Resources object must contain a Type member.');
    const unknown = Object.keys(decl).filter((k) => !RESOURCE_KEYS.has(k));
    if (unknown.length > 0) throw templateFormatError(`Invalid template resource property '${unknown[0]}'`);
    if (!RESOURCE_TYPE.test(decl['Type'])) throw templateFormatError(`Unrecognized resource types: [${decl['Type']}]`);
    const properties = decl['Properties'] ?? {};
    if (!isRecord(properties)) throw templateFormatError(`[/Resources/${logicalId}/Properties] should be an object`);
    const metadata = decl['Metadata'];
    const explicit = decl['DependsOn'];
    const dependsOn = explicit === undefined ? [] : Array.isArray(explicit) ? explicit.map((d) => valueText(d)) : [valueText(explicit)];
    resources.set(logicalId, {
      logicalId,
      type: decl['Type'],
      properties,
      metadata: isRecord(metadata) ? metadata : undefined,
      condition: typeof decl['Condition'] === 'string' ? decl['Condition'] : undefined,
      deletionPolicy: typeof decl['DeletionPolicy'] === 'string' ? decl['DeletionPolicy'] : undefined,
      updateReplacePolicy: typeof decl['UpdateReplacePolicy'] === 'string' ? decl['UpdateReplacePolicy'] : undefined,
      dependsOn,
    });
  }
  return resources;
}

function readOutputs(value: unknown): OutputDecl[] {
  return Object.entries(optionalRecord(value, 'Outputs')).map(([key, decl]) => {
    if (!isRecord(decl) || !('Value' in decl))
      throw templateFormatError(`Every Outputs member must contain a Value object, the Outputs member ${key} does not.`);
    const exportDecl = decl['Export'];
    return {
      key,
      value: decl['Value'],
      description: decl['Description'],
      exportName: isRecord(exportDecl) ? exportDecl['Name'] : undefined,
      condition: typeof decl['Condition'] === 'string' ? decl['Condition'] : undefined,
    };
  });
}

/** Every name a value refers to: Ref targets, GetAtt resources, and `${…}` in Sub. */
export interface References {
  refs: Set<string>;
  getAtts: Set<string>;
  conditions: Set<string>;
}

export function collectReferences(value: unknown, into: References = { refs: new Set(), getAtts: new Set(), conditions: new Set() }): References {
  if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, into);
    return into;
  }
  if (!isRecord(value)) return into;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [key] = keys as [string];
    const arg = value[key];
    if (key === 'Ref' && typeof arg === 'string') {
      into.refs.add(arg);
      return into;
    }
    if (key === 'Fn::GetAtt') {
      const target: unknown = Array.isArray(arg) ? arg[0] : typeof arg === 'string' ? arg.split('.')[0] : undefined;
      if (typeof target === 'string') into.getAtts.add(target);
      if (Array.isArray(arg)) collectReferences(arg.slice(1), into);
      return into;
    }
    if (key === 'Fn::Sub') {
      const [text, vars] = (Array.isArray(arg) ? arg : [arg]) as unknown[];
      const local = new Set(isRecord(vars) ? Object.keys(vars) : []);
      if (typeof text === 'string') {
        for (const name of subVariables(text)) {
          if (local.has(name) || PSEUDO_PARAMETERS.has(name)) continue;
          const dot = name.indexOf('.');
          if (dot < 0) into.refs.add(name);
          else into.getAtts.add(name.slice(0, dot));
        }
      }
      collectReferences(vars, into);
      return into;
    }
    if (key === 'Condition' && typeof arg === 'string') {
      into.conditions.add(arg);
      return into;
    }
    if (key === 'Fn::If' && Array.isArray(arg) && typeof arg[0] === 'string') {
      into.conditions.add(arg[0]);
      collectReferences(arg.slice(1), into);
      return into;
    }
  }
  for (const child of Object.values(value)) collectReferences(child, into);
  return into;
}

/** The names inside `${…}`, without the `${!literal}` escapes. */
export function subVariables(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
    const name = (match[1] ?? '').trim();
    if (!name.startsWith('!')) names.push(name);
  }
  return names;
}

function checkReferences(template: Template): void {
  const parameters = new Set(template.parameters.map((p) => p.key));
  const isKnownRef = (name: string): boolean => parameters.has(name) || PSEUDO_PARAMETERS.has(name) || template.resources.has(name);
  const conditionNames = new Set(Object.keys(template.conditions));

  const unresolvedIn = (block: string, refs: Set<string>): void => {
    const missing = [...refs].filter((r) => !isKnownRef(r));
    if (missing.length > 0) throw templateFormatError(`Unresolved resource dependencies [${missing.join(', ')}] in the ${block} block of the template`);
  };
  const getAttsIn = (getAtts: Set<string>): void => {
    for (const target of getAtts) if (!template.resources.has(target)) throw templateError(`instance of Fn::GetAtt references undefined resource ${target}`);
  };
  const conditionsIn = (block: string, names: Iterable<string>): void => {
    for (const name of names)
      if (!conditionNames.has(name))
        throw templateFormatError(`Unresolved dependencies [${name}]. Cannot reference resources in the ${block} block of the template`);
  };

  for (const decl of template.resources.values()) {
    const refs = collectReferences({ p: decl.properties, m: decl.metadata ?? null });
    unresolvedIn('Resources', refs.refs);
    getAttsIn(refs.getAtts);
    conditionsIn('Conditions', refs.conditions);
    unresolvedIn('Resources', new Set(decl.dependsOn.filter((d) => !template.resources.has(d))));
    if (decl.condition !== undefined) conditionsIn('Conditions', [decl.condition]);
    decl.dependsOn = [...new Set([...decl.dependsOn, ...[...refs.refs, ...refs.getAtts].filter((r) => template.resources.has(r))])];
  }
  for (const output of template.outputs) {
    const refs = collectReferences([output.value, output.exportName ?? null, output.description ?? null]);
    unresolvedIn('Outputs', refs.refs);
    getAttsIn(refs.getAtts);
    conditionsIn('Conditions', refs.conditions);
    if (output.condition !== undefined) conditionsIn('Conditions', [output.condition]);
  }
  for (const [name, body] of Object.entries(template.conditions)) {
    const refs = collectReferences(body);
    const resourceRefs = [...refs.refs].filter((r) => template.resources.has(r));
    if (resourceRefs.length > 0 || refs.getAtts.size > 0)
      throw templateError(
        `Unresolved dependencies [${[...resourceRefs, ...refs.getAtts].join(', ')}]. Cannot reference resources in the Conditions block of the template`,
      );
    unresolvedIn('Conditions', refs.refs);
    conditionsIn(
      'Conditions',
      [...refs.conditions].filter((c) => c !== name),
    );
  }
}

function checkCycles(template: Template): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = stack.slice(stack.indexOf(id));
      throw templateFormatError(`Circular dependency between resources: [${cycle.sort().join(', ')}]`);
    }
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of template.resources.get(id)?.dependsOn ?? []) visit(dep);
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of template.resources.keys()) visit(id);
}

/** The template's resource IDs ordered so every resource comes after what it depends on. */
export function topologicalOrder(template: Template, ids: Iterable<string>): string[] {
  const wanted = new Set(ids);
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string): void => {
    if (seen.has(id) || !wanted.has(id)) return;
    seen.add(id);
    for (const dep of template.resources.get(id)?.dependsOn ?? []) visit(dep);
    order.push(id);
  };
  for (const id of wanted) visit(id);
  return order;
}
