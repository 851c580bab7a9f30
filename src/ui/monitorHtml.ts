/**
 * The monitor's HTML shell. Pure: the host passes webview URIs as strings, so the strict CSP
 * (nonce-only scripts, no inline styles or eval) is unit-tested.
 */
import { randomBytes } from 'node:crypto';

export interface MonitorHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconUri: string;
  title: string;
}

/** 128 bits from the OS CSPRNG, base64 without padding (valid in a CSP nonce source). */
export function createNonce(): string {
  return randomBytes(16).toString('base64').replace(/=+$/, '');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return ["default-src 'none'", `img-src ${cspSource} data:`, `style-src ${cspSource}`, `font-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function monitorHtml(options: MonitorHtmlOptions): string {
  const a = escapeAttribute;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${a(contentSecurityPolicy(options.cspSource, options.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${a(options.codiconUri)}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${a(options.styleUri)}">
<title>${a(options.title)}</title>
</head>
<body>
<main id="app"></main>
<script type="module" nonce="${a(options.nonce)}" src="${a(options.scriptUri)}"></script>
</body>
</html>`;
}
