/**
 * Tags are the one source of a state's meaning to the UI: every state must carry exactly one phase
 * tag, so a new state can never silently show as 'starting', and the final-state list must be the
 * machine's own final states.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnyStateNode, StateValue } from 'xstate';
import { FINAL_STATES, PHASE_TAGS, createDeploymentMachine, isFinalState, phaseOf } from '../../src/deployment/machine';
import { snapshotIn } from '../support/uiSnapshots';

const machine = createDeploymentMachine();
const topLevel: AnyStateNode[] = Object.values(machine.root.states);

function descendants(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states).flatMap((child) => [child, ...descendants(child)]);
}

function phaseTags(node: AnyStateNode): string[] {
  return node.tags.filter((tag) => (PHASE_TAGS as readonly string[]).includes(tag));
}

describe('machine tags', () => {
  it('every top-level state carries exactly one phase tag', () => {
    const wrong = topLevel.filter((node) => phaseTags(node).length !== 1).map((node) => `${node.key}: [${phaseTags(node).join(', ')}]`);
    assert.deepEqual(wrong, []);
  });

  it('no nested state carries a phase tag, so every active configuration has exactly one', () => {
    const nested = topLevel
      .flatMap(descendants)
      .filter((node) => phaseTags(node).length > 0)
      .map((node) => node.id);
    assert.deepEqual(nested, []);
  });

  it("the final-state list is exactly the machine's final states, each tagged final", () => {
    const finals = [machine.root, ...descendants(machine.root)].filter((node) => node.type === 'final');
    assert.deepEqual(finals.map((node) => node.key).sort(), [...FINAL_STATES].sort());
    assert.ok(finals.every((node) => node.parent === machine.root && node.tags.includes('final')));
    assert.deepEqual(
      topLevel
        .filter((node) => node.tags.includes('final'))
        .map((node) => node.key)
        .sort(),
      [...FINAL_STATES].sort(),
    );
    assert.ok(isFinalState('succeeded') && !isFinalState('cleaningUp'));
  });

  it('every state, atomic or compound, resolves to one phase (a snapshot of each answers hasTag)', () => {
    for (const node of topLevel.flatMap((top) => [top, ...descendants(top)])) {
      // ['a', 'b', 'c'] is the state value { a: { b: 'c' } }.
      const leaf = node.path[node.path.length - 1] ?? '';
      const value = node.path.slice(0, -1).reduceRight<StateValue>((inner, key) => ({ [key]: inner }), leaf);
      const snapshot = machine.resolveState({ value, context: snapshotIn('preflight').context });
      assert.equal(PHASE_TAGS.filter((tag) => snapshot.hasTag(tag)).length, 1, node.id);
      assert.ok(PHASE_TAGS.includes(phaseOf(snapshot, false)), node.id);
    }
  });

  it('each state shows the phase it always showed', () => {
    const expected: Record<string, string> = {
      preflight: 'starting',
      initializing: 'starting',
      preparing: 'starting',
      otherOperation: 'otherOperation',
      awaitingConsent: 'consent',
      recreating: 'starting',
      staging: 'staging',
      reviewing: 'review',
      executing: 'monitoring',
      monitoring: 'monitoring',
      stopping: 'monitoring',
      rollingBack: 'monitoring',
      lostContact: 'lostContact',
      finishing: 'monitoring',
      ...Object.fromEntries(FINAL_STATES.map((state) => [state, 'final'])),
    };
    for (const [state, phase] of Object.entries(expected)) assert.equal(phaseOf(snapshotIn(state), false), phase, state);
    // Cleaning up stays where the deployment was: staging until the changes were executed.
    assert.equal(phaseOf(snapshotIn('cleaningUp'), false), 'staging');
    assert.equal(phaseOf(snapshotIn('cleaningUp', { executed: true }), true), 'monitoring');
  });

  it('the states that wait for a person are tagged needsPerson', () => {
    const waiting = ['reviewing', 'awaitingConsent', 'lostContact'].filter((state) => snapshotIn(state).hasTag('needsPerson'));
    assert.deepEqual(waiting, ['reviewing', 'awaitingConsent', 'lostContact']);
    assert.ok(snapshotIn('otherOperation').hasTag('needsPerson'), 'otherOperation starts by asking');
    assert.ok(!machine.resolveState({ value: { otherOperation: 'waiting' }, context: snapshotIn('preflight').context }).hasTag('needsPerson'));
    assert.ok(!snapshotIn('monitoring').hasTag('needsPerson') && !snapshotIn('staging').hasTag('needsPerson'));
  });
});
