/**
 * The value types settings come in, each as a parser that either returns the typed value or
 * throws a SettingsError naming the setting, what it holds and what was expected. `undefined`
 * means unset (VS Code gives the package.json default in that case, so it is rare).
 */
import * as l10n from '@vscode/l10n';
import { describeKind, describeValue, isPlainObject, quote } from './describeValue';
import { SettingsError } from './settingsError';

export type SettingParser<T> = (raw: unknown, key: string) => T;

/** `expected` is what the setting takes ("true or false", "a string"), `describe` says what it holds. */
function wrongType(key: string, expected: string, raw: unknown, hint?: string, describe: (value: unknown) => string = describeValue): SettingsError {
  const message = l10n.t({
    message: '{0} must be {1}, not {2}.',
    args: [key, expected, describe(raw)],
    comment: ['{0} is a setting name, {1} what it takes (e.g. "true or false"), {2} what it holds (e.g. "the string "yes"")'],
  });
  return new SettingsError(message, key, 'invalid', hint);
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
    throw wrongType(key, l10n.t('true or false'), raw, l10n.t('In settings.json write "{0}": {1} (without quotes).', key, example));
  };
}

/** Any string; empty means unset. Paths and free text. */
export function text(): SettingParser<string | undefined> {
  return (raw, key) => {
    if (raw === undefined || raw === '') return undefined;
    if (typeof raw === 'string') return raw;
    throw wrongType(key, l10n.t('a string'), raw, l10n.t('Write it in quotes, e.g. "{0}": "…".', key));
  };
}

/** "contains a space at position 4; it must be a name without spaces.", after the setting and its quoted value. */
function whitespaceProblem(character: string, position: number): string {
  if (character === ' ') return l10n.t('contains a space at position {0}; it must be a name without spaces.', position);
  if (character === '\t') return l10n.t('contains a tab at position {0}; it must be a name without spaces.', position);
  if (character === '\n' || character === '\r') return l10n.t('contains a line break at position {0}; it must be a name without spaces.', position);
  return l10n.t('contains a whitespace character ({0}) at position {1}; it must be a name without spaces.', JSON.stringify(character), position);
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
      const problem = whitespaceProblem(space[0], space.index + 1);
      throw new SettingsError(
        l10n.t({
          message: '{0} {1} {2}',
          args: [key, quote(value), problem],
          comment: ['{0} is a setting name, {1} its value in quotes, {2} what is wrong with it'],
        }),
        key,
        'invalid',
        value.trim() && !/\s/.test(value.trim()) ? l10n.t('Did you mean {0}?', quote(value.trim())) : l10n.t('Remove the spaces.'),
      );
    }
    return value;
  };
}

/** `"a" or "b" or "c"`: the values a setting takes, in quotes. */
function eitherOf(allowed: readonly string[]): string {
  const [first = '', ...rest] = allowed.map((a) => JSON.stringify(a));
  return rest.reduce(
    (listed, next) => l10n.t({ message: '{0} or {1}', args: [listed, next], comment: ['Values a setting takes, in quotes: "auto" or "off"'] }),
    first,
  );
}

/** One of a fixed set of strings. */
export function oneOf<const T extends string>(allowed: readonly T[], fallback: T): SettingParser<T> {
  return (raw, key) => {
    if (raw === undefined) return fallback;
    if (typeof raw === 'string' && (allowed as readonly string[]).includes(raw)) return raw as T;
    // `false` for an on/off choice is what someone means by "off".
    const meant = typeof raw === 'string' ? allowed.find((a) => a === raw.trim().toLowerCase()) : raw === false ? allowed.find((a) => a === 'off') : undefined;
    throw wrongType(key, eitherOf(allowed), raw, meant ? l10n.t('Did you mean "{0}"?', meant) : l10n.t('Write e.g. "{0}": "{1}".', key, fallback));
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
      l10n.t('an object, e.g. {0}', example),
      raw,
      l10n.t('Write it as a JSON object in settings.json: "{0}": {1}.', key, example),
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
