/**
 * The remembered "execute automatically" checkbox: per target, and never beating a setting the
 * person changed after ticking it. The store is a plain map standing in for VS Code's Memento.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { choiceKey, effectiveAutoExecute, LEGACY_GLOBAL_KEY, rememberChoice, type ChoiceStore } from '../../src/config/autoExecuteChoice';
import type { TargetRef } from '../../src/providers/provider';

function memento(initial: Record<string, unknown> = {}): ChoiceStore & { values: Map<string, unknown> } {
  const values = new Map(Object.entries(initial));
  return {
    values,
    get: (key) => values.get(key),
    update: (key, value) => {
      if (value === undefined) values.delete(key);
      else values.set(key, value);
      return Promise.resolve();
    },
  };
}

const ORDERS: TargetRef = { provider: 'aws', region: 'us-east-1', name: 'orders' };
const ORDERS_EU: TargetRef = { provider: 'aws', region: 'eu-west-1', name: 'orders' };
const BILLING: TargetRef = { provider: 'aws', region: 'us-east-1', name: 'billing' };
const GCP_ORDERS: TargetRef = { provider: 'gcp', region: 'us-east-1', name: 'orders' };

describe('remembered auto-execute', () => {
  it('without a remembered choice, the setting decides', () => {
    const store = memento();
    assert.equal(effectiveAutoExecute(store, ORDERS, false), false);
    assert.equal(effectiveAutoExecute(store, ORDERS, true), true);
  });

  it('a choice applies to its own target only (provider, region and name)', async () => {
    const store = memento();
    await rememberChoice(store, ORDERS, true, false);
    assert.equal(effectiveAutoExecute(store, ORDERS, false), true);
    for (const other of [ORDERS_EU, BILLING, GCP_ORDERS]) assert.equal(effectiveAutoExecute(store, other, false), false, JSON.stringify(other));
    assert.equal(choiceKey(ORDERS), 'autoExecute:aws:us-east-1:orders');
  });

  it('a choice to review wins over auto-execute from the setting, for that target', async () => {
    const store = memento();
    await rememberChoice(store, ORDERS, false, true);
    assert.equal(effectiveAutoExecute(store, ORDERS, true), false);
    assert.equal(effectiveAutoExecute(store, BILLING, true), true);
  });

  it('changing the setting after the choice makes the setting win again', async () => {
    const store = memento();
    await rememberChoice(store, ORDERS, true, false);
    // The person then sets stackwatch.autoExecute to true and later back to false on purpose:
    assert.equal(effectiveAutoExecute(store, ORDERS, true), true);
    await rememberChoice(store, ORDERS, false, true);
    assert.equal(effectiveAutoExecute(store, ORDERS, false), false, 'the setting turned off beats the older choice to execute');
    assert.equal(effectiveAutoExecute(store, ORDERS, true), false, 'while the setting is as it was when the box was cleared, the box wins');
  });

  it('ignores, then drops, the one global value older versions kept', async () => {
    const store = memento({ [LEGACY_GLOBAL_KEY]: true });
    assert.equal(effectiveAutoExecute(store, ORDERS, false), false);
    await rememberChoice(store, BILLING, false, false);
    assert.equal(store.values.has(LEGACY_GLOBAL_KEY), false);
  });

  it('ignores a stored value of the wrong shape (corrupt or hand-edited state)', () => {
    for (const stored of [true, 'true', { value: 'true', settingThen: false }, { value: true }, null, []]) {
      const store = memento({ [choiceKey(ORDERS)]: stored });
      assert.equal(effectiveAutoExecute(store, ORDERS, false), false, JSON.stringify(stored));
    }
  });
});
