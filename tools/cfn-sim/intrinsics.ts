/**
 * Evaluation of intrinsic functions and conditions over parameters and physical resources.
 * While a change set is being computed some values are not known yet (a resource about to be
 * created or replaced); those evaluate to `Unknown`, which is what makes a change "Dynamic".
 */
import { templateError } from './errors';
import { valueText } from '../sim-kit/text';
import { isRecord, PSEUDO_PARAMETERS, type Template } from './template';

/** A value CloudFormation will only know during deployment. `cause` is the resource it waits for. */
export class Unknown {
  constructor(readonly cause: string) {}
}

export type Resolved = string | number | boolean | null | Unknown | Resolved[] | { [key: string]: Resolved };

/** `Ref: AWS::NoValue`: the enclosing property or list item disappears. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
type Evaluated = Resolved | typeof NO_VALUE;

export interface Pseudo {
  region: string;
  accountId: string;
  stackName: string;
  stackId: string;
}

export interface ResolveEnv {
  template: Template;
  /** Parameter values as strings; list types are comma-joined. */
  params: ReadonlyMap<string, string>;
  pseudo: Pseudo;
  ref(logicalId: string): string | Unknown;
  getAtt(logicalId: string, attribute: string): Resolved;
  importValue(exportName: string): string;
}

export class Resolver {
  private readonly conditionCache = new Map<string, boolean>();
  private readonly conditionsInProgress = new Set<string>();

  constructor(readonly env: ResolveEnv) {}

  /** Resolves a property tree; a top-level NoValue becomes undefined. */
  resolve(value: unknown): Resolved | undefined {
    const result = this.evaluate(value);
    return result === NO_VALUE ? undefined : result;
  }

  resolveProperties(properties: Record<string, unknown>): Record<string, Resolved> {
    const result = this.evaluate(properties);
    return isResolvedRecord(result) ? result : {};
  }

  condition(name: string): boolean {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) return cached;
    if (this.conditionsInProgress.has(name)) throw templateError(`Circular condition dependency in ${name}`);
    const body = this.env.template.conditions[name];
    if (body === undefined) throw templateError(`Unresolved condition dependency ${name}`);
    this.conditionsInProgress.add(name);
    const value = this.booleanOf(this.evaluate(body), `condition ${name}`);
    this.conditionsInProgress.delete(name);
    this.conditionCache.set(name, value);
    return value;
  }

  private booleanOf(value: Evaluated, where: string): boolean {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    throw templateError(`${where} must evaluate to a boolean`);
  }

  private evaluate(value: unknown): Evaluated {
    if (value === undefined) return null;
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    if (value instanceof Unknown) return value;
    if (Array.isArray(value)) return value.map((v) => this.evaluate(v)).filter((v): v is Resolved => v !== NO_VALUE);
    if (!isRecord(value)) return valueText(value);
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const fn = keys[0];
      const handler = this.functions[fn];
      if (handler) return handler(value[fn]);
    }
    const out: { [key: string]: Resolved } = {};
    for (const [key, child] of Object.entries(value)) {
      const resolved = this.evaluate(child);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  }

  private readonly functions: Record<string, (arg: unknown) => Evaluated> = {
    Ref: (arg) => this.ref(arg),
    'Fn::GetAtt': (arg) => this.getAtt(arg),
    'Fn::Sub': (arg) => this.sub(arg),
    'Fn::Join': (arg) => this.join(arg),
    'Fn::Select': (arg) => this.select(arg),
    'Fn::Split': (arg) => this.split(arg),
    'Fn::If': (arg) => this.fnIf(arg),
    'Fn::Equals': (arg) => this.equals(arg),
    'Fn::And': (arg) => this.logical(arg, 'Fn::And'),
    'Fn::Or': (arg) => this.logical(arg, 'Fn::Or'),
    'Fn::Not': (arg) => this.not(arg),
    Condition: (arg) => this.condition(String(arg)),
    'Fn::FindInMap': (arg) => this.findInMap(arg),
    'Fn::Base64': (arg) => mapKnown(this.stringOf(this.evaluate(arg), 'Fn::Base64'), (s) => Buffer.from(s, 'utf8').toString('base64')),
    'Fn::GetAZs': (arg) => {
      const region = this.evaluate(arg);
      const name = typeof region === 'string' && region !== '' ? region : this.env.pseudo.region;
      return [`${name}a`, `${name}b`, `${name}c`];
    },
    'Fn::ImportValue': (arg) => mapKnown(this.stringOf(this.evaluate(arg), 'Fn::ImportValue'), (name) => this.env.importValue(name)),
    'Fn::ToJsonString': (arg) => {
      const value = this.evaluate(arg);
      return firstUnknown(value) ?? JSON.stringify(value === NO_VALUE ? null : value);
    },
    'Fn::Length': (arg) => {
      const value = this.evaluate(arg);
      if (value instanceof Unknown) return value;
      if (!Array.isArray(value)) throw templateError('Fn::Length requires a list');
      return value.length;
    },
    'Fn::Cidr': (arg) => this.cidr(arg),
  };

  private ref(arg: unknown): Evaluated {
    if (typeof arg !== 'string') throw templateError('Ref requires a string');
    if (PSEUDO_PARAMETERS.has(arg)) return this.pseudo(arg);
    const parameter = this.env.template.parameters.find((p) => p.key === arg);
    if (parameter) {
      const value = this.env.params.get(arg) ?? parameter.defaultValue ?? '';
      return parameter.type.startsWith('List<') || parameter.type === 'CommaDelimitedList' ? splitList(value) : value;
    }
    return this.env.ref(arg);
  }

  private pseudo(name: string): Evaluated {
    const { region, accountId, stackName, stackId } = this.env.pseudo;
    switch (name) {
      case 'AWS::Region':
        return region;
      case 'AWS::AccountId':
        return accountId;
      case 'AWS::StackName':
        return stackName;
      case 'AWS::StackId':
        return stackId;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::NotificationARNs':
        return [];
      default:
        return NO_VALUE;
    }
  }

  private getAtt(arg: unknown): Evaluated {
    let target: unknown;
    let attribute: unknown;
    if (typeof arg === 'string') {
      const dot = arg.indexOf('.');
      [target, attribute] = [arg.slice(0, dot), arg.slice(dot + 1)];
    } else if (Array.isArray(arg) && arg.length === 2) {
      target = arg[0];
      attribute = this.evaluate(arg[1]);
    }
    if (typeof target !== 'string' || typeof attribute !== 'string' || attribute === '') {
      throw templateError('Fn::GetAtt requires a list of two strings: [ResourceName, AttributeName]');
    }
    return this.env.getAtt(target, attribute);
  }

  private sub(arg: unknown): Evaluated {
    const [text, varsArg] = (Array.isArray(arg) ? arg : [arg]) as unknown[];
    if (typeof text !== 'string') throw templateError('Fn::Sub requires a string or a list of a string and a map');
    const vars = new Map<string, Evaluated>();
    if (isRecord(varsArg)) for (const [name, v] of Object.entries(varsArg)) vars.set(name, this.evaluate(v));
    let unknown: Unknown | undefined;
    const out = text.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
      const name = inner.trim();
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      let value: Evaluated;
      if (vars.has(name)) value = vars.get(name) ?? null;
      else if (PSEUDO_PARAMETERS.has(name) || !name.includes('.')) value = this.ref(name);
      else value = this.env.getAtt(name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1));
      if (value instanceof Unknown) {
        unknown ??= value;
        return whole;
      }
      if (Array.isArray(value) || isRecord(value)) throw templateError(`Fn::Sub variable ${name} must resolve to a string`);
      return value === NO_VALUE || value === null ? '' : String(value);
    });
    return unknown ?? out;
  }

  private join(arg: unknown): Evaluated {
    if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string') {
      throw templateError(
        'every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.',
      );
    }
    const list = this.evaluate(arg[1]);
    if (list instanceof Unknown) return list;
    if (!Array.isArray(list)) throw templateError('Fn::Join requires a list of strings to join');
    const unknown = list.find((item): item is Unknown => item instanceof Unknown);
    if (unknown) return unknown;
    return list.map((item) => this.scalarText(item, 'Fn::Join')).join(arg[0]);
  }

  private select(arg: unknown): Evaluated {
    if (!Array.isArray(arg) || arg.length !== 2) throw templateError('Fn::Select requires a list of two elements: an index and a list');
    const index = this.evaluate(arg[0]);
    const list = this.evaluate(arg[1]);
    if (index instanceof Unknown) return index;
    if (list instanceof Unknown) return list;
    const i = Number(index);
    if (!Array.isArray(list) || !Number.isInteger(i)) throw templateError('Fn::Select requires a list of two elements: an index and a list');
    if (i < 0 || i >= list.length) throw templateError('Fn::Select cannot select nonexistent value at index ' + String(i));
    return list[i]!;
  }

  private split(arg: unknown): Evaluated {
    if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string')
      throw templateError('Fn::Split requires a list of two elements: a delimiter and a source string');
    const delimiter = arg[0];
    return mapKnown(this.stringOf(this.evaluate(arg[1]), 'Fn::Split'), (s) => s.split(delimiter));
  }

  private fnIf(arg: unknown): Evaluated {
    if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') throw templateError('Fn::If requires a list argument with three elements');
    return this.evaluate(this.condition(arg[0]) ? arg[1] : arg[2]);
  }

  private equals(arg: unknown): Evaluated {
    if (!Array.isArray(arg) || arg.length !== 2) throw templateError('Fn::Equals requires a list of two values');
    const a = this.evaluate(arg[0]);
    const b = this.evaluate(arg[1]);
    return JSON.stringify(normaliseScalar(a)) === JSON.stringify(normaliseScalar(b));
  }

  private logical(arg: unknown, fn: 'Fn::And' | 'Fn::Or'): Evaluated {
    if (!Array.isArray(arg) || arg.length < 2 || arg.length > 10) throw templateError(`${fn} requires a list of 2 to 10 conditions`);
    const values = arg.map((a: unknown) => this.booleanOf(this.evaluate(a), fn));
    return fn === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
  }

  private not(arg: unknown): Evaluated {
    if (!Array.isArray(arg) || arg.length !== 1) throw templateError('Fn::Not requires a list with one condition');
    return !this.booleanOf(this.evaluate(arg[0]), 'Fn::Not');
  }

  private findInMap(arg: unknown): Evaluated {
    if (!Array.isArray(arg) || arg.length < 3) throw templateError('Fn::FindInMap requires a list of three elements');
    const [mapName, top, second] = arg.slice(0, 3).map((a: unknown) => this.evaluate(a));
    for (const part of [mapName, top, second]) if (part instanceof Unknown) return part;
    const map = this.env.template.mappings[valueText(mapName)];
    const level = isRecord(map) ? map[valueText(top)] : undefined;
    const value = isRecord(level) ? level[valueText(second)] : undefined;
    if (value === undefined) {
      const fallback: unknown = arg[3];
      if (isRecord(fallback) && 'DefaultValue' in fallback) return this.evaluate(fallback['DefaultValue']);
      throw templateError(`Unable to get mapping for ${valueText(mapName)}::${valueText(top)}::${valueText(second)}`);
    }
    return this.evaluate(value);
  }

  private cidr(arg: unknown): Evaluated {
    if (!Array.isArray(arg) || arg.length !== 3) throw templateError('Fn::Cidr requires a list of three elements');
    const [block, count, bits] = arg.map((a: unknown) => this.evaluate(a));
    for (const part of [block, count, bits]) if (part instanceof Unknown) return part;
    const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(valueText(block));
    if (!match) throw templateError(`Fn::Cidr: invalid ipBlock ${valueText(block)}`);
    const base = match.slice(1, 5).reduce((acc, octet) => acc * 256 + Number(octet), 0);
    const size = 2 ** Number(bits);
    const out: string[] = [];
    for (let i = 0; i < Number(count); i++) {
      const address = base + i * size;
      const octets = [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256);
      out.push(`${octets.join('.')}/${32 - Number(bits)}`);
    }
    return out;
  }

  private stringOf(value: Evaluated, fn: string): string | Unknown {
    if (value instanceof Unknown) return value;
    return this.scalarText(value, fn);
  }

  private scalarText(value: Evaluated, fn: string): string {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw templateError(`${fn} requires string values`);
  }
}

function mapKnown(value: string | Unknown, fn: (s: string) => Resolved): Evaluated {
  return value instanceof Unknown ? value : fn(value);
}

function normaliseScalar(value: Evaluated): unknown {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === NO_VALUE ? null : value;
}

function splitList(value: string): string[] {
  return value === '' ? [] : value.split(',').map((s) => s.trim());
}

function isResolvedRecord(value: Evaluated): value is { [key: string]: Resolved } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown);
}

export function containsUnknown(value: unknown): boolean {
  return firstUnknown(value) !== undefined;
}

export function firstUnknown(value: unknown): Unknown | undefined {
  if (value instanceof Unknown) return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = firstUnknown(item);
      if (found) return found;
    }
  } else if (isRecord(value)) {
    for (const item of Object.values(value)) {
      const found = firstUnknown(item);
      if (found) return found;
    }
  }
  return undefined;
}

/** Structural equality of resolved values; numbers and their string forms are the same to CloudFormation. */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (value instanceof Unknown) return { '¿unknown': value.cause };
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(canonical);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = canonical(value[key]);
    return out;
  }
  return value ?? null;
}
