/**
 * Endpoint settings (stackwatch.aws.endpoint, stackwatch.gcp.endpoint): a URL the SDKs can use,
 * checked here so a typo is explained ("has no scheme") instead of surfacing as "Invalid URL".
 */
import { quote } from './describeValue';
import { SettingsError } from './settingsError';
import { text, type SettingParser } from './settingTypes';

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

function whitespaceName(character: string): string {
  if (character === ' ') return 'a space';
  if (character === '\t') return 'a tab';
  return /[\r\n]/.test(character) ? 'a line break' : 'whitespace';
}

/** What is wrong with the endpoint, with the fix when there is an obvious one; undefined if usable. */
export function endpointProblem(value: string): { problem: string; fix?: string } | undefined {
  const space = /\s/.exec(value);
  if (space) {
    const trimmed = value.trim();
    return { problem: `contains ${whitespaceName(space[0])} at position ${space.index + 1}`, fix: trimmed && !/\s/.test(trimmed) ? trimmed : undefined };
  }
  const scheme = SCHEME.exec(value);
  if (!scheme) {
    const half = /^(https?):\/?(?!\/)/i.exec(value);
    if (half) return { problem: `needs two slashes after "${half[1]}:"`, fix: `${half[1].toLowerCase()}://${value.slice(half[0].length)}` };
    return { problem: 'has no scheme; it must start with http:// or https://', fix: `http://${value.replace(/^\/+/, '')}` };
  }
  const protocol = scheme[1].toLowerCase();
  if (protocol !== 'http' && protocol !== 'https') return { problem: `uses the scheme "${scheme[1]}:"; only http:// and https:// endpoints are supported` };
  const rest = value.slice(scheme[0].length);
  if (rest === '' || rest.startsWith('/')) return { problem: `has no host name after "${scheme[0]}"` };
  const port = /^(?:\[[^\]]*\]|[^/:?#]*):(\d*)(?:[/?#]|$)/.exec(rest);
  if (port && (port[1] === '' || Number(port[1]) > 65535))
    return { problem: port[1] === '' ? 'has a ":" but no port number after the host' : `has port ${port[1]}, outside 1–65535` };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: 'has a host name or port that is not valid' };
  }
  if (url.username || url.password)
    return { problem: 'contains a user name or password; credentials belong in your credentials profile or environment, not in the endpoint' };
  if (url.search || url.hash) return { problem: 'has a query (?…) or fragment (#…); give only the scheme, host, port and path' };
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
    const shown = found.problem.startsWith('contains a user name') ? '' : ` ${quote(value)}`;
    throw new SettingsError(
      `${key}${shown} ${found.problem}.`,
      key,
      'invalid',
      found.fix ? `Did you mean ${quote(found.fix)}? Or clear ${key}.` : `Use e.g. ${example}, or clear ${key}.`,
    );
  };
}
