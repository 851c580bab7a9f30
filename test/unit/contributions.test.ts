/**
 * The command IDs, context keys and setting keys the code uses (src/commands/ids.ts and each
 * provider's setting keys) against what package.json contributes, both ways: a command the
 * code registers but the manifest does not list never shows, and a listed one the code does not
 * register fails when clicked.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { COMMANDS, CONTEXT_KEYS, SETTING_KEYS } from '../../src/commands/ids';
import { allDescriptors } from '../../src/providers/registry';
import { AWS_SETTING_KEYS } from '../../src/providers/aws/settings';
import { GCP_SETTING_KEYS } from '../../src/providers/gcp/settings';
import { resolvedManifest } from '../support/manifest';

interface Manifest {
  contributes: {
    commands: { command: string }[];
    configuration: { properties: Record<string, unknown> };
    menus: Record<string, { command: string; when?: string }[]>;
  };
}

const manifest = resolvedManifest<Manifest>();
const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

function missingFrom(expected: readonly string[], actual: readonly string[]): string[] {
  return expected.filter((value) => !actual.includes(value));
}

describe('contributions: ids.ts and package.json', () => {
  it('every command in ids.ts is contributed, and every contributed command is in ids.ts', () => {
    const code = sorted(Object.values(COMMANDS));
    const contributed = sorted(manifest.contributes.commands.map((c) => c.command));
    assert.deepEqual(missingFrom(code, contributed), [], 'in ids.ts but not in package.json contributes.commands');
    assert.deepEqual(missingFrom(contributed, code), [], 'in package.json contributes.commands but not in ids.ts');
  });

  it('menus name only commands in ids.ts', () => {
    const code = Object.values(COMMANDS) as string[];
    const named = Object.entries(manifest.contributes.menus).flatMap(([menu, items]) => items.map((i) => `${menu}: ${i.command}`));
    assert.ok(named.length > 0, 'package.json has no menus');
    assert.deepEqual(
      named.filter((entry) => !code.includes(entry.split(': ')[1])),
      [],
    );
  });

  it('every setting key in the code is contributed, and every contributed setting has a key in the code', () => {
    const code = sorted([...Object.values(SETTING_KEYS), ...Object.values(AWS_SETTING_KEYS), ...Object.values(GCP_SETTING_KEYS)]);
    const contributed = sorted(Object.keys(manifest.contributes.configuration.properties));
    assert.deepEqual(missingFrom(code, contributed), [], 'in the code but not in package.json contributes.configuration');
    assert.deepEqual(missingFrom(contributed, code), [], 'in package.json contributes.configuration but in no key constant');
  });

  it('each provider reads exactly its own keys and the common ones: no setting is read by nobody', () => {
    const read = sorted([...Object.values(SETTING_KEYS), ...allDescriptors().flatMap((d) => d.settings.all.map((s) => s.key))]);
    assert.deepEqual(read, sorted(Object.keys(manifest.contributes.configuration.properties)));
  });

  it('every context key the code sets is used in a when clause', () => {
    const whens = Object.values(manifest.contributes.menus)
      .flatMap((items) => items.map((i) => i.when ?? ''))
      .join('\n');
    for (const key of Object.values(CONTEXT_KEYS)) assert.ok(whens.includes(key), `${key} is set by the code but no menu's when clause reads it`);
  });

  it('every stackwatch.* context key a when clause reads is one the code sets', () => {
    const whens = Object.values(manifest.contributes.menus)
      .flatMap((items) => items.map((i) => i.when ?? ''))
      .join('\n');
    // config.stackwatch.* reads a setting, which the test above checks.
    const used = sorted([...whens.matchAll(/(?<![\w.])stackwatch\.[A-Za-z]+/g)].map((m) => m[0]));
    assert.deepEqual(missingFrom(used, Object.values(CONTEXT_KEYS)), []);
  });
});
