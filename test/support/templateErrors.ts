/** Asserts that a template step rejects with an InputError and hands it back for further checks. */
import { strict as assert } from 'node:assert';
import { InputError } from '../../src/input/inputError';

export async function templateError(work: Promise<unknown> | (() => Promise<unknown>)): Promise<InputError> {
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (error) {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an InputError');
}
