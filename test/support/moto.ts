/** Starts moto's server (an independent AWS emulator) on a free loopback port, if it is installed. */
import { spawn, type ChildProcess } from 'node:child_process';
import { findMoto, skipOutsideCi } from '../../scripts/testTools';
import { freePort } from './freePort';

/**
 * moto's Python, or why the moto checks skip (printed). Under CI a missing moto throws, so the
 * test file fails instead of reporting a green run without them.
 */
export function pythonWithMoto(): { python?: string; reason?: string } {
  const found = findMoto();
  if ('python' in found) return { python: found.python };
  return { reason: skipOutsideCi('the moto tests', found.problem) };
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
