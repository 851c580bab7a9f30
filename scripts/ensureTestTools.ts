/**
 * `npm test`'s first step: installs what the test layers need, as `npm start` does (Debian's
 * Chromium, and code-server into .tools/ with its Debian packages), or fails with the command to
 * run. A run is never green with a layer skipped for want of a tool.
 *
 *   node --import tsx scripts/ensureTestTools.ts [webview] [workbench] [e2e] [python]
 *
 * With no layer named it prepares them all. "python" is moto and cfn-lint: .ci/run finds a Python
 * with them or installs them into .tools/python; this only checks, so outside CI their checks skip
 * and this says so; under CI it fails.
 */
import { ensureChromium, ensureCodeServer } from './codeServer';
import { cfnLintProblem, findMoto, inCi } from './testTools';

type Layer = 'webview' | 'workbench' | 'e2e' | 'python';
const LAYERS: readonly Layer[] = ['webview', 'workbench', 'e2e', 'python'];

function chosenLayers(args: readonly string[]): Layer[] {
  const unknown = args.filter((arg) => !(LAYERS as readonly string[]).includes(arg));
  if (unknown.length > 0) throw new Error(`Unknown test layer ${unknown.join(', ')}; use any of: ${LAYERS.join(' ')}`);
  return args.length === 0 ? [...LAYERS] : (args as Layer[]);
}

/** Problems that fail the run, and warnings (skips outside CI) that are printed. */
function prepare(layers: readonly Layer[]): { problems: string[]; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  const attempt = (what: string, step: () => void): void => {
    try {
      step();
    } catch (error) {
      problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  if (layers.some((layer) => layer !== 'python')) attempt('Chromium (webview, workbench and e2e tests)', () => void ensureChromium());
  if (layers.includes('workbench') || layers.includes('e2e')) attempt('code-server (workbench and e2e tests)', () => void ensureCodeServer());
  if (layers.includes('python')) {
    const moto = findMoto();
    const python = [
      ...('problem' in moto ? [`moto tests: ${moto.problem}`] : []),
      ...[cfnLintProblem()].filter((p): p is string => p !== undefined).map((p) => `real cfn-lint tests: ${p}`),
    ];
    (inCi() ? problems : warnings).push(...python);
  }
  return { problems, warnings };
}

function main(): number {
  const { problems, warnings } = prepare(chosenLayers(process.argv.slice(2)));
  for (const warning of warnings) console.log(`# WILL SKIP (not CI) ${warning}`);
  if (problems.length === 0) {
    console.log(`Test tools ready${warnings.length > 0 ? ', except the skips above' : ''}.`);
    return 0;
  }
  console.error(`The tests cannot run on this machine${inCi() ? ' (CI: every layer must run)' : ''}:`);
  for (const problem of problems) console.error(`  - ${problem}`);
  return 1;
}

process.exit(main());
