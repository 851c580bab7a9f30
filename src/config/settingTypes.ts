/**
 * The value types settings come in, each as a parser that either returns the typed value or
 * throws a SettingsError naming the setting, what it holds and what was expected. `undefined`
 * means unset (VS Code gives the package.json default in that case, so it is rare).
 */
import { describeKind, describeValue, isPlainObject, quote } from './describeValue';
import { SettingsError } from './settingsError';

export type SettingParser<T> = (raw: unknown, key: string) => T;

function wrongType(key: string, expected: string, raw: unknown, hint?: string, describe: (value: unknown) => string = describeValue): SettingsError {
  return new SettingsError(`${key} must be ${expected}, not ${describe(raw)}.`, key, 'invalid', hint);
}

/**
 * true or false, and nothing that looks like it: the string "false" is truthy in JavaScript,
 * which is how `"stackwatch.autoExecute": "false"` once executed staged changes unreviewed.
 */
export function flag(fallback: boolean): SettingParser<boolean> {
  return (raw, key) => {
    if (raw === undefined) return fallback;
    if (typeof raw === 'boolean') return raw;
    const example = typeof raw === 'string' && /^\s*(true|false)\s*$/i.test(raw) ? raw.trim().toLowerCase() : String(fallback);
    throw wrongType(key, 'true or false', raw, `In settings.json write "${key}": ${example} (without quotes).`);
  };
}

/** Any string; empty means unset. Paths and free text. */
export function text(): SettingParser<string | undefined> {
  return (raw, key) => {
    if (raw === undefined || raw === '') return undefined;
    if (typeof raw === 'string') return raw;
    throw wrongType(key, 'a string', raw, `Write it in quotes, e.g. "${key}": "…".`);
  };
}

function describeWhitespace(character: string): string {
  if (character === ' ') return 'a space';
  if (character === '\t') return 'a tab';
  if (character === '\n' || character === '\r') return 'a line break';
  return `a whitespace character (${JSON.stringify(character)})`;
}

/**
 * A name (profile, bucket, project, ID…): a string with no whitespace. A trailing space copied
 * from a console would otherwise surface much later as "not found" for a name that looks right.
 */
export function name(): SettingParser<string | undefined> {
  const asText = text();
  return (raw, key) => {
    const value = asText(raw, key);
    if (value === undefined) return undefined;
    const space = /\s/.exec(value);
    if (space) {
      throw new SettingsError(
        `${key} ${quote(value)} contains ${describeWhitespace(space[0])} at position ${space.index + 1}; it must be a name without spaces.`,
        key,
        'invalid',
        value.trim() && !/\s/.test(value.trim()) ? `Did you mean ${quote(value.trim())}?` : 'Remove the spaces.',
      );
    }
    return value;
  };
}

/** One of a fixed set of strings. */
export function oneOf<const T extends string>(allowed: readonly T[], fallback: T): SettingParser<T> {
  const listed = allowed.map((a) => JSON.stringify(a)).join(' or ');
  return (raw, key) => {
    if (raw === undefined) return fallback;
    if (typeof raw === 'string' && (allowed as readonly string[]).includes(raw)) return raw as T;
    // `false` for an on/off choice is what someone means by "off".
    const meant = typeof raw === 'string' ? allowed.find((a) => a === raw.trim().toLowerCase()) : raw === false ? allowed.find((a) => a === 'off') : undefined;
    throw wrongType(key, listed, raw, meant ? `Did you mean "${meant}"?` : `Write e.g. "${key}": "${fallback}".`);
  };
}

/**
 * A JSON object (a map); its values are checked by the caller. `holdsSecrets` settings (parameter
 * and input values) are described by kind only, so a misplaced password is never echoed.
 */
export function object(example: string, options: { holdsSecrets: boolean }): SettingParser<Record<string, unknown>> {
  return (raw, key) => {
    if (raw === undefined) return {};
    if (isPlainObject(raw)) return raw;
    throw wrongType(
      key,
      `an object, e.g. ${example}`,
      raw,
      `Write it as a JSON object in settings.json: "${key}": ${example}.`,
      options.holdsSecrets ? describeKind : describeValue,
    );
  };
}

/** One setting: its full key and how its value is checked. */
export interface Setting<T> {
  key: string;
  parse: SettingParser<T>;
}

export function setting<T>(key: string, parse: SettingParser<T>): Setting<T> {
  return { key, parse };
}

/** A setting's raw value as the editor holds it (`undefined` when unset). */
export type SettingReader = (key: string) => unknown;

/** Reads one setting through its parser: the typed value, or a SettingsError naming it. */
export type ReadSetting = <T>(entry: Setting<T>) => T;

/** Where the settings were read, for what a provider's reader resolves against. */
export interface SettingsPlace {
  /** Relative paths in settings are taken from here. */
  folderPath: string;
  /** For a provider's environment fallbacks (its region variables, say) when a setting is unset. */
  env: Readonly<Record<string, string | undefined>>;
}
