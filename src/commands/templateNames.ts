/** The editor language of a saved staged artefact, and the file name Save offers for it. Pure. */

export function templateLanguage(body: string): 'json' | 'yaml' {
  return body.trimStart().startsWith('{') ? 'json' : 'yaml';
}

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * The name a person would give it: the target, what it is, and when it was saved in local time, to
 * the minute, e.g. orders-api-staged-2026-12-01-0612.yaml. The time keeps a second save from
 * offering the name of the first (the save dialog still asks before it replaces a file).
 */
export function savedFileName(targetName: string, label: string, extension: 'json' | 'yaml', savedAt: Date): string {
  const date = `${savedAt.getFullYear()}-${two(savedAt.getMonth() + 1)}-${two(savedAt.getDate())}`;
  const time = `${two(savedAt.getHours())}${two(savedAt.getMinutes())}`;
  const name = targetName.replace(/[^-A-Za-z0-9_.]/g, '-');
  return `${name}-${label}-${date}-${time}.${extension}`;
}
