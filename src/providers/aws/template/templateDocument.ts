/**
 * The parsed template as a typed-enough view, after the shape checks CloudFormation would
 * otherwise fail on with a line-less "Template format error".
 */
import * as l10n from '@vscode/l10n';
import { excerpt, quoted } from './excerpt';
import type { Locator, ValuePath } from './locator';
import type { TextOrigin } from './structuredText';
import { InputError } from '../../../input/inputError';

export interface TemplateParameter {
  Type: string;
  /** Scalars are kept as the string CloudFormation would see. */
  Default?: string;
  AllowedValues?: string[];
  AllowedPattern?: string;
  MinLength?: number;
  MaxLength?: number;
  MinValue?: number;
  MaxValue?: number;
  NoEcho?: boolean;
  Description?: string;
  ConstraintDescription?: string;
}

export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Condition?: string;
  [attribute: string]: unknown;
}

export interface TemplateDocument {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  /** Top-level transform names, e.g. ['AWS::Serverless-2016-10-31']; empty when there is none. */
  Transform: string[];
  Parameters: Record<string, TemplateParameter>;
  /** `Fn::ForEach::…` loops (AWS::LanguageExtensions) are left out here; they stay in `raw`. */
  Resources: Record<string, TemplateResource>;
  Outputs: Record<string, unknown>;
  Conditions: Record<string, unknown>;
  Mappings: Record<string, unknown>;
  /** The whole parsed template. */
  raw: Record<string, unknown>;
}

const LOGICAL_ID = /^[A-Za-z0-9]+$/;
/** CloudFormation's limit for logical IDs; it also keeps names echoed in messages short. */
const MAX_LOGICAL_ID_CHARS = 255;

function logicalIdProblem(kind: 'Resource' | 'Parameter', id: string): string | undefined {
  const name = excerpt(id);
  if (id.length > MAX_LOGICAL_ID_CHARS) {
    const length = id.length.toLocaleString('en-US');
    return kind === 'Resource'
      ? l10n.t('Resource name "{0}" is {1} characters long; CloudFormation allows at most {2}.', name, length, MAX_LOGICAL_ID_CHARS)
      : l10n.t('Parameter name "{0}" is {1} characters long; CloudFormation allows at most {2}.', name, length, MAX_LOGICAL_ID_CHARS);
  }
  if (!LOGICAL_ID.test(id))
    return kind === 'Resource'
      ? l10n.t('Resource name "{0}" is not allowed: logical IDs may contain only letters and digits.', name)
      : l10n.t('Parameter name "{0}" is not allowed: names may contain only letters and digits.', name);
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether any mapping key, at any depth, matches (e.g. a `Fn::Transform` anywhere). */
export function containsKey(node: unknown, matches: (key: string) => boolean): boolean {
  if (Array.isArray(node)) return node.some((item) => containsKey(item, matches));
  if (!isRecord(node)) return false;
  return Object.entries(node).some(([key, value]) => matches(key) || containsKey(value, matches));
}

/**
 * What a parsed value is, without echoing more than a short excerpt of it, as a noun phrase that
 * ends a sentence such as "Parameters must be a mapping, but it is {0}.": "nothing", "a list",
 * "a mapping", "the number 5".
 */
export function describeKind(value: unknown): string {
  if (value === null || value === undefined)
    return l10n.t({
      message: 'nothing',
      comment: ['What a value in a template or parameters file is; it ends sentences such as "…must be a mapping, but it is {0}."'],
    });
  if (Array.isArray(value))
    return l10n.t({
      message: 'a list',
      comment: ['What a value in a template or parameters file is; it ends sentences such as "…must be a mapping, but it is {0}."'],
    });
  if (typeof value === 'object')
    return l10n.t({
      message: 'a mapping',
      comment: ['What a value in a template or parameters file is; it ends sentences such as "…must be a mapping, but it is {0}."'],
    });
  const shown = quoted(value);
  switch (typeof value) {
    case 'string':
      return l10n.t({
        message: 'the string {0}',
        args: [shown],
        comment: ['What a value in a template or parameters file is; it ends sentences such as "…must be a mapping, but it is {0}."'],
      });
    case 'number':
      return l10n.t({
        message: 'the number {0}',
        args: [shown],
        comment: ['What a value in a template or parameters file is; it ends sentences such as "…must be a mapping, but it is {0}."'],
      });
    case 'boolean':
      return l10n.t({
        message: 'the boolean {0}',
        args: [shown],
        comment: ['What a value in a template or parameters file is; it ends sentences such as "…must be a mapping, but it is {0}."'],
      });
    default:
      // Not a value YAML or JSON gives; named by its JavaScript type.
      return l10n.t({
        message: 'the {0} {1}',
        args: [typeof value, shown],
        comment: ['What a value in a template or parameters file is; it ends sentences such as "…must be a mapping, but it is {0}."'],
      });
  }
}

const kindOf = describeKind;

/** CloudFormation reads parameter scalars as strings; YAML may have given numbers or lists. */
function asParameterString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map((item) => String(item)).join(',');
  if (typeof value === 'string') return value;
  // What YAML and JSON parse to; no other scalar can come from a template.
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

export function toTemplateDocument(value: unknown, locator: Locator, origin: TextOrigin): TemplateDocument {
  const fail = (reason: string, path: ValuePath, hint?: string): never => {
    const line = locator.nearestLine(path);
    throw new InputError(reason, { file: origin.file, displayFile: origin.displayFile, line, hint });
  };

  if (!isRecord(value)) {
    return fail(l10n.t('A template must be a mapping of sections (Resources, Parameters, …), but this file holds {0}.', kindOf(value)), []);
  }
  if (!('Resources' in value)) {
    return fail(
      l10n.t('The template has no Resources section. CloudFormation needs at least one resource.'),
      [],
      l10n.t('Add a Resources section, or point {0} at the right file.', 'stackwatch.templatePath'),
    );
  }
  const resources = value.Resources;
  if (!isRecord(resources) || Object.keys(resources).length === 0) {
    return fail(
      isRecord(resources) || resources === null
        ? l10n.t('The Resources section is empty. CloudFormation needs at least one resource.')
        : l10n.t('Resources must be a mapping of logical IDs to resources, but it is {0}.', kindOf(resources)),
      ['Resources'],
    );
  }

  return {
    AWSTemplateFormatVersion: typeof value.AWSTemplateFormatVersion === 'string' ? value.AWSTemplateFormatVersion : undefined,
    Description: typeof value.Description === 'string' ? value.Description : undefined,
    Transform: transforms(value.Transform),
    Parameters: parameters(value.Parameters, fail),
    Resources: typedResources(resources, fail),
    Outputs: section(value, 'Outputs', fail),
    Conditions: section(value, 'Conditions', fail),
    Mappings: section(value, 'Mappings', fail),
    raw: value,
  };
}

type Fail = (reason: string, path: ValuePath, hint?: string) => never;

function section(template: Record<string, unknown>, name: string, fail: Fail): Record<string, unknown> {
  const value = template[name];
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) return fail(l10n.t('{0} must be a mapping, but it is {1}.', name, kindOf(value)), [name]);
  return value;
}

function transforms(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return items.flatMap((item) => (typeof item === 'string' ? [item] : isRecord(item) && typeof item.Name === 'string' ? [item.Name] : []));
}

function typedResources(resources: Record<string, unknown>, fail: Fail): Record<string, TemplateResource> {
  const typed: Record<string, TemplateResource> = {};
  for (const [id, resource] of Object.entries(resources)) {
    if (id.startsWith('Fn::ForEach::')) continue;
    const path = ['Resources', id];
    const badId = logicalIdProblem('Resource', id);
    if (badId) fail(badId, path);
    if (!isRecord(resource)) fail(l10n.t('Resource {0} must be a mapping with a Type, but it is {1}.', id, kindOf(resource)), path);
    const record = resource;
    if (record.Type === undefined || record.Type === null) {
      fail(l10n.t('Resource {0} has no Type. Every resource needs one, e.g. "Type: AWS::S3::Bucket".', id), path);
    }
    if (typeof record.Type !== 'string' || record.Type.trim() === '') {
      fail(l10n.t('Resource {0} has a Type that is not a resource type name: {1}.', id, kindOf(record.Type)), [...path, 'Type']);
    }
    if (record.Properties !== undefined && record.Properties !== null && !isRecord(record.Properties)) {
      fail(l10n.t('Properties of resource {0} must be a mapping, but it is {1}.', id, kindOf(record.Properties)), [...path, 'Properties']);
    }
    typed[id] = record as TemplateResource;
  }
  return typed;
}

function parameters(value: unknown, fail: Fail): Record<string, TemplateParameter> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) return fail(l10n.t('Parameters must be a mapping, but it is {0}.', kindOf(value)), ['Parameters']);
  const typed: Record<string, TemplateParameter> = {};
  for (const [name, declaration] of Object.entries(value)) {
    const path = ['Parameters', name];
    const badName = logicalIdProblem('Parameter', name);
    if (badName) fail(badName, path);
    if (!isRecord(declaration)) return fail(l10n.t('Parameter {0} must be a mapping with a Type, but it is {1}.', name, kindOf(declaration)), path);
    if (typeof declaration.Type !== 'string' || declaration.Type.trim() === '') {
      fail(l10n.t('Parameter {0} has no Type. Add one, e.g. "Type: String".', name), path);
    }
    const parameter: TemplateParameter = { Type: String(declaration.Type).trim() };
    const defaultValue = asParameterString(declaration.Default);
    if (defaultValue !== undefined) parameter.Default = defaultValue;
    if (Array.isArray(declaration.AllowedValues)) parameter.AllowedValues = declaration.AllowedValues.map((item) => String(item));
    if (typeof declaration.AllowedPattern === 'string') parameter.AllowedPattern = declaration.AllowedPattern;
    for (const key of ['MinLength', 'MaxLength', 'MinValue', 'MaxValue'] as const) {
      const number = asNumber(declaration[key]);
      if (number !== undefined) parameter[key] = number;
    }
    if (declaration.NoEcho === true || declaration.NoEcho === 'true') parameter.NoEcho = true;
    if (typeof declaration.Description === 'string') parameter.Description = declaration.Description;
    if (typeof declaration.ConstraintDescription === 'string') parameter.ConstraintDescription = declaration.ConstraintDescription;
    typed[name] = parameter;
  }
  return typed;
}
