/**
 * The Infrastructure Manager adapter speaks the display language: its words, step texts, lock
 * and outcome sentences are looked up when asked, so a bundle handed over after the modules
 * loaded (as at activation) reaches them, and English comes back without one.
 */
import { strict as assert } from 'node:assert';
import { afterEach, describe, it } from 'node:test';
import { gcpDescriptor } from '../../src/providers/gcp/descriptor';
import { stepText } from '../../src/providers/gcp/events';
import { failureReason } from '../../src/providers/gcp/failures';
import { describeHolder } from '../../src/providers/gcp/locks';
import { useTranslations } from '../../src/shared/translations';

describe('Infrastructure Manager sentences in the display language', () => {
  afterEach(() => {
    useTranslations(undefined);
  });

  it('words, steps and reasons are translated when asked, after the module loaded', () => {
    assert.equal(gcpDescriptor.words.stop, 'Cancel (no rollback)');
    useTranslations({
      'Cancel (no rollback)': 'Abbrechen (ohne Rollback)',
      'Running terraform plan': 'terraform plan läuft',
      // A message given with a comment is keyed by both, as npm run l10n writes it.
      'held by {0} for no stated purpose/Who holds a Terraform lock, completing "the lock is …" or "It is …".': 'gehalten von {0} ohne angegebenen Zweck',
      'The Cloud Build job that applies the blueprint ran and failed': 'Der Cloud-Build-Job ist fehlgeschlagen',
    });
    assert.equal(gcpDescriptor.words.stop, 'Abbrechen (ohne Rollback)');
    assert.equal(stepText('RUNNING_TF_PLAN'), 'terraform plan läuft');
    assert.equal(describeHolder({ who: 'alice@laptop' }), 'gehalten von alice@laptop ohne angegebenen Zweck');
    assert.equal(failureReason({ errorCode: 'APPLY_BUILD_RUN_FAILED' }), 'Der Cloud-Build-Job ist fehlgeschlagen [APPLY_BUILD_RUN_FAILED]');
  });

  it("without a bundle the English is as before, and unknown steps stay the service's own", () => {
    assert.equal(stepText('RUNNING_TF_PLAN'), 'Running terraform plan');
    assert.equal(stepText('SOME_NEW_STEP'), 'SOME_NEW_STEP');
    assert.equal(
      describeHolder({ who: 'alice@laptop', since: '2026-12-01T10:00:00Z', lockId: '17' }),
      'held by alice@laptop since 2026-12-01T10:00:00Z for no stated purpose (lock ID 17)',
    );
  });
});
