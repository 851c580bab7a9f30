/**
 * `tsx tools/fault-proxy/main.ts --upstream http://127.0.0.1:4566 --port 4570`: runs the proxy until
 * SIGINT / SIGTERM. Arm faults with POST /__faults (see control.ts).
 */
import { parseArgs } from 'node:util';
import { numberOption, stopOnSignals } from '../sim-kit/cli';
import { FaultProxy } from './proxy';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      upstream: { type: 'string' },
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || values.upstream === undefined) {
    console.log('usage: tsx tools/fault-proxy/main.ts --upstream http://127.0.0.1:4566 [--port 0] [--host 127.0.0.1]');
    if (!values.help) process.exitCode = 2;
    return;
  }
  const proxy = await FaultProxy.start({ upstream: values.upstream, port: numberOption(values.port, 'port'), host: values.host });
  console.log(`fault-proxy listening on ${proxy.url} -> ${values.upstream}. Faults: ${proxy.url}/__faults`);
  stopOnSignals('fault-proxy', () => proxy.close());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
