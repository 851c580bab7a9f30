/** The editor language of a saved staged artefact. Pure. */

export function templateLanguage(body: string): 'json' | 'yaml' {
  return body.trimStart().startsWith('{') ? 'json' : 'yaml';
}
