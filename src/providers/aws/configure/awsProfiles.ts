/** Profile names from the shared AWS config and credentials files, for the first-run quick pick. */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';

/** `[default]`, `[profile dev]` in config; `[dev]` in credentials. SSO sessions are not profiles. */
export function profileNames(configText: string, credentialsText = ''): string[] {
  const names = new Set<string>();
  for (const match of configText.matchAll(/^\s*\[\s*(?:profile\s+)?([^\]\s]+)\s*\]/gm)) {
    if (/^\s*\[\s*sso-session\s/.test(match[0]) || /^\s*\[\s*services\s/.test(match[0])) continue;
    names.add(match[1]);
  }
  for (const match of credentialsText.matchAll(/^\s*\[\s*([^\]\s]+)\s*\]/gm)) names.add(match[1]);
  return [...names].sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));
}

async function readOptional(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return '';
  }
}

export async function readProfileNames(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const config = env.AWS_CONFIG_FILE ?? path.join(homedir(), '.aws', 'config');
  const credentials = env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(homedir(), '.aws', 'credentials');
  return profileNames(await readOptional(config), await readOptional(credentials));
}
