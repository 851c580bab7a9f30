/**
 * `npm start`: Stackwatch in a real VS Code without a cloud account. Builds and packages the
 * extension, starts the local CloudFormation simulator, leaves one stack in ROLLBACK_COMPLETE for
 * the recovery scenario, and serves code-server (VS Code 1.100) on a copy of the sample project.
 * Ctrl-C stops everything.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CloudFormationClient, CreateChangeSetCommand, DescribeChangeSetCommand, DescribeStacksCommand, ExecuteChangeSetCommand } from '@aws-sdk/client-cloudformation';
import { startCfnSim, type CfnSim } from '../tools/cfn-sim/index';

const ROOT = resolve(__dirname, '..');
const TOOLS = join(ROOT, '.tools');
const CODE_SERVER_VERSION = '4.100.3';
const CODE_SERVER_DIR = join(TOOLS, 'code-server');
const CODE_SERVER = join(CODE_SERVER_DIR, 'node_modules', '.bin', 'code-server');
/** Written only after a complete install, so an interrupted one is redone. */
const INSTALLED_MARK = join(CODE_SERVER_DIR, `.installed-${CODE_SERVER_VERSION}`);
const SIM_PORT = Number(process.env.STACKWATCH_SIM_PORT ?? 4566);
const CODE_PORT = Number(process.env.STACKWATCH_PORT ?? 8080);
const DEMO_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIASTACKWATCHDEMO', AWS_SECRET_ACCESS_KEY: 'stackwatch-demo', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
}

function ensureDebianPackages(packages: string[]): void {
  const missing = packages.filter((name) => spawnSync('dpkg', ['-s', name], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`code-server needs these Debian packages: ${missing.join(' ')}. Install them with: sudo apt-get install -y ${missing.join(' ')}`);
  console.log(`Installing ${missing.join(', ')} …`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', ...missing]);
}

/** code-server's ripgrep dependency downloads from GitHub unless its cache already holds the tarball. */
function seedRipgrepCache(): void {
  const dir = join(tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const tarball = join(dir, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (existsSync(tarball)) return;
  mkdirSync(dir, { recursive: true });
  run('tar', ['-czf', tarball, '-C', '/usr/bin', 'rg']);
}

function ensureCodeServer(): void {
  if (existsSync(INSTALLED_MARK)) return;
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
}

/** A stack left in ROLLBACK_COMPLETE, for the consent-and-recreate scenario. */
async function seedBrokenStack(sim: CfnSim): Promise<void> {
  const cfn = new CloudFormationClient({ region: 'us-east-1', endpoint: sim.url, credentials: { accessKeyId: 'seed', secretAccessKey: 'seed' } });
  const body = 'Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Metadata:\n      Stackwatch:\n        Fail: "Table already exists: orders"\n';
  const created = await cfn.send(new CreateChangeSetCommand({ StackName: 'orders-broken', ChangeSetName: 'seed', ChangeSetType: 'CREATE', TemplateBody: body }));
  sim.advance(10);
  await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: created.Id }));
  await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: created.Id }));
  sim.advance(60);
  const status = (await cfn.send(new DescribeStacksCommand({ StackName: 'orders-broken' }))).Stacks?.[0]?.StackStatus;
  cfn.destroy();
  if (status !== 'ROLLBACK_COMPLETE') throw new Error(`the sample stack orders-broken ended ${status}, not ROLLBACK_COMPLETE`);
}

function startCodeServer(workspace: string, vsix: string): ChildProcess {
  const state = join(TOOLS, 'code-server-state');
  const dirs = { user: join(state, 'user-data'), extensions: join(state, 'extensions'), xdg: join(state, 'xdg') };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const env = {
    ...process.env,
    ...DEMO_CREDENTIALS,
    XDG_CONFIG_HOME: join(dirs.xdg, 'config'),
    XDG_DATA_HOME: join(dirs.xdg, 'data'),
    XDG_CACHE_HOME: join(dirs.xdg, 'cache'),
  };
  // Open on the sample project, not on VS Code's welcome walkthrough.
  const userSettings = join(dirs.user, 'User', 'settings.json');
  if (!existsSync(userSettings)) {
    mkdirSync(join(dirs.user, 'User'), { recursive: true });
    writeFileSync(
      userSettings,
      JSON.stringify({ 'workbench.startupEditor': 'readme', 'git.openRepositoryInParentFolders': 'never', 'telemetry.telemetryLevel': 'off', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false }, null, 2),
    );
  }
  const common = ['--config', '/dev/null', '--user-data-dir', dirs.user, '--extensions-dir', dirs.extensions];
  run(CODE_SERVER, [...common, '--install-extension', vsix, '--force'], { env });
  const args = [
    ...common,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${CODE_PORT}`,
    '--disable-workspace-trust', '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
    workspace,
  ];
  return spawn(CODE_SERVER, args, { env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
}

async function main(): Promise<void> {
  ensureCodeServer();
  console.log('Building and packaging the extension …');
  run('npm', ['run', '--silent', 'package']);

  const workspace = join(TOOLS, 'sample-workspace');
  rmSync(workspace, { recursive: true, force: true });
  cpSync(join(ROOT, 'sample'), workspace, { recursive: true });

  const sim = await startCfnSim({ port: SIM_PORT });
  await seedBrokenStack(sim);
  const codeServer = startCodeServer(workspace, join(ROOT, 'stackwatch.vsix'));

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping code-server and the simulator …');
    try {
      if (codeServer.pid) process.kill(-codeServer.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  codeServer.on('exit', (code) => {
    if (!stopping) console.error(`code-server exited (${code}).`);
    stop();
  });

  console.log(`
Stackwatch is running.
  VS Code (code-server ${CODE_SERVER_VERSION}):  http://127.0.0.1:${CODE_PORT}/
  CloudFormation simulator:          ${sim.url}  (state: ${sim.url}/_sim/state)
  Sample project:                    ${workspace}
Open the URL, press F1 and run "Stackwatch: Deploy Project". Ctrl-C stops everything.
`);
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
