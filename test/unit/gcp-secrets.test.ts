/**
 * Sensitive Terraform inputs (`sensitive = true`): marked secret on the way out of the
 * initializer, and their values in no message, whatever is wrong with them.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkInputValues, scanVariables } from '../../src/providers/gcp/blueprint';
import { toInputValues, toParameterValues } from '../../src/providers/gcp/inputs';
import { isProviderError } from '../../src/providers/provider';
import { createBlueprintInitializer } from '../../src/providers/gcp/initializeBlueprint';

const SECRET = 'hunter2-DO-NOT-SHOW';
const VARIABLES = scanVariables(
  'variable "db_password" {\n  type      = number\n  sensitive = true\n}\n\nvariable "tags" {\n  type      = map(string)\n  sensitive = true\n}\n\nvariable "region" {\n  type = string\n}\n',
  'variables.tf',
);

/** Every string an error carries, its causes included. */
function allText(error: unknown, depth = 0): string {
  if (!(error instanceof Error) || depth > 4) return String(error);
  return `${error.message} ${JSON.stringify(error)} ${allText(error.cause, depth + 1)}`;
}

describe('sensitive inputs', () => {
  const folder = mkdtempSync(join(tmpdir(), 'sw-gcp-secrets-'));
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('are marked secret; the others are not', () => {
    const parameters = toParameterValues(VARIABLES, { db_password: 42, region: 'us' });
    assert.deepEqual(parameters, [
      { key: 'db_password', value: '42', secret: true },
      { key: 'region', value: 'us' },
    ]);
  });

  it('a wrong-typed sensitive value is described by its kind only', () => {
    const [problem] = checkInputValues(VARIABLES, { db_password: SECRET, tags: {}, region: 'us' });
    assert.equal(problem?.key, 'db_password');
    assert.ok(!problem?.message.includes(SECRET), problem?.message);
    assert.match(problem?.message ?? '', /has type number, but its value is a string \(sensitive, not shown\)/);
    const [plain] = checkInputValues(VARIABLES, { db_password: 1, tags: {}, region: ['x'] });
    assert.match(plain?.message ?? '', /its value is a list/, 'non-sensitive values are still described');
  });

  it('a sensitive value that is not JSON is not quoted, nor is the parser error that would quote it', () => {
    assert.throws(
      () => toInputValues(VARIABLES, [{ key: 'tags', value: `{${SECRET}`, secret: true }]),
      (error: unknown) => {
        assert.ok(isProviderError(error) && error.code === 'Validation');
        assert.match(error.message, /"tags" \(map\(string\)\) is not valid JSON: \(sensitive value not shown\)/);
        assert.ok(!allText(error).includes(SECRET), allText(error));
        return true;
      },
    );
  });

  it('the initializer rejects a wrong-typed sensitive value without showing it', async () => {
    writeFileSync(join(folder, 'main.tf'), 'variable "db_password" {\n  type      = number\n  sensitive = true\n}\n');
    const init = createBlueprintInitializer(
      {
        project: 'p-1',
        location: 'us-central1',
        deploymentName: 'orders',
        serviceAccount: 'sa@p-1.iam.gserviceaccount.com',
        blueprintFolder: folder,
        inputValues: { db_password: SECRET },
        stagingBucket: 'b',
      },
      { displayPath: () => 'infra' },
    );
    const input = { deploymentId: 'd-1', round: 0, target: { provider: 'gcp' as const, name: 'orders', region: 'us-central1' } };
    await assert.rejects(init(input, AbortSignal.timeout(5_000)), (error: unknown) => {
      assert.match(String((error as Error).message), /db_password/);
      assert.ok(!allText(error).includes(SECRET), allText(error));
      return true;
    });
  });
});
