/** Finding a blueprint's variables in .tf text, and checking input values against them. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { checkInputValues, scanVariables, type BlueprintVariable } from '../../src/providers/gcp/blueprint';

const TF = `# Inputs for the orders service
terraform {
  required_version = ">= 1.5"
}

variable "project_id" {
  description = "Project to deploy into"
  type        = string
}

/* a block comment with variable "not_me" { } inside */
variable "region" {
  type    = string
  default = "us-central1" # trailing comment
}

variable "node_count" {
  type = number
  default = 3
  validation {
    condition     = var.node_count > 0 && var.node_count < 10
    error_message = "Between 1 and 9 } nodes."
  }
}

variable "labels" {
  type = map(string)
  default = {
    team = "orders"
    cost = "\${var.region}-{x}"
  }
}

variable "zones" {
  type = list(string)
  default = [
    "a",
    "b",
  ]
}

variable "db_password" {
  type      = string
  sensitive = true
  description = <<-EOT
    Password for the database.
    Rotated monthly { not a block }.
  EOT
}

variable "settings" {
  type = object({
    tier = string
    ha   = bool
  })
}

variable "anything" {}

variable "enabled" {
  type    = bool
  default = false
}

resource "google_storage_bucket" "b" {
  name = "variable"
}
`;

function byName(variables: BlueprintVariable[]): Map<string, BlueprintVariable> {
  return new Map(variables.map((v) => [v.name, v]));
}

describe('scanVariables', () => {
  const variables = scanVariables(TF, '/bp/variables.tf');
  const found = byName(variables);

  it('finds every variable block and nothing in comments, strings or other blocks', () => {
    assert.deepEqual(
      variables.map((v) => v.name),
      ['project_id', 'region', 'node_count', 'labels', 'zones', 'db_password', 'settings', 'anything', 'enabled'],
    );
  });

  it('reads the kind of each type', () => {
    assert.deepEqual(
      variables.map((v) => [v.name, v.kind]),
      [
        ['project_id', 'string'],
        ['region', 'string'],
        ['node_count', 'number'],
        ['labels', 'map'],
        ['zones', 'list'],
        ['db_password', 'string'],
        ['settings', 'map'],
        ['anything', 'any'],
        ['enabled', 'bool'],
      ],
    );
    assert.equal(found.get('settings')?.typeExpression?.replace(/\s+/g, ' '), 'object({ tier = string ha = bool })');
  });

  it('knows which have defaults, and reads simple ones', () => {
    assert.deepEqual(
      variables.filter((v) => !v.hasDefault).map((v) => v.name),
      ['project_id', 'db_password', 'settings', 'anything'],
    );
    assert.equal(found.get('region')?.defaultText, 'us-central1');
    assert.equal(found.get('node_count')?.defaultText, '3');
    assert.equal(found.get('enabled')?.defaultText, 'false');
    assert.match(found.get('zones')?.defaultText ?? '', /^\[\s*"a",\s*"b",\s*\]$/);
  });

  it('reads sensitive flags, descriptions (heredocs too) and 1-based lines', () => {
    assert.equal(found.get('db_password')?.sensitive, true);
    assert.equal(found.get('region')?.sensitive, false);
    assert.equal(found.get('project_id')?.description, 'Project to deploy into');
    assert.equal(found.get('db_password')?.description, '    Password for the database.\n    Rotated monthly { not a block }.');
    assert.equal(found.get('project_id')?.line, 6);
    assert.equal(found.get('region')?.line, 12);
    assert.equal(found.get('enabled')?.line, TF.split('\n').findIndex((l) => l.startsWith('variable "enabled"')) + 1);
    assert.equal(found.get('enabled')?.file, '/bp/variables.tf');
  });

  it('finds nothing in a file without variables', () => {
    assert.deepEqual(scanVariables('resource "x" "y" {\n  variable = 1\n}\n', 'main.tf'), []);
  });
});

describe('checkInputValues', () => {
  const variables = scanVariables(TF, 'variables.tf');
  const base = { project_id: 'p-1', db_password: 'pw', settings: { tier: 'x', ha: true }, anything: 1 };

  it('accepts good values, with Terraform-style primitive conversions', () => {
    assert.deepEqual(checkInputValues(variables, base), []);
    assert.deepEqual(checkInputValues(variables, { ...base, node_count: '5', enabled: 'true', region: 42, zones: ['a'], labels: { a: 'b' } }), []);
  });

  it('reports an unknown key with the closest name', () => {
    const [problem, ...rest] = checkInputValues(variables, { ...base, zone: ['a'] });
    assert.equal(rest.length, 0);
    assert.equal(problem?.kind, 'unknown');
    assert.match(problem?.message ?? '', /"zone" is not a variable of the blueprint\. Did you mean "zones"\?/);
  });

  it('reports an unknown key with no close name by listing the declared ones', () => {
    const [problem] = checkInputValues(variables, { ...base, flavour: 1 });
    assert.doesNotMatch(problem?.message ?? '', /Did you mean/);
    assert.match(problem?.message ?? '', /Declared variables: anything, db_password/);
  });

  it('reports required variables without a value, pointing at the declaration', () => {
    const problems = checkInputValues(variables, { project_id: 'p' });
    assert.deepEqual(
      problems.map((p) => [p.kind, p.key]),
      [
        ['missing', 'db_password'],
        ['missing', 'settings'],
        ['missing', 'anything'],
      ],
    );
    assert.equal(problems[0]?.variable?.line, scanVariables(TF, 'v').find((v) => v.name === 'db_password')?.line);
  });

  it('reports values that do not match simple types', () => {
    const problems = checkInputValues(variables, { ...base, node_count: 'three', enabled: 'yes', zones: 'a,b', labels: ['a'], region: { a: 1 } });
    assert.deepEqual(problems.map((p) => [p.kind, p.key]).sort(), [
      ['type', 'enabled'],
      ['type', 'labels'],
      ['type', 'node_count'],
      ['type', 'region'],
      ['type', 'zones'],
    ]);
    assert.match(problems.find((p) => p.key === 'node_count')?.message ?? '', /has type number, but its value is the string "three"/);
    assert.match(problems.find((p) => p.key === 'zones')?.message ?? '', /has type list\(string\)/);
  });

  it('null means "use the default" only where there is one', () => {
    assert.deepEqual(checkInputValues(variables, { ...base, region: null }), []);
    assert.equal(checkInputValues(variables, { ...base, project_id: null })[0]?.kind, 'type');
  });
});
