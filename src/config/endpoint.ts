/**
 * Endpoint settings (stackwatch.aws.endpoint, stackwatch.gcp.endpoint): a URL the SDKs can use,
 * checked here so a typo is explained ("has no scheme") instead of surfacing as "Invalid URL".
 */
import * as l10n from '@vscode/l10n';
import { quote } from './describeValue';
import { SettingsError } from './settingsError';
import { text, type SettingParser } from './settingTypes';

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

function whitespaceProblem(character: string, position: number): string {
  if (character === ' ') return l10n.t('contains a space at position {0}', position);
  if (character === '\t') return l10n.t('contains a tab at position {0}', position);
  return /[\r\n]/.test(character) ? l10n.t('contains a line break at position {0}', position) : l10n.t('contains whitespace at position {0}', position);
}

/** What is wrong with an endpoint: said after the setting (and its value, unless `hidesValue`), with the fix when there is an obvious one. */
export interface EndpointProblem {
  problem: string;
  fix?: string;
  /** The value holds credentials: it is not quoted back, or the password would reach the notification. */
  hidesValue?: true;
}

/** What is wrong with the endpoint, with the fix when there is an obvious one; undefined if usable. */
export function endpointProblem(value: string): EndpointProblem | undefined {
  const space = /\s/.exec(value);
  if (space) {
    const trimmed = value.trim();
    return { problem: whitespaceProblem(space[0], space.index + 1), fix: trimmed && !/\s/.test(trimmed) ? trimmed : undefined };
  }
  const scheme = SCHEME.exec(value);
  if (!scheme) {
    const half = /^(https?):\/?(?!\/)/i.exec(value);
    if (half) return { problem: l10n.t('needs two slashes after "{0}:"', half[1]), fix: `${half[1].toLowerCase()}://${value.slice(half[0].length)}` };
    return { problem: l10n.t('has no scheme; it must start with http:// or https://'), fix: `http://${value.replace(/^\/+/, '')}` };
  }
  const protocol = scheme[1].toLowerCase();
  if (protocol !== 'http' && protocol !== 'https')
    return { problem: l10n.t('uses the scheme "{0}:"; only http:// and https:// endpoints are supported', scheme[1]) };
  const rest = value.slice(scheme[0].length);
  if (rest === '' || rest.startsWith('/')) return { problem: l10n.t('has no host name after "{0}"', scheme[0]) };
  const port = /^(?:\[[^\]]*\]|[^/:?#]*):(\d*)(?:[/?#]|$)/.exec(rest);
  if (port && (port[1] === '' || Number(port[1]) > 65535))
    return { problem: port[1] === '' ? l10n.t('has a ":" but no port number after the host') : l10n.t('has port {0}, outside 1–65535', port[1]) };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: l10n.t('has a host name or port that is not valid') };
  }
  if (url.username || url.password) {
    return {
      problem: l10n.t('contains a user name or password; credentials belong in your credentials profile or environment, not in the endpoint'),
      hidesValue: true,
    };
  }
  if (url.search || url.hash) return { problem: l10n.t('has a query (?…) or fragment (#…); give only the scheme, host, port and path') };
  return undefined;
}

/** An endpoint setting: empty means the provider's public endpoint. */
export function endpoint(example: string): SettingParser<string | undefined> {
  const asText = text();
  return (raw, key) => {
    const value = asText(raw, key);
    if (value === undefined) return undefined;
    const found = endpointProblem(value);
    if (!found) return value;
    // A URL with credentials is not quoted back: the password would reach the notification.
    const message = found.hidesValue
      ? l10n.t({
          message: '{0} {1}.',
          args: [key, found.problem],
          comment: ['{0} is a setting name, {1} what is wrong with its value, e.g. "contains a user name or password; …"'],
        })
      : l10n.t({
          message: '{0} {1} {2}.',
          args: [key, quote(value), found.problem],
          comment: ['{0} is a setting name, {1} its value in quotes, {2} what is wrong with it, e.g. "has no scheme; it must start with http:// or https://"'],
        });
    throw new SettingsError(
      message,
      key,
      'invalid',
      found.fix ? l10n.t('Did you mean {0}? Or clear {1}.', quote(found.fix), key) : l10n.t('Use e.g. {0}, or clear {1}.', example, key),
    );
  };
}
