/**
 * The Infrastructure Manager adapter's sentences go through l10n.t when they are made: a bundle
 * handed over replaces them, whole sentences stay whole, and English comes back without one.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { quotaValidationProblem } from '../../src/providers/gcp/applySettings';
import { planDifferenceNotice, planDifferences } from '../../src/providers/gcp/applyPlan';
import { cancelWaiting } from '../../src/providers/gcp/cancel';
import { recoveryAction } from '../../src/providers/gcp/recovery';
import { useTranslations } from '../../src/shared/translations';

describe('GCP adapter sentences are localizable', () => {
  it('a bundle replaces a whole sentence, placeholders filled, and English returns without it', () => {
    const english = quotaValidationProblem('enforced');
    try {
      useTranslations({
        '{0} is "{1}"; it must be "ENABLED" (report resources without enough quota) or "ENFORCED" (fail the apply when quota is short), or empty. Did you mean "{2}"?':
          '{0} vaut « {1} » ; vouliez-vous dire « {2} » ?',
        'Unlock and deploy': 'Déverrouiller et déployer',
      });
      assert.equal(quotaValidationProblem('enforced'), 'stackwatch.gcp.quotaValidation vaut « enforced » ; vouliez-vous dire « ENFORCED » ?');
      assert.equal(recoveryAction('unlock', 'orders', 'ACTIVE').label, 'Déverrouiller et déployer');
    } finally {
      useTranslations(undefined);
    }
    assert.equal(quotaValidationProblem('enforced'), english);
    assert.match(english ?? '', /Did you mean "ENFORCED"\?$/);
  });

  it('a table turned into a function is translated when asked, not when the module loaded', () => {
    try {
      useTranslations({
        'Cancel requested. Infrastructure Manager took the request, but cancelling is best effort: the apply may still run to the end, or fail. The monitor says how it really ended once it does.':
          'Annulation demandée.',
        '{0} is created': '{0} est créé',
        'the preview showed no change': "l'aperçu ne montrait aucun changement",
      });
      assert.equal(cancelWaiting(), 'Annulation demandée.');
      const differences = planDifferences({}, [{ terraformInfo: { address: 'google_storage_bucket.b' }, intent: 'CREATE' }]);
      assert.deepEqual(differences, ["google_storage_bucket.b est créé (l'aperçu ne montrait aucun changement)"]);
    } finally {
      useTranslations(undefined);
    }
    const differences = planDifferences({}, [{ terraformInfo: { address: 'google_storage_bucket.b' }, intent: 'CREATE' }]);
    assert.deepEqual(differences, ['google_storage_bucket.b is created (the preview showed no change)']);
    const many = Array.from({ length: 6 }, (_, i) => `r${i} is created (the preview showed no change)`);
    assert.match(planDifferenceNotice(many) ?? '', /r4 is created \(the preview showed no change\); and 1 more\. Infrastructure Manager/);
  });
});
