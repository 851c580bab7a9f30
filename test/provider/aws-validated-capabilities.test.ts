/**
 * The template step remembers what ValidateTemplate said of a template by its text (the real
 * initializer, adapter and SDK against the simulator, counting the simulator's calls): an unchanged
 * template is not validated twice, a changed one is, a rejected one is never remembered, nothing
 * of a parameter's default reaches storage, and a storage that fails costs only the shortcut.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { AwsProvider } from '../../src/providers/aws/awsProvider';
import type { AwsStackSettings } from '../../src/providers/aws/settings';
import type { ProviderMemory } from '../../src/providers/descriptor';
import { createTemplateInitializer } from '../../src/providers/aws/template/initialize';
import { VALIDATED_KEY } from '../../src/providers/aws/template/validatedCapabilities';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { MemoryMemento } from '../support/memoryMemento';
import { awsProvider } from '../support/awsDeployment';

const ROLE_TEMPLATE = [
  'Parameters:',
  '  Secret:',
  '    Type: String',
  '    NoEcho: true',
  '    Default: hunter2-default',
  'Resources:',
  '  Role:',
  '    Type: AWS::IAM::Role',
  '    Properties:',
  '      AssumeRolePolicyDocument: {}',
  '',
].join('\n');

describe('ValidateTemplate is asked once per template text (simulator)', () => {
  let sim: CfnSim;
  let provider: AwsProvider;
  let dir: string;
  let templatePath: string;
  let memory: MemoryMemento;

  before(async () => {
    sim = await startCfnSim({ speed: 50 });
    provider = awsProvider(sim.url);
    dir = mkdtempSync(join(tmpdir(), 'stackwatch-validated-'));
    templatePath = join(dir, 'template.yaml');
  });
  beforeEach(() => {
    sim.reset();
    memory = new MemoryMemento();
    writeFileSync(templatePath, ROLE_TEMPLATE);
  });
  after(async () => {
    provider.dispose();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const settings = (): AwsStackSettings => ({
    provider: 'aws',
    templatePath,
    stackName: 'validated-caps',
    region: 'us-east-1',
    endpoint: sim.url,
    parameters: {},
    capabilities: [],
    autoExecute: false,
    cfnLint: 'off',
  });

  async function initialize(withMemory: ProviderMemory | undefined) {
    const step = createTemplateInitializer(settings(), provider, { memory: withMemory, endpoint: { region: 'us-east-1', endpoint: sim.url } });
    return step(
      { deploymentId: 'validated', round: 0, target: { provider: 'aws', name: 'validated-caps', region: 'us-east-1' } },
      new AbortController().signal,
    );
  }
  const validations = () => sim.calls().filter((c) => c.action === 'ValidateTemplate').length;

  it('validates an unchanged template once, with the same capabilities both times', async () => {
    const first = await initialize(memory);
    const second = await initialize(memory);
    assert.equal(validations(), 1);
    assert.deepEqual(second.capabilities, first.capabilities);
    assert.ok(first.capabilities.includes('CAPABILITY_IAM'), `an IAM role needs CAPABILITY_IAM: ${first.capabilities.join(', ')}`);
  });

  it('validates again when the text changes, and every time without storage', async () => {
    await initialize(memory);
    writeFileSync(templatePath, `${ROLE_TEMPLATE}# a comment changes the text\n`);
    await initialize(memory);
    assert.equal(validations(), 2);
    await initialize(undefined);
    await initialize(undefined);
    assert.equal(validations(), 4);
  });

  it('never remembers a rejected template', async () => {
    writeFileSync(templatePath, 'Resources:\n  Broken:\n    Type: AWS::SQS::Queue\n    DependsOn: Missing\n');
    await assert.rejects(initialize(memory), /rejected the template/);
    await assert.rejects(initialize(memory), /rejected the template/);
    assert.equal(validations(), 2);
  });

  it('stores capabilities only: not a NoEcho parameter’s default', async () => {
    await initialize(memory);
    const stored = JSON.stringify(memory.data.get(VALIDATED_KEY));
    assert.match(stored, /CAPABILITY_IAM/);
    assert.doesNotMatch(stored, /hunter2/);
  });

  it('goes on when storage fails: the template is validated and the step succeeds', async () => {
    memory.failWrites = true;
    const result = await initialize(memory);
    assert.ok(result.capabilities.includes('CAPABILITY_IAM'));
    await initialize(memory);
    assert.equal(validations(), 2, 'nothing was remembered');
  });
});
