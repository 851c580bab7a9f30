import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, createNonce, monitorHtml } from '../../src/ui/monitorHtml';

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

  it('makes a fresh unguessable nonce each time', () => {
    const a = createNonce();
    const b = createNonce();
    assert.notEqual(a, b);
    assert.ok(a.length >= 22);
    assert.match(a, /^[A-Za-z0-9+/]+$/);
  });
});
