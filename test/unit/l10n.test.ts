/**
 * Localizable strings: every sentence and label a person reads goes through `l10n.t`, where a
 * translation can replace it, and l10n/bundle.l10n.json (what translators start from) holds them all.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as l10n from '@vscode/l10n';
import { BUNDLE_PATH, englishBundle, stringSourceFiles } from '../../scripts/stringSources';
import { activeTranslations, useTranslations } from '../../src/shared/translations';
import { hardCodedStrings, misusedTranslateCalls, type Finding } from '../support/stringScan';

const ROOT = join(__dirname, '../..');

function listed(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.file}:${f.line}: ${JSON.stringify(f.text)}`).join('\n');
}

describe('localizable strings', () => {
  it('no sentence or label is hard-coded in the extension or the monitor page', () => {
    const findings = stringSourceFiles(ROOT).flatMap((file) => hardCodedStrings(join(ROOT, file)).map((f) => ({ ...f, file })));
    assert.equal(findings.length, 0, `Put these through l10n.t, or mark them "// l10n-exempt: <why>":\n${listed(findings)}`);
  });

  it('every l10n.t message is a literal, translated when it is called, not when its module loads', () => {
    const findings = stringSourceFiles(ROOT).flatMap((file) => misusedTranslateCalls(join(ROOT, file)).map((f) => ({ ...f, file })));
    assert.equal(findings.length, 0, listed(findings));
  });

  it(`${BUNDLE_PATH} holds exactly the sources' strings (npm run l10n writes it)`, async () => {
    assert.equal(readFileSync(join(ROOT, BUNDLE_PATH), 'utf8'), await englishBundle(ROOT));
  });

  it('the scan finds a sentence outside l10n.t, and not one inside it or marked exempt', () => {
    const source = [
      "const a = 'Deploy the stack';",
      "const b = l10n.t('Deploy the stack {0}', name);",
      'const c = `Stack ${name} is ready`;',
      "const d = 'npm run build'; // l10n-exempt: a shell command",
      "import x from 'some module';",
      "type T = 'two words';",
      "el('span', { class: 'muted small', 'aria-describedby': 'a b', title: 'Open the log' });",
    ].join('\n');
    assert.deepEqual(
      hardCodedStrings('sample.ts', source).map((f) => `${f.line}: ${f.text}`),
      ['1: Deploy the stack', '3: Stack  {}  is ready', '7: Open the log'],
    );
    const misuse = ["const top = l10n.t('At load');", 'function f(m: string) { return l10n.t(m); }', "function g() { return l10n.t('Fine'); }"].join('\n');
    assert.deepEqual(
      misusedTranslateCalls('sample.ts', misuse).map((f) => f.line),
      [1, 2],
    );
  });

  it('a bundle handed over replaces the English string, and undefined brings English back', () => {
    try {
      useTranslations({ 'Stop Deployment': 'Bereitstellung anhalten' });
      assert.equal(l10n.t('Stop Deployment'), 'Bereitstellung anhalten');
      assert.deepEqual(activeTranslations(), { 'Stop Deployment': 'Bereitstellung anhalten' });
    } finally {
      useTranslations(undefined);
    }
    assert.equal(l10n.t('Stop Deployment'), 'Stop Deployment');
  });
});
