/** Starts moto's server (an independent AWS emulator) on a free loopback port, if it is installed. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from './freePort';

const DEFAULT_PYTHON = '/root/.pyenv/versions/3.11.7/bin/python3';

export function pythonWithMoto(): { python?: string; reason?: string } {
  const python = process.env.STACKWATCH_PYTHON ?? (existsSync(DEFAULT_PYTHON) ? DEFAULT_PYTHON : 'python3');
  const probe = spawnSync(python, ['-c', 'import moto.server, moto; print(moto.__version__)'], { encoding: 'utf8' });
  if (probe.error) return { reason: `${python} is not available (${probe.error.message})` };
  if (probe.status !== 0) return { reason: `moto is not installed for ${python}: ${probe.stderr.trim().split('\n').pop()}` };
  return { python };
}

export interface MotoServer {
  url: string;
  stop(): Promise<void>;
}

export async function startMoto(python: string): Promise<MotoServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto exited early (${child.exitCode}): ${stderr}`);
    try {
      const response = await fetch(`${url}/moto-api/`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto did not start within 30 s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
