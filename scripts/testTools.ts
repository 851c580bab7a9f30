/**
 * The tools the test layers need beyond npm, and the one rule for when one is missing: under CI it
 * is a broken set-up and the run fails; on a developer's machine the few checks that need Python
 * (moto, cfn-lint) may skip, but they always print why and the command that brings the tool.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The venv .ci/run installs moto and cfn-lint into when the machine has no Python with them. */
const CI_VENV_PYTHON = join(resolve(__dirname, '..'), '.tools', 'python', 'bin', 'python3');

export function inCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * The reason a check cannot run, for `describe(…, { skip })` or `t.skip()`, after printing it.
 * Under CI it throws instead: a skipped layer there would make a green run that tested nothing.
 */
export function skipOutsideCi(what: string, reason: string): string {
  const message = `${what}: ${reason}`;
  if (inCi()) throw new Error(`CI must run ${message}`);
  console.log(`# SKIPPED ${message}`);
  return message;
}

/** STACKWATCH_PYTHON (.ci/run sets it to the Python it found), else .ci/run's venv, else python3 on PATH. */
export function pythonForTools(): string {
  return process.env.STACKWATCH_PYTHON || (existsSync(CI_VENV_PYTHON) ? CI_VENV_PYTHON : 'python3');
}

/** A Python that imports moto's server, or why there is none. */
export function findMoto(): { python: string } | { problem: string } {
  const python = pythonForTools();
  const probe = spawnSync(python, ['-c', 'import moto.server, moto; print(moto.__version__)'], { encoding: 'utf8' });
  if (probe.error) return { problem: `${python} is not available (${probe.error.message}); set STACKWATCH_PYTHON to a Python with moto` };
  if (probe.status !== 0) {
    const last = probe.stderr.trim().split('\n').pop() ?? `exit ${probe.status}`;
    return { problem: `moto is not installed for ${python} (${last}); install it with: ${python} -m pip install 'moto[server]'` };
  }
  return { python };
}

/** Why cfn-lint (as the extension runs it, from PATH) cannot run, or undefined when it can. */
export function cfnLintProblem(): string | undefined {
  const probe = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  if (probe.error)
    return `cfn-lint is not on PATH (${probe.error.message}); install it with: ${pythonForTools()} -m pip install cfn-lint, and put its bin folder on PATH`;
  if (probe.status !== 0) return `cfn-lint --version failed (exit ${probe.status}): ${probe.stderr.trim().split('\n').pop() ?? ''}`;
  return undefined;
}
