/**
 * Masking Terraform's JSON plan before Save Plan writes it, reading the exported bytes, and the
 * drift lines of the review. The plan below has the shape `terraform show -json` gives a plan
 * with sensitive values (format 1.x): values in clear, sensitivity only marked beside them.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isProviderError } from '../../src/providers/provider';
import { withDrift } from '../../src/providers/gcp/drifts';
import { parsePlanJson } from '../../src/providers/gcp/planExport';
import { maskTerraformPlan, PLAN_MASK, type JsonObject } from '../../src/providers/gcp/planMasking';
import type { BlueprintVariable } from '../../src/providers/gcp/blueprint';

const DB_PASSWORD = 'pa55-word-db';
const TOKEN = 'tok-7d1e-secret';
const OLD_PASSWORD = 'old-pa55-db';
const KEY_DEFAULT = 'default-key-4242';
const PROVIDER_CREDENTIAL = 'provider-cred-123';

function plan(): JsonObject {
  return {
    format_version: '1.2',
    terraform_version: '1.5.7',
    variables: { db_password: { value: DB_PASSWORD }, region: { value: 'us-central1' }, api_key: { value: KEY_DEFAULT } },
    planned_values: {
      outputs: { password: { sensitive: true, value: DB_PASSWORD }, region: { sensitive: false, value: 'us-central1' } },
      root_module: {
        resources: [
          { address: 'google_sql_user.app', type: 'google_sql_user', values: { name: 'app', password: DB_PASSWORD }, sensitive_values: { password: true } },
        ],
        child_modules: [
          {
            address: 'module.net',
            resources: [
              {
                address: 'module.net.google_thing.x',
                type: 'google_thing',
                values: { settings: [{ token: TOKEN, size: 3 }] },
                sensitive_values: { settings: [{ token: true }] },
              },
            ],
          },
        ],
      },
    },
    resource_drift: [
      {
        address: 'google_sql_user.app',
        type: 'google_sql_user',
        change: {
          actions: ['update'],
          before: { password: OLD_PASSWORD },
          after: { password: DB_PASSWORD },
          before_sensitive: { password: true },
          after_sensitive: { password: true },
        },
      },
    ],
    resource_changes: [
      {
        address: 'google_sql_user.app',
        type: 'google_sql_user',
        change: {
          actions: ['update'],
          before: { name: 'app', password: OLD_PASSWORD, note: `rotated from ${OLD_PASSWORD}` },
          after: { name: 'app', password: DB_PASSWORD, note: 'rotated' },
          after_unknown: {},
          before_sensitive: { password: true },
          after_sensitive: { password: true },
        },
      },
      {
        address: 'google_thing.y',
        type: 'google_thing',
        change: { actions: ['create'], before: null, after: { whole: TOKEN }, after_unknown: { id: true }, before_sensitive: true, after_sensitive: true },
      },
    ],
    output_changes: {
      password: { actions: ['create'], before: null, after: DB_PASSWORD, after_unknown: false, before_sensitive: true, after_sensitive: true },
    },
    prior_state: { format_version: '1.0', values: { outputs: { password: { sensitive: true, value: OLD_PASSWORD } }, root_module: {} } },
    configuration: {
      provider_config: { google: { name: 'google', expressions: { access_token: { constant_value: PROVIDER_CREDENTIAL } } } },
      root_module: {
        variables: { db_password: { sensitive: true, default: DB_PASSWORD }, region: { default: 'us-central1' } },
        outputs: { password: { sensitive: true, expression: { constant_value: DB_PASSWORD } } },
        resources: [
          {
            address: 'google_sql_user.app',
            type: 'google_sql_user',
            expressions: { name: { constant_value: 'app' }, password: { constant_value: DB_PASSWORD } },
          },
        ],
        module_calls: { net: { module: { variables: { token: { sensitive: true, default: TOKEN } } } } },
      },
    },
  };
}

const variable = (name: string, sensitive: boolean): BlueprintVariable => ({ name, kind: 'string', hasDefault: false, sensitive }) as BlueprintVariable;

describe('masking the exported Terraform plan', () => {
  const masked = maskTerraformPlan(plan(), { variables: [variable('db_password', false), variable('region', false), variable('api_key', true)] });
  const text = JSON.stringify(masked);
  const at = (...path: (string | number)[]): unknown => path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], masked);

  it('leaves no secret anywhere in the document', () => {
    for (const secret of [DB_PASSWORD, TOKEN, OLD_PASSWORD, KEY_DEFAULT, PROVIDER_CREDENTIAL])
      assert.ok(!text.includes(secret), `${secret} is masked everywhere`);
  });

  it('masks variables marked sensitive by the blueprint or by the plan configuration, and keeps the others', () => {
    assert.deepEqual(at('variables'), { db_password: { value: PLAN_MASK }, region: { value: 'us-central1' }, api_key: { value: PLAN_MASK } });
  });

  it('masks values under before_sensitive / after_sensitive / sensitive_values paths, nested lists included, and nothing unmarked', () => {
    assert.deepEqual(at('resource_changes', 0, 'change', 'after'), { name: 'app', password: PLAN_MASK, note: 'rotated' });
    assert.equal(at('resource_changes', 0, 'change', 'before', 'note'), `rotated from ${PLAN_MASK}`, 'a copy of a masked value inside other text');
    assert.equal(at('resource_changes', 1, 'change', 'before'), null, 'nothing to mask stays null');
    assert.equal(at('resource_changes', 1, 'change', 'after'), PLAN_MASK, 'a whole value marked true');
    assert.deepEqual(at('resource_changes', 0, 'change', 'after_sensitive'), { password: true }, 'the marks stay, so readers know what was masked');
    assert.deepEqual(at('planned_values', 'root_module', 'child_modules', 0, 'resources', 0, 'values'), { settings: [{ token: PLAN_MASK, size: 3 }] });
    assert.equal(at('resource_drift', 0, 'change', 'before', 'password'), PLAN_MASK);
  });

  it('masks sensitive outputs wherever they sit', () => {
    assert.equal(at('output_changes', 'password', 'after'), PLAN_MASK);
    assert.equal(at('planned_values', 'outputs', 'password', 'value'), PLAN_MASK);
    assert.equal(at('planned_values', 'outputs', 'region', 'value'), 'us-central1');
    assert.equal(at('prior_state', 'values', 'outputs', 'password', 'value'), PLAN_MASK);
  });

  it('masks what the configuration repeats: sensitive defaults, sensitive output expressions, literals of sensitive attributes, provider blocks', () => {
    assert.equal(at('configuration', 'root_module', 'variables', 'db_password', 'default'), PLAN_MASK);
    assert.equal(at('configuration', 'root_module', 'variables', 'region', 'default'), 'us-central1');
    assert.equal(at('configuration', 'root_module', 'outputs', 'password', 'expression', 'constant_value'), PLAN_MASK);
    assert.deepEqual(at('configuration', 'root_module', 'resources', 0, 'expressions'), {
      name: { constant_value: 'app' },
      password: { constant_value: PLAN_MASK },
    });
    assert.equal(at('configuration', 'provider_config', 'google', 'expressions', 'access_token', 'constant_value'), PLAN_MASK);
    assert.equal(at('configuration', 'root_module', 'module_calls', 'net', 'module', 'variables', 'token', 'default'), PLAN_MASK);
  });

  it('masks every variable value when the blueprint is unknown, and known secrets wherever they are copied', () => {
    const blind = maskTerraformPlan(
      {
        format_version: '1.2',
        variables: { region: { value: 'us-central1' } },
        resource_changes: [{ address: 'a.b', type: 'a', change: { actions: ['create'], before: null, after: { label: 'key-sent-9999' } } }],
      },
      { variables: undefined, knownSecrets: ['key-sent-9999'] },
    );
    assert.deepEqual(blind['variables'], { region: { value: PLAN_MASK } });
    assert.ok(!JSON.stringify(blind).includes('key-sent-9999'));
  });
});

describe('reading the exported plan', () => {
  it('takes a Terraform JSON plan and refuses anything else as a retryable, unreadable answer', () => {
    assert.equal(parsePlanJson(new TextEncoder().encode('{"format_version":"1.2"}'))['format_version'], '1.2');
    for (const body of ['<html>502</html>', '{"format_version":"1.2"', '[]', '{"resource_changes":[]}', '']) {
      assert.throws(
        () => parsePlanJson(new TextEncoder().encode(body)),
        (error: unknown) =>
          isProviderError(error) && error.code === 'Transient' && error.details.providerCode === 'UNREADABLE_RESPONSE' && /Save Plan again/.test(error.message),
        body,
      );
    }
    assert.throws(
      () => parsePlanJson(Uint8Array.from([0x7b, 0xff, 0x7d])),
      (error: unknown) => isProviderError(error) && error.code === 'Transient',
      'invalid UTF-8',
    );
  });
});

describe('drift lines in the review', () => {
  it('adds lines to a changed row, adds a None row for the rest, hides sensitive values and cuts long ones', () => {
    const rows = withDrift(
      [{ logicalId: 'google_storage_bucket.data', action: 'Modify', resourceType: 'google_storage_bucket', details: ['location'] }],
      [
        { terraformInfo: { address: 'google_storage_bucket.data' }, propertyDrifts: [{ path: 'location', before: 'US', after: 'EU' }] },
        {
          terraformInfo: { address: 'module.net.google_compute_network.main[0]' },
          propertyDrifts: [
            { path: 'description', before: null, after: 'x'.repeat(200) },
            { path: 'secret', before: 'a', after: 'b', afterSensitivePaths: [''] },
          ],
        },
        { propertyDrifts: [{ path: 'ignored', before: 1, after: 2 }] },
      ],
    );
    assert.deepEqual(rows[0]?.details, ['location', 'drifted outside Terraform: location: "US" → "EU"']);
    assert.equal(rows[1]?.action, 'None');
    assert.equal(rows[1]?.resourceType, 'google_compute_network', 'the type from the address when the drift does not name it');
    assert.equal(rows[1]?.details?.[1], `drifted outside Terraform: description: (none) → "${'x'.repeat(58)}…`);
    assert.equal(rows[1]?.details?.[2], 'drifted outside Terraform: secret: (sensitive) → (sensitive)');
    assert.equal(rows.length, 2, 'a drift without an address is not a row');
  });
});
