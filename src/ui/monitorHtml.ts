/**
 * The monitor's HTML shell. Pure: the host passes webview URIs as strings, so the strict CSP
 * (nonce-only scripts, no inline styles or eval) is unit-tested. The page has its own copy of
 * `@vscode/l10n`; the host's translations ride along as a JSON data attribute on <body> (data, not
 * script, so the CSP stays as it is), and the page configures them before it paints anything.
 */
import { randomBytes } from 'node:crypto';
import type { Translations } from '../shared/translations';

export interface MonitorHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconUri: string;
  title: string;
  /** `activeTranslations()`: undefined when VS Code runs in English. */
  translations?: Translations;
  /** `vscode.env.language`, for <html lang>; English when absent. */
  language?: string;
}

/** The <body> attribute that carries the translations to the page (webview-ui/src/main.ts reads it). */
export const TRANSLATIONS_ATTRIBUTE = 'data-l10n';

/** 128 bits from the OS CSPRNG, base64 without padding (valid in a CSP nonce source). */
export function createNonce(): string {
  return randomBytes(16).toString('base64').replace(/=+$/, '');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  // l10n-exempt: CSP directives, read by the browser
  return ["default-src 'none'", `img-src ${cspSource} data:`, `style-src ${cspSource}`, `font-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function monitorHtml(options: MonitorHtmlOptions): string {
  const a = escapeAttribute;
  const translations = options.translations ? ` ${TRANSLATIONS_ATTRIBUTE}="${a(JSON.stringify(options.translations))}"` : '';
  // l10n-exempt: HTML markup; the page's own words come from the translations it carries
  return `<!DOCTYPE html>
<html lang="${a(options.language ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${a(contentSecurityPolicy(options.cspSource, options.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${a(options.codiconUri)}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${a(options.styleUri)}">
<title>${a(options.title)}</title>
</head>
<body${translations}>
<main id="app"></main>
<script type="module" nonce="${a(options.nonce)}" src="${a(options.scriptUri)}"></script>
</body>
</html>`;
}
