/** Asserts that a template step rejects with a TemplateError and hands it back for further checks. */
import { strict as assert } from 'node:assert';
import { TemplateError } from '../../src/input/inputError';

export async function templateError(work: Promise<unknown> | (() => Promise<unknown>)): Promise<TemplateError> {
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (error) {
    assert.ok(error instanceof TemplateError, `expected a TemplateError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a TemplateError');
}
