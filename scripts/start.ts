/**
 * `npm start`: Stackwatch in a real VS Code without a cloud account. Builds and packages the
 * extension, starts the local CloudFormation simulator, leaves one stack in ROLLBACK_COMPLETE for
 * the recovery scenario, and serves code-server (VS Code 1.100) on a copy of the sample project.
 * Ctrl-C stops everything.
 */
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient, CreateChangeSetCommand, DescribeChangeSetCommand, DescribeStacksCommand, ExecuteChangeSetCommand } from '@aws-sdk/client-cloudformation';
import { startCfnSim, type CfnSim } from '../tools/cfn-sim/index';
import { CODE_SERVER_VERSION, ROOT, TOOLS, ensureCodeServer, run, startCodeServer } from './codeServer';

const SIM_PORT = Number(process.env.STACKWATCH_SIM_PORT ?? 4566);
const CODE_PORT = Number(process.env.STACKWATCH_PORT ?? 8080);
const DEMO_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIASTACKWATCHDEMO', AWS_SECRET_ACCESS_KEY: 'stackwatch-demo', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };

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

async function main(): Promise<void> {
  ensureCodeServer();
  console.log('Building and packaging the extension …');
  run('npm', ['run', '--silent', 'package']);

  const workspace = join(TOOLS, 'sample-workspace');
  rmSync(workspace, { recursive: true, force: true });
  cpSync(join(ROOT, 'sample'), workspace, { recursive: true });

  const sim = await startCfnSim({ port: SIM_PORT });
  await seedBrokenStack(sim);
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
