/**
 * Where parameter values come from: the `stackwatch.parameters` setting, which wins, and a
 * parameters file in any of the shapes people already have (AWS CLI, CodePipeline, plain).
 * Each value remembers its origin, so a bad value can be traced to the line that set it.
 */
import { basename } from 'node:path';
import * as l10n from '@vscode/l10n';
import { AWS_SETTING_KEYS, type AwsStackSettings } from '../settings';
import type { Locator, ValuePath } from './locator';
import { readSourceFile } from './sourceFile';
import { detectFormat, parseStructuredText, type ParsedText, type TextOrigin } from './structuredText';
import { excerpt } from './excerpt';
import { describeKind, isRecord } from './templateDocument';
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
  throw new InputError(l10n.t('{0} must be an object of parameter names to values, but it is {1}.', AWS_SETTING_KEYS.parameters, kindOf(raw)), {
    setting: AWS_SETTING_KEYS.parameters,
    hint: l10n.t('For example "{0}": {1}.', AWS_SETTING_KEYS.parameters, '{ "Environment": "dev" }'),
  });
}

/** Settings come from JSON the user typed; a number is what they meant, an object is not. */
function settingValue(key: string, raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  if (Array.isArray(raw) && raw.every((item) => typeof item !== 'object')) return raw.join(',');
  // The value is not echoed: it may be a NoEcho parameter's, and the template is not read yet.
  const setting = AWS_SETTING_KEYS.parameters;
  const name = excerpt(key);
  throw new InputError(
    raw === null
      ? l10n.t('{0} sets {1} to null; parameter values must be strings.', setting, name)
      : Array.isArray(raw)
        ? l10n.t('{0} sets {1} to a list of lists or objects; parameter values must be strings.', setting, name)
        : l10n.t('{0} sets {1} to an object; parameter values must be strings.', setting, name),
    {
      setting,
      hint: l10n.t('Write the value as a string, e.g. "{0}": "value".', excerpt(key, 40)),
    },
  );
}

export async function readParametersFile(absPath: string, displayFile: string = basename(absPath), options: ReadOptions = {}): Promise<ProvidedValue[]> {
  const setting = AWS_SETTING_KEYS.parametersFile;
  const text = await readSourceFile({ absPath, displayFile, setting, what: 'parametersFile', workspaceFolder: options.workspaceFolder });
  const origin: TextOrigin = { file: absPath, displayFile };
  let parsed: ParsedText;
  try {
    parsed = parseStructuredText(text, detectFormat(absPath, text), origin);
  } catch (error) {
    if (isInputError(error)) {
      throw new InputError(l10n.t('Cannot read the parameters file: {0}', error.reason), {
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

/** The shapes a parameters file may have, for the hint. */
function shapes(): string {
  return l10n.t(
    'Use the AWS CLI shape {0}, the CodePipeline shape {1}, or plain {2}.',
    '[{"ParameterKey": "Name", "ParameterValue": "value"}]',
    '{"Parameters": {"Name": "value"}}',
    '{"Name": "value"}',
  );
}

function interpret(value: unknown, locator: Locator, origin: TextOrigin): ProvidedValue[] {
  const fail = (reason: string, path: ValuePath): never => {
    const position = locator.positionOf(path);
    throw new InputError(reason, {
      file: origin.file,
      displayFile: origin.displayFile,
      line: position?.line ?? locator.nearestLine(path),
      column: position?.column,
      setting: AWS_SETTING_KEYS.parametersFile,
      hint: shapes(),
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
    const name = excerpt(key);
    return fail(
      raw === null || raw === undefined
        ? l10n.t('The value of {0} must be a string (or a list of strings), but it is empty.', name)
        : Array.isArray(raw)
          ? l10n.t('The value of {0} must be a string (or a list of strings), but it is a list of lists or mappings.', name)
          : l10n.t('The value of {0} must be a string (or a list of strings), but it is a mapping.', name),
      path,
    );
  };

  if (Array.isArray(value)) {
    const firstItemOf = new Map<string, number>();
    return value.map((item, index): ProvidedValue => {
      if (!isRecord(item))
        return fail(l10n.t('Item {0} must be a mapping with ParameterKey and ParameterValue, but it is {1}.', index + 1, kindOf(item)), [index]);
      const key = item.ParameterKey;
      if (key === undefined || key === null || key === '') return fail(l10n.t('Item {0} has no ParameterKey.', index + 1), [index]);
      if (typeof key !== 'string')
        return fail(l10n.t("Item {0} has a ParameterKey that is {1}; it must be the parameter's name, as a string.", index + 1, kindOf(key)), [
          index,
          'ParameterKey',
        ]);
      const earlier = firstItemOf.get(key);
      if (earlier !== undefined)
        return fail(l10n.t('Item {0} sets {1} again (item {2} already does); only one value can be sent.', index + 1, excerpt(key), earlier + 1), [
          index,
          'ParameterKey',
        ]);
      firstItemOf.set(key, index);
      if (item.UsePreviousValue === true || item.UsePreviousValue === 'true') return { key, usePrevious: true, origin: originAt([index, 'UsePreviousValue']) };
      if (item.ParameterValue === undefined)
        return fail(l10n.t('Item {0} ({1}) has neither ParameterValue nor "UsePreviousValue": true.', index + 1, excerpt(key)), [index]);
      return { key, value: scalar(item.ParameterValue, key, [index, 'ParameterValue']), origin: originAt([index, 'ParameterValue']) };
    });
  }
  if (!isRecord(value)) return fail(l10n.t('A parameters file must be a list or a mapping, but this one holds {0}.', kindOf(value)), []);
  if ('Parameters' in value && !isRecord(value.Parameters)) {
    return fail(l10n.t('"Parameters" must be a mapping of parameter names to values, but it is {0}.', kindOf(value.Parameters)), ['Parameters']);
  }
  const [entries, base]: [Record<string, unknown>, ValuePath] = isRecord(value.Parameters) ? [value.Parameters, ['Parameters']] : [value, []];
  return Object.entries(entries).map(([key, raw]) => ({ key, value: scalar(raw, key, [...base, key]), origin: originAt([...base, key]) }));
}

/** What a value is, without echoing more than a short excerpt of it: "nothing", "a list", "the number 5". */
function kindOf(value: unknown): string {
  return describeKind(value);
}
