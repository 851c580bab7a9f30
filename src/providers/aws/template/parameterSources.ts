/**
 * Where parameter values come from: the `stackwatch.parameters` setting, which wins, and a
 * parameters file in any of the shapes people already have (AWS CLI, CodePipeline, plain).
 * Each value remembers its origin, so a bad value can be traced to the line that set it.
 */
import { basename } from 'node:path';
import { AWS_SETTING_KEYS, type AwsStackSettings } from '../settings';
import type { Locator, ValuePath } from './locator';
import { readSourceFile } from './sourceFile';
import { detectFormat, parseStructuredText, type ParsedText, type TextOrigin } from './structuredText';
import { excerpt, quoted } from './excerpt';
import { isRecord } from './templateDocument';
import { InputError, isInputError } from '../../../input/inputError';

export interface ValueOrigin {
  /** For messages: "stackwatch.parameters" or "params.json:4". */
  description: string;
  setting: string;
  /** Set when the value came from the parameters file. */
  file?: string;
  displayFile?: string;
  line?: number;
  column?: number;
}

export interface ProvidedValue {
  key: string;
  /** Absent when the file asks for UsePreviousValue. */
  value?: string;
  usePrevious?: boolean;
  origin: ValueOrigin;
}

/** By parameter name. */
export type ProvidedValues = Map<string, ProvidedValue>;

export interface ParameterSettings {
  parameters: AwsStackSettings['parameters'];
  parametersFile?: AwsStackSettings['parametersFile'];
}

export interface ReadOptions {
  /** Symlinks may not lead outside this folder (see workspaceBoundary.ts). */
  workspaceFolder?: string;
}

export async function readProvidedValues(
  settings: ParameterSettings,
  displayPath: (absPath: string) => string = basename,
  options: ReadOptions = {},
): Promise<ProvidedValues> {
  const values: ProvidedValues = new Map();
  if (settings.parametersFile) {
    for (const provided of await readParametersFile(settings.parametersFile, displayPath(settings.parametersFile), options)) values.set(provided.key, provided);
  }
  for (const [key, raw] of Object.entries(parameterSetting(settings.parameters))) {
    const value = settingValue(key, raw);
    values.set(key, { key, value, origin: { description: AWS_SETTING_KEYS.parameters, setting: AWS_SETTING_KEYS.parameters } });
  }
  return values;
}

/**
 * The setting is typed as a record, but it comes from JSON the user typed: a string, list or
 * number there must stop the deployment, not deploy with every Default.
 */
function parameterSetting(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (isRecord(raw)) return raw;
  throw new InputError(`${AWS_SETTING_KEYS.parameters} must be an object of parameter names to values, but it is ${describeJsonKind(raw)}.`, {
    setting: AWS_SETTING_KEYS.parameters,
    hint: `For example "${AWS_SETTING_KEYS.parameters}": { "Environment": "dev" }.`,
  });
}

function describeJsonKind(raw: unknown): string {
  if (Array.isArray(raw)) return 'a list';
  return `the ${typeof raw} ${quoted(raw)}`;
}

/** Settings come from JSON the user typed; a number is what they meant, an object is not. */
function settingValue(key: string, raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  if (Array.isArray(raw) && raw.every((item) => typeof item !== 'object')) return raw.join(',');
  // The value is not echoed: it may be a NoEcho parameter's, and the template is not read yet.
  throw new InputError(
    `${AWS_SETTING_KEYS.parameters} sets ${excerpt(key)} to ${raw === null ? 'null' : Array.isArray(raw) ? 'a list of lists or objects' : 'an object'}; parameter values must be strings.`,
    {
      setting: AWS_SETTING_KEYS.parameters,
      hint: `Write the value as a string, e.g. "${excerpt(key, 40)}": "value".`,
    },
  );
}

export async function readParametersFile(absPath: string, displayFile: string = basename(absPath), options: ReadOptions = {}): Promise<ProvidedValue[]> {
  const setting = AWS_SETTING_KEYS.parametersFile;
  const text = await readSourceFile({ absPath, displayFile, setting, what: 'parameters file', workspaceFolder: options.workspaceFolder });
  const origin: TextOrigin = { file: absPath, displayFile };
  let parsed: ParsedText;
  try {
    parsed = parseStructuredText(text, detectFormat(absPath, text), origin);
  } catch (error) {
    if (isInputError(error)) {
      throw new InputError(`Cannot read the parameters file: ${error.reason}`, {
        file: absPath,
        displayFile,
        line: error.line,
        column: error.column,
        setting,
        cause: error,
      });
    }
    throw error;
  }
  return interpret(parsed.value, parsed.locator, origin);
}

const SHAPES =
  'Use the AWS CLI shape [{"ParameterKey": "Name", "ParameterValue": "value"}], the CodePipeline shape {"Parameters": {"Name": "value"}}, or plain {"Name": "value"}.';

function interpret(value: unknown, locator: Locator, origin: TextOrigin): ProvidedValue[] {
  const fail = (reason: string, path: ValuePath): never => {
    const position = locator.positionOf(path);
    throw new InputError(reason, {
      file: origin.file,
      displayFile: origin.displayFile,
      line: position?.line ?? locator.nearestLine(path),
      column: position?.column,
      setting: AWS_SETTING_KEYS.parametersFile,
      hint: SHAPES,
    });
  };
  const originAt = (path: ValuePath): ValueOrigin => {
    const position = locator.positionOf(path);
    const line = position?.line ?? locator.nearestLine(path);
    return {
      description: line === undefined ? origin.displayFile : `${origin.displayFile}:${line}`,
      setting: AWS_SETTING_KEYS.parametersFile,
      file: origin.file,
      displayFile: origin.displayFile,
      line,
      column: position?.column,
    };
  };
  const scalar = (raw: unknown, key: string, path: ValuePath): string => {
    if (typeof raw === 'string') return raw;
    if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
    // Plain files may hold a list for a list parameter; CloudFormation wants it comma-joined.
    if (Array.isArray(raw) && raw.every((item) => typeof item !== 'object' || item === null)) return raw.join(',');
    const kind = raw === null || raw === undefined ? 'empty' : Array.isArray(raw) ? 'a list of lists or mappings' : 'a mapping';
    return fail(`The value of ${excerpt(key)} must be a string (or a list of strings), but it is ${kind}.`, path);
  };

  if (Array.isArray(value)) {
    const firstItemOf = new Map<string, number>();
    return value.map((item, index): ProvidedValue => {
      if (!isRecord(item)) return fail(`Item ${index + 1} must be a mapping with ParameterKey and ParameterValue, but it is ${kindOf(item)}.`, [index]);
      const key = item.ParameterKey;
      if (key === undefined || key === null || key === '') return fail(`Item ${index + 1} has no ParameterKey.`, [index]);
      if (typeof key !== 'string')
        return fail(`Item ${index + 1} has a ParameterKey that is ${kindOf(key)}; it must be the parameter's name, as a string.`, [index, 'ParameterKey']);
      const earlier = firstItemOf.get(key);
      if (earlier !== undefined)
        return fail(`Item ${index + 1} sets ${excerpt(key)} again (item ${earlier + 1} already does); only one value can be sent.`, [index, 'ParameterKey']);
      firstItemOf.set(key, index);
      if (item.UsePreviousValue === true || item.UsePreviousValue === 'true') return { key, usePrevious: true, origin: originAt([index, 'UsePreviousValue']) };
      if (item.ParameterValue === undefined)
        return fail(`Item ${index + 1} (${excerpt(key)}) has neither ParameterValue nor "UsePreviousValue": true.`, [index]);
      return { key, value: scalar(item.ParameterValue, key, [index, 'ParameterValue']), origin: originAt([index, 'ParameterValue']) };
    });
  }
  if (!isRecord(value)) return fail(`A parameters file must be a list or a mapping, but this one holds ${kindOf(value)}.`, []);
  if ('Parameters' in value && !isRecord(value.Parameters)) {
    return fail(`"Parameters" must be a mapping of parameter names to values, but it is ${kindOf(value.Parameters)}.`, ['Parameters']);
  }
  const [entries, base]: [Record<string, unknown>, ValuePath] = isRecord(value.Parameters) ? [value.Parameters, ['Parameters']] : [value, []];
  return Object.entries(entries).map(([key, raw]) => ({ key, value: scalar(raw, key, [...base, key]), origin: originAt([...base, key]) }));
}

/** What a value is, without echoing more than a short excerpt of it. */
function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `the ${typeof value} ${quoted(value)}`;
}
