/**
 * `npm start`: Stackwatch in a real VS Code without a cloud account. Builds and packages the
 * extension, starts the local CloudFormation simulator, leaves one stack in ROLLBACK_COMPLETE for
 * the recovery scenario, and serves code-server (VS Code 1.100) on a copy of the sample project.
 * It also starts the local Infrastructure Manager endpoint for the Google Cloud sample (set
 * stackwatch.provider to "gcp" in the sample's settings). Ctrl-C stops everything.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCfnSim } from '../tools/cfn-sim/index';
import { startGcpSim } from '../test/gcp-sim/index';
import { FaultProxy } from '../tools/fault-proxy/index';
import { CODE_SERVER_VERSION, ROOT, TOOLS, ensureCodeServer, run, startCodeServer } from './codeServer';
import { seedBrokenStack } from './sampleStacks';

const SIM_PORT = Number(process.env.STACKWATCH_SIM_PORT ?? 4566);
const CODE_PORT = Number(process.env.STACKWATCH_PORT ?? 8080);
/** The sample's stackwatch.gcp.endpoint names this port. */
const GCP_SIM_PORT = Number(process.env.STACKWATCH_GCP_SIM_PORT ?? 8085);
/** Fault proxies in front of each simulator, so a stall or a lost answer can be tried by hand. */
const FAULTS_PORT = Number(process.env.STACKWATCH_FAULTS_PORT ?? 4570);
const GCP_FAULTS_PORT = Number(process.env.STACKWATCH_GCP_FAULTS_PORT ?? 8086);
/** Simulated seconds per real second: the sample blueprint's 8 s Cloud Run service takes 4 s. */
const GCP_SIM_SPEED = 2;
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
  const gcpSim = await startGcpSim({ port: GCP_SIM_PORT, speed: GCP_SIM_SPEED });
  const awsFaults = await FaultProxy.start({ upstream: sim.url, port: FAULTS_PORT });
  const gcpFaults = await FaultProxy.start({ upstream: gcpSim.rootUrl, port: GCP_FAULTS_PORT });
  pointSampleAt(workspace, { 'stackwatch.aws.endpoint': awsFaults.url, 'stackwatch.gcp.endpoint': gcpFaults.rootUrl });
  const codeServer = await startCodeServer({
    stateDir: join(TOOLS, 'code-server-state'),
    port: CODE_PORT,
    workspace,
    vsix: join(ROOT, 'stackwatch.vsix'),
    // The local Infrastructure Manager takes this token; Stackwatch uses it instead of ADC when set.
    env: { ...DEMO_CREDENTIALS, STACKWATCH_GCP_ACCESS_TOKEN: gcpSim.token },
  });

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping code-server and the simulator …');
    void Promise.all([codeServer.stop(), awsFaults.close(), gcpFaults.close(), sim.close(), gcpSim.close()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  console.log(`
Stackwatch is running.
  VS Code (code-server ${CODE_SERVER_VERSION}):  http://127.0.0.1:${CODE_PORT}/
  CloudFormation simulator:          ${sim.url}  (state: ${sim.url}/_sim/state)
  Infrastructure Manager simulator:  ${gcpSim.rootUrl}
  Fault injection:                   POST ${awsFaults.url}/__faults (Google Cloud: ${gcpFaults.url}/__faults), see tools/fault-proxy/README.md
  Sample project:                    ${workspace}
Open the URL, press F1 and run "Stackwatch: Deploy Project". Ctrl-C stops everything.
`);
}

/** The ports may have been moved (STACKWATCH_SIM_PORT, …): point the copied sample's settings at the simulators. */
function pointSampleAt(workspace: string, endpoints: Record<string, string>): void {
  const file = join(workspace, '.vscode', 'settings.json');
  const settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, `${JSON.stringify({ ...settings, ...endpoints }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
