import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, createNonce, monitorHtml, TRANSLATIONS_ATTRIBUTE } from '../../src/ui/monitorHtml';

const options = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'abc123',
  scriptUri: 'https://x/dist/webview/main.js',
  styleUri: 'https://x/dist/webview/main.css',
  codiconUri: 'https://x/dist/webview/codicon.css',
  title: 'Deploy "a<b"',
};

describe('monitor HTML', () => {
  it('has a strict CSP: nonce scripts only, no inline or eval', () => {
    const csp = contentSecurityPolicy(options.cspSource, 'n1');
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, /script-src 'nonce-n1'$/);
    assert.doesNotMatch(csp, /unsafe-/);
    assert.doesNotMatch(csp, /\*/);
  });

  it('loads the bundle with the nonce and escapes attribute values', () => {
    const html = monitorHtml(options);
    assert.match(html, /<script type="module" nonce="abc123" src="https:\/\/x\/dist\/webview\/main.js"><\/script>/);
    assert.match(html, /<title>Deploy &quot;a&lt;b&quot;<\/title>/);
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'no inline script besides the bundle');
    assert.doesNotMatch(html, /style="/);
  });

  it('carries the translations to the page as data that hostile text cannot break out of', () => {
    const hostile = `"></body><script>alert(1)</script><img src=x onerror="alert(2)">&amp;'`;
    const translations = { 'Stop Deployment': 'Bereitstellung anhalten', [hostile]: hostile };
    const html = monitorHtml({ ...options, translations, language: 'de"x' });
    const body = /<body data-l10n="([^"]*)">/.exec(html);
    assert.ok(body, 'the translations sit in one double-quoted attribute on <body>');
    assert.equal(TRANSLATIONS_ATTRIBUTE, 'data-l10n');
    // What the browser hands the page (dataset) is the attribute value with its entities decoded.
    const decoded = (body[1] ?? '')
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    assert.deepEqual(JSON.parse(decoded), translations);
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'no script but the bundle');
    assert.equal((html.match(/<body/g) ?? []).length, 1);
    assert.doesNotMatch(html, /<img/);
    assert.match(html, /<html lang="de&quot;x">/);
  });

  it('in English, carries no translations and says lang="en"', () => {
    const html = monitorHtml(options);
    assert.match(html, /<html lang="en">/);
    assert.match(html, /<body>/);
    assert.doesNotMatch(html, /data-l10n/);
  });

  it('makes a fresh unguessable nonce each time', () => {
    const a = createNonce();
    const b = createNonce();
    assert.notEqual(a, b);
    assert.ok(a.length >= 22);
    assert.match(a, /^[A-Za-z0-9+/]+$/);
  });
});
