/** The backend-block finder: only a state backend of the root module's terraform block counts. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { findBackendBlocks } from '../../src/providers/gcp/blueprint';

describe('findBackendBlocks', () => {
  it('finds backend "TYPE" and cloud blocks inside terraform {}, with their lines', () => {
    const source =
      'terraform {\n  required_providers {\n    google = { source = "hashicorp/google" }\n  }\n  backend "gcs" {\n    bucket = "x"\n  }\n}\n\nterraform {\n  cloud {\n    organization = "o"\n  }\n}\n';
    assert.deepEqual(findBackendBlocks(source, 'versions.tf'), [
      { what: 'backend "gcs"', file: 'versions.tf', line: 5 },
      { what: 'cloud', file: 'versions.tf', line: 11 },
    ]);
  });

  it('ignores the word elsewhere: comments, strings, attributes, other blocks, and remote state data sources', () => {
    const source = [
      '# terraform { backend "gcs" {} }',
      'terraform {',
      '  # backend "s3" {}',
      '  required_version = ">= 1.5" // backend "local" {}',
      '}',
      'data "terraform_remote_state" "net" {',
      '  backend = "gcs"',
      '  config = { bucket = "state" }',
      '}',
      'resource "x" "y" {',
      '  backend "gcs" {',
      '  }',
      '  description = "terraform { backend \\"gcs\\" {} }"',
      '}',
      '',
    ].join('\n');
    assert.deepEqual(findBackendBlocks(source, 'main.tf'), []);
  });
});
