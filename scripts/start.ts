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
import { startImSim } from '../tools/im-sim/index';
import { FaultProxy } from '../tools/fault-proxy/index';
import { CODE_SERVER_VERSION, ROOT, TOOLS, ensureCodeServer, run, startCodeServer } from './codeServer';
import { SAMPLE_EXISTING_RESOURCES, seedBrokenStack } from './sampleStacks';

/**
 * A port from its variable, or from the name it had before the simulators were renamed (cfn-sim,
 * im-sim), with a word about the new name: an old script must not silently get the default port.
 */
function port(name: string, formerName: string | undefined, fallback: number): number {
  const value = process.env[name] ?? (formerName ? process.env[formerName] : undefined);
  if (formerName && process.env[name] === undefined && process.env[formerName] !== undefined) console.warn(`${formerName} is now ${name}; using it this time.`);
  return Number(value ?? fallback);
}

const CFN_SIM_PORT = port('STACKWATCH_CFN_SIM_PORT', 'STACKWATCH_SIM_PORT', 4566);
const CODE_PORT = port('STACKWATCH_PORT', undefined, 8080);
/** The sample's stackwatch.gcp.endpoint names this port. */
const IM_SIM_PORT = port('STACKWATCH_IM_SIM_PORT', 'STACKWATCH_GCP_SIM_PORT', 8085);
/** Fault proxies in front of each simulator, so a stall or a lost answer can be tried by hand. */
const CFN_FAULTS_PORT = port('STACKWATCH_CFN_FAULTS_PORT', 'STACKWATCH_FAULTS_PORT', 4570);
const IM_FAULTS_PORT = port('STACKWATCH_IM_FAULTS_PORT', 'STACKWATCH_GCP_FAULTS_PORT', 8086);
/** Simulated seconds per real second: the sample blueprint's 8 s Cloud Run service takes 4 s. */
const IM_SIM_SPEED = 2;
const DEMO_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIASTACKWATCHDEMO',
  AWS_SECRET_ACCESS_KEY: 'stackwatch-demo',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
};

async function main(): Promise<void> {
  ensureCodeServer();
  console.log('Building and packaging the extension …');
  run('npm', ['run', '--silent', 'package']);

  const workspace = join(TOOLS, 'sample-workspace');
  rmSync(workspace, { recursive: true, force: true });
  cpSync(join(ROOT, 'sample'), workspace, { recursive: true });

  const cfnSim = await startCfnSim({ port: CFN_SIM_PORT, existingResources: SAMPLE_EXISTING_RESOURCES });
  await seedBrokenStack(cfnSim, 'orders-broken');
  const imSim = await startImSim({ port: IM_SIM_PORT, speed: IM_SIM_SPEED });
  const cfnFaults = await FaultProxy.start({ upstream: cfnSim.url, port: CFN_FAULTS_PORT });
  const imFaults = await FaultProxy.start({ upstream: imSim.rootUrl, port: IM_FAULTS_PORT });
  pointSampleAt(workspace, { 'stackwatch.aws.endpoint': cfnFaults.url, 'stackwatch.gcp.endpoint': imFaults.rootUrl });
  const codeServer = await startCodeServer({
    stateDir: join(TOOLS, 'code-server-state'),
    port: CODE_PORT,
    workspace,
    vsix: join(ROOT, 'stackwatch.vsix'),
    // The local Infrastructure Manager takes this token; Stackwatch uses it instead of ADC when set.
    env: { ...DEMO_CREDENTIALS, STACKWATCH_GCP_ACCESS_TOKEN: imSim.token },
  });

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping code-server and the simulators …');
    void Promise.all([codeServer.stop(), cfnFaults.close(), imFaults.close(), cfnSim.close(), imSim.close()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  console.log(`
Stackwatch is running.
  VS Code (code-server ${CODE_SERVER_VERSION}):  http://127.0.0.1:${CODE_PORT}/
  CloudFormation simulator:          ${cfnSim.url}  (state: ${cfnSim.url}/_sim/state)
  Infrastructure Manager simulator:  ${imSim.rootUrl}
  Fault injection:                   POST ${cfnFaults.url}/__faults (Google Cloud: ${imFaults.url}/__faults), see tools/fault-proxy/README.md
  Sample project:                    ${workspace}
Open the URL, press F1 and run "Stackwatch: Deploy Project". Ctrl-C stops everything.
`);
}

/** The ports may have been moved (STACKWATCH_CFN_SIM_PORT, …): point the copied sample's settings at the simulators. */
function pointSampleAt(workspace: string, endpoints: Record<string, string>): void {
  const file = join(workspace, '.vscode', 'settings.json');
  const settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, `${JSON.stringify({ ...settings, ...endpoints }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
