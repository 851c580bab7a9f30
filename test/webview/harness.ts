/**
 * Serves the built webview the way the monitor panel does: the host's own HTML and CSP (with the
 * server as cspSource), codicons from dist/webview, and a stub acquireVsCodeApi that records what
 * the page posts. Themes are VS Code's own variables and default webview stylesheet, captured by
 * scripts/captureThemeVariables.ts into themes/.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { HostMessage, WebviewMessage } from '../../src/shared/protocol';
import type { Translations } from '../../src/shared/translations';
import { createNonce, monitorHtml } from '../../src/ui/monitorHtml';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumProblem } from '../../scripts/codeServer';

export const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist', 'webview');
const THEME_DIR = join(__dirname, 'themes');

/**
 * Throws, with the command that fixes it, when the webview tests cannot run here. There is no
 * skipping: a missing browser once made `npm test` green with this whole layer unrun.
 */
export function requireWebviewTools(): void {
  const problems = [
    chromiumProblem(),
    existsSync(join(DIST, 'main.js')) ? undefined : `${join(DIST, 'main.js')} is missing; run: node scripts/build.mjs`,
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0) throw new Error(`The webview tests cannot run: ${problems.join(' ')}`);
}

/** VS Code's default themes, as captured by scripts/captureThemeVariables.ts into themes/<name>.css. */
export const THEMES = ['dark', 'light', 'hc-dark', 'hc-light'] as const;
export type Theme = (typeof THEMES)[number];

/** The classes VS Code puts on a webview's body for each kind of theme (light HC keeps the older class too). */
const BODY_CLASSES: Record<Theme, string> = {
  dark: 'vscode-dark',
  light: 'vscode-light',
  'hc-dark': 'vscode-high-contrast',
  'hc-light': 'vscode-high-contrast-light vscode-high-contrast',
};

function isTheme(value: string | null): value is Theme {
  return (THEMES as readonly (string | null)[]).includes(value);
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html' };

/**
 * The host's own HTML shell (src/ui/monitorHtml.ts), with the server as cspSource, plus what the
 * workbench adds to every webview: its default stylesheet, the theme's variables and body classes.
 */
function page(origin: string, theme: Theme, nonce: string, translations?: Translations): string {
  const html = monitorHtml({
    translations,
    cspSource: origin,
    nonce,
    scriptUri: `${origin}/webview/main.js`,
    styleUri: `${origin}/webview/main.css`,
    codiconUri: `${origin}/webview/codicon.css`,
    title: 'Deployment monitor',
  });
  // VS Code puts its default webview stylesheet first in the head and sets the theme's variables on
  // <html>; here both are stylesheets after the CSP meta, under the same policy as everything else.
  const vscodeStyles = [`${origin}/themes/webview-defaults.css`, `${origin}/themes/${theme}.css`]
    .map((href) => `<link rel="stylesheet" href="${href}">\n`)
    .join('');
  return html.replace('<meta name="viewport"', `${vscodeStyles}<meta name="viewport"`).replace('<body', `<body class="${BODY_CLASSES[theme]}"`);
}

export class Harness {
  private constructor(
    readonly browser: Browser,
    private readonly server: Server,
    readonly origin: string,
    /** Translations handed to pages opened with them (as the host does), by the id in the page's URL. */
    private readonly bundles: Map<string, Translations>,
  ) {}

  static async start(): Promise<Harness> {
    const bundles = new Map<string, Translations>();
    const server = createServer((req, res) => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        if (url.pathname === '/') {
          const asked = url.searchParams.get('theme');
          const theme: Theme = isTheme(asked) ? asked : 'dark';
          const translations = bundles.get(url.searchParams.get('l10n') ?? '');
          res.writeHead(200, { 'content-type': TYPES['.html'] }).end(page(origin, theme, createNonce(), translations));
          return;
        }
        // The browser asks on its own; a 404 would read as a page error.
        if (url.pathname === '/favicon.ico') {
          res.writeHead(204).end();
          return;
        }
        const [, area, ...rest] = url.pathname.split('/');
        const base = area === 'webview' ? DIST : area === 'themes' ? THEME_DIR : undefined;
        const file = base ? normalize(join(base, ...rest)) : undefined;
        if (!base || !file || !file.startsWith(base)) {
          res.writeHead(404).end();
          return;
        }
        try {
          const body = await readFile(file);
          res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
        } catch {
          res.writeHead(404).end();
        }
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    });
    return new Harness(browser, server, origin, bundles);
  }

  /**
   * Opens the monitor page; `state` is what vscode.getState() returns (a hidden panel's saved model),
   * `translations` what the host embeds from activeTranslations().
   */
  async open(options: { theme?: Theme; state?: unknown; width?: number; timezoneId?: string; translations?: Translations } = {}): Promise<Monitor> {
    const context = await this.browser.newContext({
      viewport: { width: options.width ?? 900, height: 700 },
      colorScheme: options.theme === 'light' || options.theme === 'hc-light' ? 'light' : 'dark',
      timezoneId: options.timezoneId,
    });
    const page = await context.newPage();
    // tsx (esbuild keepNames) wraps named functions in __name(); functions serialised into the page need it too.
    await page.addInitScript('window.__name = (fn) => fn;');
    await page.addInitScript((state: unknown) => {
      const w = window as unknown as Record<string, unknown>;
      const posted: unknown[] = [];
      const csp: string[] = [];
      let saved = state;
      w.__posted = posted;
      w.__csp = csp;
      w.__acquired = 0;
      document.addEventListener('securitypolicyviolation', (event) =>
        csp.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`),
      );
      w.acquireVsCodeApi = () => {
        w.__acquired = (w.__acquired as number) + 1;
        return {
          postMessage: (message: unknown) => posted.push(JSON.parse(JSON.stringify(message))),
          getState: () => saved,
          setState: (next: unknown) => {
            saved = next;
            w.__state = next;
          },
        };
      };
    }, options.state ?? null);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
    page.on('response', (response) => {
      if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    let bundle = '';
    if (options.translations) {
      bundle = String(this.bundles.size + 1);
      this.bundles.set(bundle, options.translations);
    }
    await page.goto(`${this.origin}/?theme=${options.theme ?? 'dark'}${bundle ? `&l10n=${bundle}` : ''}`);
    await page.waitForFunction(() => ((window as unknown as { __posted: unknown[] }).__posted ?? []).length > 0);
    return new Monitor(page, errors);
  }

  async close(): Promise<void> {
    await this.browser.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export class Monitor {
  constructor(
    readonly page: Page,
    /** Page errors and console errors: a clean page has none. */
    readonly errors: string[],
  ) {}

  /** Posts a host message and resolves once the page's own message handler has run. */
  async send(message: HostMessage): Promise<void> {
    await this.page.evaluate(
      (msg) =>
        new Promise<void>((resolve) => {
          // Listeners run in registration order, so this one runs after the app's.
          const after = () => {
            window.removeEventListener('message', after);
            resolve();
          };
          window.addEventListener('message', after);
          window.postMessage(msg, '*');
        }),
      message as unknown as Record<string, unknown>,
    );
  }

  async posted(): Promise<WebviewMessage[]> {
    return this.page.evaluate(() => (window as unknown as { __posted: WebviewMessage[] }).__posted);
  }

  async clearPosted(): Promise<void> {
    await this.page.evaluate(() => {
      (window as unknown as { __posted: unknown[] }).__posted.length = 0;
    });
  }

  async cspViolations(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
  }

  async savedState(): Promise<unknown> {
    return this.page.evaluate(() => (window as unknown as { __state?: unknown }).__state);
  }

  async close(): Promise<void> {
    await this.page.context().close();
  }
}
