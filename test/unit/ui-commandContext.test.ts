/**
 * The `when`-clause context keys, from real snapshots of a real deployment actor, and the menus
 * of package.json read with them: a command shows only while it can act.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { SimulatedClock, createActor } from 'xstate';
import { CONTEXT_KEYS, COMMANDS } from '../../src/commands/ids';
import { createDeploymentMachine, type DeploymentActor } from '../../src/deployment/machine';
import { providerActors } from '../../src/deployment/providerActors';
import { commandContextOf, windowCommandContext, type CommandContext } from '../../src/ui/commandContextModel';
import { CallGate, gatedProvider, gatedWorkspace } from '../support/gatedProvider';
import { INITIALIZED, deploymentInput, described, executed, polls, staged, stagedResults } from '../support/deploymentFixtures';
import { resolvedManifest } from '../support/manifest';

const tick = () => new Promise((resolve) => setImmediate(resolve));

function start() {
  const gate = new CallGate();
  const clock = new SimulatedClock();
  const machine = createDeploymentMachine({ random: () => 0.5 }).provide({ actors: providerActors(gatedProvider(gate), gatedWorkspace(gate)) });
  const actor: DeploymentActor = createActor(machine, { input: deploymentInput({ autoExecute: false }), clock });
  actor.start();
  const answer = async (name: string, value?: unknown) => {
    (await gate.next(name)).resolve(value);
    await tick();
  };
  const wait = async () => {
    clock.increment(20_000);
    await tick();
  };
  return { actor, answer, wait };
}

async function toReview(d: ReturnType<typeof start>) {
  await d.answer('preflight');
  await d.answer('initialize', INITIALIZED);
  await d.answer('describeTarget', described.ready);
  await d.answer('stage', staged);
  await d.wait();
  await d.answer('describeStaged', stagedResults.ready);
}

interface MenuItem {
  command: string;
  when?: string;
}
const manifest = resolvedManifest<{ contributes: { menus: Record<string, MenuItem[]> } }>();

/**
 * A `when` clause (`&&`, `||`, `!`, parentheses) read with the Stackwatch keys of `context`; any
 * other condition (the editor's language, a file name, a setting) counts as met, so the answer
 * is whether the deployment's keys let the item show.
 */
function shows(when: string, context: CommandContext): boolean {
  const tokens =
    when
      .match(/&&|\|\||!(?!=)|\(|\)|[^&|!()]+(?:!=[^&|()]+)?/g)
      ?.map((t) => t.trim())
      .filter((t) => t !== '') ?? [];
  let at = 0;
  const byKey = new Map<string, string>(Object.entries(CONTEXT_KEYS).map(([name, key]) => [key, name]));
  const term = (text: string): boolean => {
    // The editor's own key (the open file is a template) counts as met, like the other editor conditions.
    if (!/^stackwatch\.\w+$/.test(text) || text === CONTEXT_KEYS.isTemplate) return true;
    const name = byKey.get(text);
    assert.ok(name && name in context, `${text} is not a key the deployment sets`);
    return context[name as keyof CommandContext];
  };
  const unary = (): boolean => {
    const token = tokens[at++];
    if (token === '!') return !unary();
    if (token === '(') {
      const value = or();
      at++;
      return value;
    }
    return term(token ?? '');
  };
  const and = (): boolean => {
    let value = unary();
    while (tokens[at] === '&&') {
      at++;
      value = unary() && value;
    }
    return value;
  };
  const or = (): boolean => {
    let value = and();
    while (tokens[at] === '||') {
      at++;
      value = and() || value;
    }
    return value;
  };
  return or();
}

/** Where `command` shows with these key values: the menus whose item for it would show. */
function menusShowing(command: string, context: CommandContext): string[] {
  return Object.entries(manifest.contributes.menus)
    .filter(([, items]) => items.some((item) => item.command === command && shows(item.when ?? 'true', context)))
    .map(([menu]) => menu);
}

describe('command context keys', () => {
  it('in review: Compare and Save Staged Template, but no Stop', async () => {
    const d = start();
    await toReview(d);
    const review = commandContextOf(d.actor.getSnapshot(), { compare: true });
    assert.deepEqual(review, { canStop: false, canCompare: true, canSaveStaged: true, hasDeployment: true });
    // A provider that does not give the deployed template: Compare would only refuse, so it is not offered.
    assert.equal(commandContextOf(d.actor.getSnapshot(), { compare: false }).canCompare, false);
    assert.deepEqual(menusShowing(COMMANDS.stopDeployment, review), [], 'Stop would only answer "It is not deploying"');
    assert.deepEqual(menusShowing(COMMANDS.compareWithDeployed, review).sort(), ['commandPalette', 'editor/title']);
    assert.deepEqual(menusShowing(COMMANDS.saveStagedTemplate, review), ['commandPalette']);
    d.actor.stop();
  });

  it('updating: Stop shows; while it rolls back it does not', async () => {
    const d = start();
    await toReview(d);
    d.actor.send({ type: 'EXECUTE' });
    await tick();
    await d.answer('execute', { operation: { ...executed.operation, kind: 'update' } });
    await d.answer('poll', { ...polls.inProgress, providerStatus: 'UPDATE_IN_PROGRESS' });
    const updating = commandContextOf(d.actor.getSnapshot());
    assert.equal(updating.canStop, true);
    assert.equal(updating.canCompare, false);
    assert.deepEqual(menusShowing(COMMANDS.stopDeployment, updating).sort(), ['commandPalette', 'editor/title']);
    await d.wait();
    await d.answer('poll', polls.rollingBack);
    const rollingBack = commandContextOf(d.actor.getSnapshot());
    assert.equal(rollingBack.canStop, false);
    assert.deepEqual(menusShowing(COMMANDS.stopDeployment, rollingBack), []);
    d.actor.stop();
  });

  it('a creation cannot be cancelled: no Stop while a stack is created', async () => {
    const d = start();
    await d.answer('preflight');
    await d.answer('initialize', INITIALIZED);
    await d.answer('describeTarget', described.missing);
    await d.answer('stage', staged);
    await d.wait();
    await d.answer('describeStaged', stagedResults.ready);
    d.actor.send({ type: 'EXECUTE' });
    await tick();
    await d.answer('execute', executed);
    await d.answer('poll', polls.inProgress);
    assert.equal(commandContextOf(d.actor.getSnapshot()).canStop, false);
    d.actor.stop();
  });

  it('before anything was staged: no Save Staged Template, and Show Logs once a deployment exists', async () => {
    const d = start();
    await d.answer('preflight');
    const early = commandContextOf(d.actor.getSnapshot());
    assert.equal(early.canSaveStaged, false);
    assert.deepEqual(menusShowing(COMMANDS.saveStagedTemplate, early), []);
    const none = windowCommandContext([]);
    assert.deepEqual(menusShowing(COMMANDS.showLogs, none), []);
    assert.ok(menusShowing(COMMANDS.showLogs, early).includes('commandPalette'));
    d.actor.stop();
  });

  it('the window: a key is set while any deployment sets it', () => {
    const review: CommandContext = { canStop: false, canCompare: true, canSaveStaged: true, hasDeployment: true };
    const updating: CommandContext = { canStop: true, canCompare: false, canSaveStaged: false, hasDeployment: true };
    assert.deepEqual(windowCommandContext([review, updating]), { canStop: true, canCompare: true, canSaveStaged: true, hasDeployment: true });
    assert.deepEqual(windowCommandContext([]), { canStop: false, canCompare: false, canSaveStaged: false, hasDeployment: false });
  });
});
