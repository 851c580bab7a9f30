/**
 * Writes test/webview/themes/<theme>.css from VS Code's own default themes, so the webview tests
 * see the colours a user sees. It starts code-server (VS Code 1.100), opens a Markdown preview (a
 * webview like the monitor) and, for each theme, reads the `--vscode-*` variables and body classes
 * the workbench gives that webview. The tests read the committed files and never need code-server.
 *
 *   node --import tsx scripts/captureThemeVariables.ts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Frame, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CODE_SERVER_VERSION, ROOT, ensureChromium, startCodeServer } from './codeServer';
import { freePort } from '../test/support/freePort';

/** The harness's theme names, and the VS Code themes they stand for. */
const THEMES = [
  { file: 'dark', label: 'Default Dark Modern' },
  { file: 'light', label: 'Default Light Modern' },
  { file: 'hc-dark', label: 'Default High Contrast' },
  { file: 'hc-light', label: 'Default High Contrast Light' },
] as const;

interface Captured {
  /** The stylesheet VS Code puts first in every webview (body, code, kbd, links, scrollbars). */
  defaultStyles: string;
  bodyClasses: string[];
  themeId: string;
  variables: [string, string][];
}

/** The webview's inner document: the frame whose body carries the workbench's theme data. */
async function webviewFrame(page: Page, themeId: string): Promise<Frame> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    for (const frame of page.frames()) {
      const id = await frame.evaluate<string | undefined>('document.body?.dataset.vscodeThemeId').catch(() => undefined);
      if (id === themeId) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no webview shows the theme "${themeId}"`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// A string, since this project's scripts compile without the DOM library.
const READ_WEBVIEW_THEME = `(() => {
  const style = document.documentElement.style;
  const variables = [];
  for (let i = 0; i < style.length; i++) {
    const name = style[i];
    if (name.startsWith('--')) variables.push([name, style.getPropertyValue(name).trim()]);
  }
  return {
    defaultStyles: document.getElementById('_defaultStyles')?.textContent ?? '',
    // Only the theme's classes: the Markdown preview adds its own.
    bodyClasses: [...document.body.classList].filter((name) => /^vscode-(light|dark|high-contrast)/.test(name)),
    themeId: document.body.dataset.vscodeThemeId ?? '',
    variables,
  };
})()`;

async function capture(frame: Frame): Promise<Captured> {
  return frame.evaluate<Captured>(READ_WEBVIEW_THEME);
}

function css(theme: (typeof THEMES)[number], captured: Captured): string {
  const lines = captured.variables
    .filter(([name]) => name.startsWith('--vscode-') || name === '--text-link-decoration')
    .sort(([a], [b]) => a.localeCompare(b))
    // The workbench names a webview variable after the colour id with only its first dot replaced;
    // the rest must be escaped to stay one CSS identifier.
    .map(([name, value]) => `  ${name.replace(/\./g, '\\.')}: ${value};`);
  return [
    `/*`,
    ` * VS Code's "${theme.label}" theme (id ${captured.themeId}), as code-server ${CODE_SERVER_VERSION} gives it to a`,
    ` * webview: every variable it sets on the webview's <html>. Webview body classes: ${captured.bodyClasses.join(' ')}.`,
    ` * Generated; do not edit. Regenerate with: node --import tsx scripts/captureThemeVariables.ts`,
    ` */`,
    `html {`,
    ...lines,
    `}`,
    ``,
  ].join('\n');
}

const DEFAULTS_FILE = join(ROOT, 'test', 'webview', 'themes', 'webview-defaults.css');

function defaultsCss(styles: string): string {
  if (!styles.includes('code {')) throw new Error("the webview has no default stylesheet (#_defaultStyles); VS Code's webview shell changed");
  const body = styles
    .split('\n')
    .map((line) =>
      line
        .replace(/^\t\t\t/, '')
        .replace(/\t/g, '  ')
        .trimEnd(),
    )
    .join('\n')
    .trim();
  return [
    `/*`,
    ` * The stylesheet code-server ${CODE_SERVER_VERSION} (VS Code 1.100) puts first in every webview's <head>.`,
    ` * Generated; do not edit. Regenerate with: node --import tsx scripts/captureThemeVariables.ts`,
    ` */`,
    body,
    ``,
  ].join('\n');
}

/** Through the palette; retried, since the Markdown extension's commands appear a moment after start-up. */
async function openMarkdownPreview(page: Page): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input.input').fill('>Markdown: Open Preview');
      // The palette ranks "Open Locked Preview to the Side" first; pick the plain one.
      await page
        .locator('.quick-input-list .monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: /^Markdown: Open Preview$/ }) })
        .click({ timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 5) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

/** One code-server per theme: a fresh start reads the theme from user settings for certain. */
async function captureTheme(theme: (typeof THEMES)[number]): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'stackwatch-themes-'));
  const workspace = join(work, 'workspace');
  const stateDir = join(work, 'code-server');
  mkdirSync(join(stateDir, 'user-data', 'User'), { recursive: true });
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'README.md'), '# Theme capture\n');
  writeFileSync(
    join(stateDir, 'user-data', 'User', 'settings.json'),
    JSON.stringify(
      { 'workbench.colorTheme': theme.label, 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'workbench.enableExperiments': false },
      null,
      2,
    ),
  );
  const codeServer = await startCodeServer({ stateDir, port: await freePort(), workspace, quiet: true });
  const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    page.setDefaultTimeout(30_000);
    await page.goto(`${codeServer.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'README.md' }).click();
    await page.locator('.tabs-container .tab', { hasText: 'README.md' }).waitFor();
    await openMarkdownPreview(page);
    const captured = await capture(await webviewFrame(page, theme.label));
    const target = join(ROOT, 'test', 'webview', 'themes', `${theme.file}.css`);
    writeFileSync(target, css(theme, captured));
    writeFileSync(DEFAULTS_FILE, defaultsCss(captured.defaultStyles));
    console.log(`${theme.label}: ${captured.variables.length} variables, body "${captured.bodyClasses.join(' ')}" → ${target}`);
  } finally {
    await browser.close();
    await codeServer.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  for (const theme of THEMES) await captureTheme(theme);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
