/**
 * `npm run sim:im -- --port 8085 --speed 10`: runs im-sim until SIGINT / SIGTERM.
 */
import { parseArgs } from 'node:util';
import { numberOption, stopOnSignals } from '../sim-kit/cli';
import { startImSim, type CancelBehaviour, type ResourceReporting } from './index';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8085' },
      host: { type: 'string', default: '127.0.0.1' },
      speed: { type: 'string', default: '1' },
      token: { type: 'string', default: 'sim-token' },
      'preview-seconds': { type: 'string' },
      'resource-seconds': { type: 'string' },
      'setup-seconds': { type: 'string' },
      'cancel-behaviour': { type: 'string' },
      'resource-reporting': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'usage: npm run sim:im -- [--port 8085] [--host 127.0.0.1] [--speed 1] [--token sim-token] [--preview-seconds 3] [--resource-seconds 2] [--setup-seconds 1] [--cancel-behaviour boundary|ignored|unimplemented] [--resource-reporting live|afterApply|never]',
    );
    return;
  }
  const sim = await startImSim({
    host: values.host,
    port: numberOption(values.port, 'port'),
    speed: numberOption(values.speed, 'speed'),
    token: values.token,
    previewSeconds: optionalNumber(values['preview-seconds'], 'preview-seconds'),
    resourceSeconds: optionalNumber(values['resource-seconds'], 'resource-seconds'),
    setupSeconds: optionalNumber(values['setup-seconds'], 'setup-seconds'),
    // Checked by startImSim (checkedCancelBehaviour, checkedResourceReporting).
    cancelBehaviour: values['cancel-behaviour'] as CancelBehaviour | undefined,
    resourceReporting: values['resource-reporting'] as ResourceReporting | undefined,
  });
  console.log(sim.rootUrl);
  console.log(`im-sim listening (speed ${values.speed}x). Send "Authorization: Bearer ${sim.token}".`);

  stopOnSignals('im-sim', () => sim.close());
}

function optionalNumber(value: string | undefined, name: string): number | undefined {
  return value === undefined ? undefined : numberOption(value, name);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
