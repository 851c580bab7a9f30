/**
 * `npm start`: Stackwatch in a real VS Code without a cloud account. Builds and packages the
 * extension, starts the local CloudFormation simulator, leaves one stack in ROLLBACK_COMPLETE for
 * the recovery scenario, and serves code-server (VS Code 1.100) on a copy of the sample project.
 * Ctrl-C stops everything.
 */
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startCfnSim } from '../tools/cfn-sim/index';
import { CODE_SERVER_VERSION, ROOT, TOOLS, ensureCodeServer, run, startCodeServer } from './codeServer';
import { seedBrokenStack } from './sampleStacks';

const SIM_PORT = Number(process.env.STACKWATCH_SIM_PORT ?? 4566);
const CODE_PORT = Number(process.env.STACKWATCH_PORT ?? 8080);
const DEMO_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIASTACKWATCHDEMO', AWS_SECRET_ACCESS_KEY: 'stackwatch-demo', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };

async function main(): Promise<void> {
  ensureCodeServer();
  console.log('Building and packaging the extension …');
  run('npm', ['run', '--silent', 'package']);

  const workspace = join(TOOLS, 'sample-workspace');
  rmSync(workspace, { recursive: true, force: true });
  cpSync(join(ROOT, 'sample'), workspace, { recursive: true });

  const sim = await startCfnSim({ port: SIM_PORT });
  await seedBrokenStack(sim, 'orders-broken');
  const codeServer = await startCodeServer({
    stateDir: join(TOOLS, 'code-server-state'),
    port: CODE_PORT,
    workspace,
    vsix: join(ROOT, 'stackwatch.vsix'),
    env: DEMO_CREDENTIALS,
  });

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping code-server and the simulator …');
    void Promise.all([codeServer.stop(), sim.close()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

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
