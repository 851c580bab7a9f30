/**
 * code-server 4.100.3 (VS Code 1.100) for `npm start` and the workbench tests: installed once into
 * .tools/, started on loopback with its own user data, stopped with its whole process group.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..');
export const TOOLS = join(ROOT, '.tools');
export const CODE_SERVER_VERSION = '4.100.3';
const CODE_SERVER_DIR = join(TOOLS, 'code-server');
const CODE_SERVER = join(CODE_SERVER_DIR, 'node_modules', '.bin', 'code-server');
/** Written only after a complete install, so an interrupted one is redone. */
const INSTALLED_MARK = join(CODE_SERVER_DIR, `.installed-${CODE_SERVER_VERSION}`);

export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; quiet?: boolean } = {}): void {
  const result = spawnSync(command, args, { stdio: options.quiet ? 'pipe' : 'inherit', cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env } });
  if (result.status !== 0) {
    const output = options.quiet ? `\n${String(result.stdout)}${String(result.stderr)}` : '';
    throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})${output}`);
  }
}

export function ensureDebianPackages(packages: string[]): void {
  const missing = packages.filter((name) => spawnSync('dpkg', ['-s', name], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0)
    throw new Error(`Stackwatch needs these Debian packages: ${missing.join(' ')}. Install them with: sudo apt-get install -y ${missing.join(' ')}`);
  console.log(`Installing ${missing.join(', ')} …`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', ...missing], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
}

/** code-server's ripgrep dependency downloads from GitHub unless its cache already holds the tarball. */
function seedRipgrepCache(): void {
  const dir = join(tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const tarball = join(dir, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (existsSync(tarball)) return;
  mkdirSync(dir, { recursive: true });
  run('tar', ['-czf', tarball, '-C', '/usr/bin', 'rg']);
}

export function ensureCodeServer(): string {
  if (existsSync(INSTALLED_MARK)) return CODE_SERVER;
  ensureDebianPackages(['libkrb5-dev', 'ripgrep']);
  seedRipgrepCache();
  console.log(`Installing code-server ${CODE_SERVER_VERSION} into .tools/ (once; about a minute) …`);
  mkdirSync(CODE_SERVER_DIR, { recursive: true });
  // Its own package.json, so npm installs here instead of into the Stackwatch project above.
  writeFileSync(join(CODE_SERVER_DIR, 'package.json'), '{ "name": "stackwatch-tools", "private": true }\n');
  run('npm', ['install', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: CODE_SERVER_DIR,
    // code-server's postinstall builds VS Code's native modules through nested npm installs; npm 11
    // blocks dependency install scripts unless allowed, and only this setting reaches the nested ones.
    env: { npm_config_yes: 'true', npm_config_unsafe_perm: 'true', npm_config_dangerously_allow_all_scripts: 'true' },
  });
  writeFileSync(INSTALLED_MARK, new Date().toISOString());
  return CODE_SERVER;
}

export interface CodeServerOptions {
  /** Folder for user data, extensions and XDG dirs; reused across runs unless the caller clears it. */
  stateDir: string;
  port: number;
  workspace: string;
  /** A VSIX to install before starting. */
  vsix?: string;
  /**
   * Settings of the machine code-server runs on (user-data/Machine/settings.json). A remote window
   * takes machine-scoped settings, such as workbench.welcomePage.walkthroughs.openOnInstall, only
   * from there, not from the user settings.
   */
  machineSettings?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  /** Inherit code-server's output (npm start) or keep it for error messages (tests). */
  quiet?: boolean;
}

export interface RunningCodeServer {
  url: string;
  stop(): Promise<void>;
  /** Its last output, for error messages. */
  output(): string;
}

const USER_SETTINGS = {
  // Open on the project, not on VS Code's welcome walkthrough.
  'workbench.startupEditor': 'readme',
  'git.openRepositoryInParentFolders': 'never',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.enableExperiments': false,
};

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const bin = ensureCodeServer();
  const dirs = { user: join(options.stateDir, 'user-data'), extensions: join(options.stateDir, 'extensions'), xdg: join(options.stateDir, 'xdg') };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const userSettings = join(dirs.user, 'User', 'settings.json');
  if (!existsSync(userSettings)) {
    mkdirSync(join(dirs.user, 'User'), { recursive: true });
    writeFileSync(userSettings, JSON.stringify(USER_SETTINGS, null, 2));
  }
  if (options.machineSettings) {
    mkdirSync(join(dirs.user, 'Machine'), { recursive: true });
    writeFileSync(join(dirs.user, 'Machine', 'settings.json'), JSON.stringify(options.machineSettings, null, 2));
  }
  const env = {
    ...process.env,
    ...options.env,
    XDG_CONFIG_HOME: join(dirs.xdg, 'config'),
    XDG_DATA_HOME: join(dirs.xdg, 'data'),
    XDG_CACHE_HOME: join(dirs.xdg, 'cache'),
  };
  const common = ['--config', '/dev/null', '--user-data-dir', dirs.user, '--extensions-dir', dirs.extensions];
  if (options.vsix) run(bin, [...common, '--install-extension', options.vsix, '--force'], { env, quiet: options.quiet });
  const args = [
    ...common,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${options.port}`,
    '--disable-workspace-trust',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    options.workspace,
  ];
  const child = spawn(bin, args, { env, stdio: ['ignore', options.quiet ? 'pipe' : 'inherit', options.quiet ? 'pipe' : 'inherit'], detached: true });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${options.port}`;
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || !child.pid) return done();
      child.once('exit', () => done());
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        done();
      }
    });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}): ${output}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer within 60 s: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, stop, output: () => output };
}

/** Debian's Chromium by default; CHROMIUM_PATH points elsewhere (another build, or a missing file to check the failure). */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || DEBIAN_CHROMIUM;

/** Why Chromium cannot be launched, with the command that fixes it; undefined when it can. */
export function chromiumProblem(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  if (CHROMIUM_PATH !== DEBIAN_CHROMIUM)
    return `CHROMIUM_PATH=${CHROMIUM_PATH} does not exist. Point CHROMIUM_PATH at a Chromium executable, or unset it to use Debian's (${DEBIAN_CHROMIUM}: apt-get install -y chromium).`;
  return `${DEBIAN_CHROMIUM} is missing. Install it with: ${process.getuid?.() === 0 ? '' : 'sudo '}apt-get install -y chromium (or run: node --import tsx scripts/ensureTestTools.ts)`;
}

/**
 * Chromium for the browser test layers, installed from Debian as `npm start` installs code-server's
 * packages. A CHROMIUM_PATH that names a missing file is never "fixed" by installing Debian's:
 * the person asked for that browser, so they are told instead.
 */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (CHROMIUM_PATH !== DEBIAN_CHROMIUM) throw new Error(chromiumProblem());
  ensureDebianPackages(['chromium']);
  const problem = chromiumProblem();
  if (problem) throw new Error(`chromium is installed but ${problem}`);
  return CHROMIUM_PATH;
}

/** Chromium launched the way this machine allows: no sandbox as root, no background traffic. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
