/**
 * The Get Started walkthrough as package.json contributes it (its texts resolved from package.nls.json): its media exist and are packaged,
 * every command it names is contributed, and every step can tick off.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { PackageManager, listFiles } from '@vscode/vsce';
import { COMMANDS } from '../../src/commands/ids';
import { WALKTHROUGH_ID, walkthroughRef } from '../../src/ui/walkthroughOnce';
import { resolvedManifest } from '../support/manifest';

const ROOT = join(__dirname, '../..');

interface Step {
  id: string;
  title: string;
  description: string;
  media: { image?: string; altText?: string; markdown?: string; svg?: string };
  completionEvents?: string[];
}
interface Manifest {
  name: string;
  publisher: string;
  contributes: {
    commands: { command: string; title: string }[];
    configuration: { properties: Record<string, unknown> };
    walkthroughs?: { id: string; title: string; description: string; steps: Step[] }[];
  };
}

const manifest = resolvedManifest<Manifest>();
const walkthrough = manifest.contributes.walkthroughs?.find((w) => w.id === WALKTHROUGH_ID);
const steps = walkthrough?.steps ?? [];
const contributedCommands = manifest.contributes.commands.map((c) => c.command);
const settings = Object.keys(manifest.contributes.configuration.properties);

function mediaFiles(step: Step): string[] {
  return [step.media.image, step.media.markdown, step.media.svg].filter((file): file is string => file !== undefined);
}

/** Relative links and images inside a markdown medium, as paths from the extension's root. */
function linkedFrom(markdownFile: string): string[] {
  const text = readFileSync(join(ROOT, markdownFile), 'utf8');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] ?? '')
    .filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith('#'))
    .map((target) => join(dirname(markdownFile), target).replace(/\\/g, '/'));
}

describe('walkthrough: the Get Started contribution', () => {
  it(`contributes the walkthrough "${WALKTHROUGH_ID}" that Get Started opens, with steps`, () => {
    assert.ok(walkthrough, `package.json contributes no walkthrough "${WALKTHROUGH_ID}"`);
    assert.ok(walkthrough.title && walkthrough.description);
    assert.ok(steps.length >= 4, `${steps.length} steps`);
    assert.equal(walkthroughRef(`${manifest.publisher}.${manifest.name}`), `stackwatch.stackwatch#${WALKTHROUGH_ID}`);
    const getStarted = manifest.contributes.commands.find((c) => c.command === COMMANDS.getStarted);
    assert.equal(getStarted?.title, 'Get Started', 'Stackwatch: Get Started is not in the Command Palette');
  });

  it('covers configuring, deploying, the monitor, and the status bar with history', () => {
    const linked = steps.map((step) => [...step.description.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]));
    assert.deepEqual(linked, [[COMMANDS.configureStack], [COMMANDS.deployProject], [COMMANDS.showMonitor], [COMMANDS.showLastDeployment]]);
    assert.match(steps[3]?.description ?? '', /status bar/i);
  });

  it('gives each step a unique id, a title, a description and one medium with alt text for images', () => {
    assert.ok(steps.length > 0, 'no steps');
    assert.equal(new Set(steps.map((s) => s.id)).size, steps.length, 'two steps share an id');
    for (const step of steps) {
      assert.ok(step.title && step.description, `${step.id} has no title or description`);
      assert.equal(mediaFiles(step).length, 1, `${step.id}: a step shows one image, markdown or svg`);
      if (step.media.image) assert.ok(step.media.altText, `${step.id}: an image needs altText`);
    }
  });

  it('names only media that exist, including what the markdown media link to', () => {
    const files = steps.flatMap((step) => mediaFiles(step));
    assert.ok(files.length > 0, 'no media');
    const linked = files.filter((file) => file.endsWith('.md')).flatMap(linkedFrom);
    assert.deepEqual(
      [...files, ...linked].filter((file) => !existsSync(join(ROOT, file))),
      [],
    );
  });

  it('names only media that vsce packages', async () => {
    const packaged = await listFiles({ cwd: ROOT, packageManager: PackageManager.None });
    const files = steps.flatMap((step) => mediaFiles(step));
    assert.ok(files.length > 0, 'no media');
    const linked = files.filter((file) => file.endsWith('.md')).flatMap(linkedFrom);
    assert.deepEqual(
      [...files, ...linked].filter((file) => !packaged.includes(file)),
      [],
      'not packaged: add them to .vscodeignore',
    );
  });

  it('links only contributed commands', () => {
    const linked = steps.flatMap((step) => [...step.description.matchAll(/command:([\w.]+)/g)].map((m) => m[1] ?? ''));
    assert.ok(linked.length > 0);
    assert.deepEqual(
      linked.filter((command) => !contributedCommands.includes(command)),
      [],
    );
  });

  it('ticks every step off on a contributed command or setting', () => {
    assert.ok(steps.length > 0, 'no steps');
    for (const step of steps) {
      const events = step.completionEvents ?? [];
      assert.ok(events.length > 0, `${step.id} has no completionEvents`);
      for (const event of events) {
        const [kind, subject = ''] = event.split(/:(.*)/s);
        if (kind === 'onCommand') assert.ok(contributedCommands.includes(subject), `${step.id}: ${event} names no contributed command`);
        else if (kind === 'onSettingChanged') assert.ok(settings.includes(subject), `${step.id}: ${event} names no contributed setting`);
        else assert.fail(`${step.id}: ${event} is not an onCommand or onSettingChanged event`);
      }
    }
  });
});
