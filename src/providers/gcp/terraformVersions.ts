/**
 * stackwatch.gcp.terraformVersion checked against the versions Infrastructure Manager offers
 * (projects.locations.terraformVersions.list), before anything is uploaded: a version it does not
 * have, or has deprecated or retired, would otherwise fail minutes later in Cloud Build, and once a
 * deployment runs a version it cannot go back to an earlier one
 * (https://cloud.google.com/infrastructure-manager/docs/terraform). A list that cannot be read
 * decides nothing: the error goes on as it came (a Transient one is retried like any read).
 */
import * as l10n from '@vscode/l10n';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import { ProviderError } from '../provider';
import type { GcpCaller } from './calls';
import { GCP_SETTING_KEYS } from './settings';

/** The service lists at most 500 per page by default; a few pages are every version there is. */
const MAX_PAGES = 5;

type Version = [number, number, number];
interface Clause {
  op: '=' | '!=' | '>' | '>=' | '<' | '<=' | '~>';
  version: Version;
  /** How many parts were written: `~> 1.5` and `~> 1.5.7` differ. */
  parts: number;
}

export interface TerraformVersionLookup {
  caller: GcpCaller;
  im: config_v1.Config;
  /** projects/P/locations/L */
  parent: string;
}

export async function checkTerraformVersion(lookup: TerraformVersionLookup, constraint: string, signal: AbortSignal): Promise<void> {
  const clauses = parseConstraint(constraint);
  const offered = await listVersions(lookup, signal);
  if (offered.length === 0) {
    // An empty list is no answer: refusing every version on it would be deciding on nothing.
    throw new ProviderError(
      'Transient',
      l10n.t(
        'terraformVersions.list answered with no Terraform versions for {0}; asking again before checking {1}.',
        lookup.parent,
        GCP_SETTING_KEYS.terraformVersion,
      ),
      {
        providerCode: 'UNREADABLE_RESPONSE',
      },
    );
  }
  const matching = offered.filter((v) => clauses.every((c) => satisfies(v.version, c)));
  if (matching.some((v) => v.state === 'ACTIVE')) return;
  const supported = offered
    .filter((v) => v.state === 'ACTIVE')
    .sort((a, b) => compare(b.version, a.version))
    .map((v) => v.id);
  const retired = matching.map(retiredVersion);
  const location = lookup.parent.split('/').pop() ?? lookup.parent;
  const key = GCP_SETTING_KEYS.terraformVersion;
  const listed = supported.join(', ') || l10n.t('none listed');
  const message =
    retired.length > 0
      ? l10n.t(
          '{0} is "{1}". Infrastructure Manager no longer supports it: {2}. Supported versions: {3}. Nothing was uploaded.',
          key,
          constraint,
          retired.join('; '),
          listed,
        )
      : l10n.t(
          '{0} is "{1}". Infrastructure Manager in {2} offers no Terraform version that matches it. Supported versions: {3}. Nothing was uploaded.',
          key,
          constraint,
          location,
          listed,
        );
  throw new ProviderError('Validation', message, {
    hint: supported[0]
      ? l10n.t(
          'Set {0} to a supported version, e.g. "{1}", or leave it empty for the service\'s default. A deployment cannot move to an earlier Terraform version than it runs.',
          key,
          supported[0],
        )
      : l10n.t(
          "Set {0} to a supported version, or leave it empty for the service's default. A deployment cannot move to an earlier Terraform version than it runs.",
          key,
        ),
    providerCode: 'TERRAFORM_VERSION_UNSUPPORTED',
  });
}

interface Offered {
  id: string;
  version: Version;
  state?: string;
  since?: string;
}

/** An offered version that matches but is not ACTIVE, with its state and since when. */
function retiredVersion(v: Offered): string {
  const since = v.since?.slice(0, 10);
  if (v.state && since) return l10n.t('{0} is {1} since {2}', v.id, v.state, since);
  if (v.state) return l10n.t('{0} is {1}', v.id, v.state);
  if (since) return l10n.t('{0} is in no known state since {1}', v.id, since);
  return l10n.t('{0} is in no known state', v.id);
}

async function listVersions(lookup: TerraformVersionLookup, signal: AbortSignal): Promise<Offered[]> {
  const all: Offered[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const listed = await lookup.caller.call('terraformVersions.list', signal, (o) =>
      lookup.im.projects.locations.terraformVersions.list({ parent: lookup.parent, pageToken }, o),
    );
    for (const entry of listed.terraformVersions ?? []) {
      const id = entry.name?.split('/').pop() ?? '';
      const version = parseVersion(id);
      if (!version) continue;
      const since = entry.state === 'OBSOLETE' ? entry.obsoleteTime : entry.state === 'DEPRECATED' ? entry.deprecateTime : undefined;
      all.push({ id, version, ...(entry.state ? { state: entry.state } : {}), ...(since ? { since } : {}) });
    }
    pageToken = listed.nextPageToken || undefined;
    if (!pageToken) break;
  }
  return all;
}

function parseVersion(text: string): Version | undefined {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

/** Terraform's constraint syntax: comma-separated `op version`, op one of = != > >= < <= ~> (none: =). */
export function parseConstraint(constraint: string): Clause[] {
  const clauses: Clause[] = [];
  for (const part of constraint.split(',')) {
    const match = /^\s*(==|=|!=|>=|<=|>|<|~>)?\s*v?(\d+(?:\.\d+){0,2})\s*$/.exec(part);
    const version = match ? parseVersion(match[2] ?? '') : undefined;
    if (!match || !version) {
      throw new ProviderError(
        'Validation',
        l10n.t('{0} is "{1}", which is not a Terraform version constraint.', GCP_SETTING_KEYS.terraformVersion, constraint.slice(0, 60)),
        {
          hint: l10n.t('Write a version such as "1.5.7", or a constraint such as ">= 1.5" or "~> 1.5.0".'),
          providerCode: 'INVALID_SETTING',
        },
      );
    }
    const op = match[1] === '==' || match[1] === undefined ? '=' : (match[1] as Clause['op']);
    clauses.push({ op, version, parts: (match[2] ?? '').split('.').length });
  }
  return clauses;
}

function satisfies(version: Version, clause: Clause): boolean {
  const order = compare(version, clause.version);
  switch (clause.op) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '~>': {
      // Only the rightmost written part may grow: ~> 1.5 is >= 1.5, < 2.0; ~> 1.5.7 is >= 1.5.7, < 1.6.0.
      const [major, minor] = clause.version;
      const upper: Version = clause.parts <= 2 ? [major + 1, 0, 0] : [major, minor + 1, 0];
      return order >= 0 && compare(version, upper) < 0;
    }
  }
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
