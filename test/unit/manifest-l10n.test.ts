/**
 * The manifest's texts are localizable: every text package.json shows a person (name, description,
 * command titles, settings, the walkthrough, the trust prompt) is a `%key%` that package.nls.json
 * holds in English and a package.nls.<locale>.json can translate, and package.nls.json holds
 * nothing that is not used.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { NLS_REFERENCE, ROOT, englishManifestTexts, rawManifest } from '../support/manifest';

/** Fields under `contributes` whose text VS Code shows (the Command Palette, Settings, views, the walkthrough). */
const SHOWN_FIELDS = new Set([
  'title',
  'shortTitle',
  'category',
  'description',
  'markdownDescription',
  'deprecationMessage',
  'markdownDeprecationMessage',
  'enumDescriptions',
  'markdownEnumDescriptions',
  'altText',
  'label',
  'contextualTitle',
]);

/** Fields of `contributes.views.*[]`, where `name` is what the view's header shows. */
const VIEW_FIELDS = new Set(['name']);

interface Text {
  path: string;
  value: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Every shown text of the manifest, with where it is. */
function shownTexts(manifest: unknown): Text[] {
  if (!isObject(manifest)) return [];
  const found: Text[] = [];
  for (const field of ['displayName', 'description']) if (field in manifest) found.push({ path: field, value: manifest[field] });
  const capabilities = manifest.capabilities;
  for (const kind of ['untrustedWorkspaces', 'virtualWorkspaces']) {
    const capability = isObject(capabilities) ? capabilities[kind] : undefined;
    if (isObject(capability) && 'description' in capability) found.push({ path: `capabilities.${kind}.description`, value: capability.description });
  }
  const walk = (value: unknown, path: string, inView: boolean): void => {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}[${i}]`, inView));
    if (!isObject(value)) return;
    for (const [key, item] of Object.entries(value)) {
      const at = `${path}.${key}`;
      // A setting's default is a value, not a text.
      if (key === 'default') continue;
      if (SHOWN_FIELDS.has(key) || (inView && VIEW_FIELDS.has(key))) {
        if (Array.isArray(item)) item.forEach((text, i) => found.push({ path: `${at}[${i}]`, value: text }));
        else found.push({ path: at, value: item });
      } else walk(item, at, inView || path === 'contributes.views');
    }
  };
  walk(manifest.contributes, 'contributes', false);
  return found;
}

/** Every `%key%` in the manifest, wherever it is. */
function references(value: unknown): string[] {
  if (typeof value === 'string') {
    const key = NLS_REFERENCE.exec(value)?.[1];
    return key === undefined ? [] : [key];
  }
  if (Array.isArray(value)) return value.flatMap(references);
  if (isObject(value)) return Object.values(value).flatMap(references);
  return [];
}

function notReferences(manifest: unknown): string[] {
  return shownTexts(manifest)
    .filter((text) => typeof text.value !== 'string' || !NLS_REFERENCE.test(text.value))
    .map((text) => `${text.path}: ${JSON.stringify(text.value)}`);
}

describe('manifest: localizable texts', () => {
  const manifest = rawManifest();
  const english = englishManifestTexts();

  it('every text package.json shows is a %key% from package.nls.json', () => {
    assert.ok(shownTexts(manifest).length > 50, `only ${shownTexts(manifest).length} texts found: is the walk still finding them?`);
    assert.deepEqual(notReferences(manifest), [], 'write these in package.nls.json and put "%key%" in package.json');
  });

  it('every %key% package.json uses is in package.nls.json, with a text', () => {
    const used = [...new Set(references(manifest))];
    assert.deepEqual(
      used.filter((key) => typeof english[key] !== 'string' || english[key].trim() === ''),
      [],
      'missing from package.nls.json',
    );
  });

  it('package.nls.json has no key package.json does not use', () => {
    const used = new Set(references(manifest));
    assert.deepEqual(
      Object.keys(english).filter((key) => !used.has(key)),
      [],
      'unused in package.json: remove them from package.nls.json',
    );
  });

  it('a translation (package.nls.<locale>.json) has only keys package.nls.json has', () => {
    const translations = readdirSync(ROOT).filter((file) => /^package\.nls\.[\w-]+\.json$/.test(file));
    for (const file of translations) {
      const keys = Object.keys(JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, string>);
      assert.deepEqual(
        keys.filter((key) => !(key in english)),
        [],
        `${file} has keys package.nls.json does not`,
      );
    }
  });

  it('the check finds a literal text and passes a %key%', () => {
    const sample = {
      displayName: '%extension.displayName%',
      description: 'Deploy a stack',
      contributes: {
        commands: [{ command: 'x.deploy', title: 'Deploy', category: '%command.category%' }],
        configuration: {
          title: '%config.title%',
          properties: { 'x.mode': { enum: ['a', 'b'], enumDescriptions: ['%a%', 'Mode b'], default: { title: 'not a text' } } },
        },
        views: { explorer: [{ id: 'x.view', name: 'Stacks' }] },
        walkthroughs: [{ id: 'w', title: '%w.title%', steps: [{ id: 's', title: '%s%', media: { image: 'a.png', altText: 'A picture' } }] }],
      },
    };
    assert.deepEqual(notReferences(sample), [
      'description: "Deploy a stack"',
      'contributes.commands[0].title: "Deploy"',
      'contributes.configuration.properties.x.mode.enumDescriptions[1]: "Mode b"',
      'contributes.views.explorer[0].name: "Stacks"',
      'contributes.walkthroughs[0].steps[0].media.altText: "A picture"',
    ]);
  });
});
