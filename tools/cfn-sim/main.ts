/**
 * `npm run sim:cfn -- --port 4566 --speed 10`: runs cfn-sim until SIGINT / SIGTERM.
 */
import { parseArgs } from 'node:util';
import { numberOption, stopOnSignals } from '../sim-kit/cli';
import { startCfnSim } from './index';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4566' },
      host: { type: 'string', default: '127.0.0.1' },
      speed: { type: 'string', default: '1' },
      region: { type: 'string' },
      'change-set-seconds': { type: 'string' },
      durations: { type: 'string' },
      'duration-seed': { type: 'string' },
      'duration-jitter': { type: 'string' },
      'no-event-tokens': { type: 'boolean', default: false },
      'no-operation-ids': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'usage: npm run sim:cfn -- [--port 4566] [--host 127.0.0.1] [--speed 1] [--region us-east-1] [--change-set-seconds 2]\n' +
        '                      [--durations fixed|realistic] [--duration-seed 1] [--duration-jitter 0.2] [--no-event-tokens] [--no-operation-ids]',
    );
    return;
  }
  const sim = await startCfnSim({
    host: values.host,
    port: numberOption(values.port, 'port'),
    speed: numberOption(values.speed, 'speed'),
    region: values.region,
    changeSetSeconds: values['change-set-seconds'] === undefined ? undefined : numberOption(values['change-set-seconds'], 'change-set-seconds'),
    durations: durationsOption(values.durations),
    durationSeed: values['duration-seed'] === undefined ? undefined : numberOption(values['duration-seed'], 'duration-seed'),
    durationJitter: values['duration-jitter'] === undefined ? undefined : numberOption(values['duration-jitter'], 'duration-jitter'),
    echoEventTokens: values['no-event-tokens'] ? false : undefined,
    echoOperationIds: values['no-operation-ids'] ? false : undefined,
  });
  console.log(`cfn-sim listening on ${sim.url} (speed ${values.speed}x). State: ${sim.url}/_sim/state`);

  stopOnSignals('cfn-sim', () => sim.close());
}

function durationsOption(value: string | undefined): 'fixed' | 'realistic' | undefined {
  if (value === undefined || value === 'fixed' || value === 'realistic') return value;
  throw new Error(`--durations must be fixed or realistic, got ${value}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
