/**
 * Copies the end-to-end suite's latest screenshots into media/readme/, under the names the README
 * uses, so the pictures in the user guide always show the product as the suite last saw it.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './codeServer';
const FROM = join(ROOT, 'test-results');
const TO = join(ROOT, 'media', 'readme');

/** README name ← e2e screenshot. */
const SHOTS: Record<string, string> = {
  'deploy-succeeded.png': 'e2e-1-deploy-execute-copy.png',
  'failure-rollback.png': 'e2e-3-failure-rollback.png',
  'stop-rollback.png': 'e2e-4-stop-slow-update.png',
  'bad-template.png': 'e2e-8-bad-template.png',
  'gcp-blueprint.png': 'e2e-9-gcp-blueprint.png',
  'gcp-cancel.png': 'e2e-10-gcp-cancel.png',
  'other-operation.png': 'e2e-11-other-operation.png',
  'timeline-eta.png': 'e2e-14-timeline-eta.png',
  'narrow-450.png': 'e2e-17-narrow-450.png',
  'keyboard-reason.png': 'e2e-16-keyboard-only-reason.png',
};

const missing = Object.values(SHOTS).filter((shot) => !existsSync(join(FROM, shot)));
if (missing.length > 0) {
  console.error(`Missing ${missing.join(', ')} in test-results/: run "npm run test:e2e" first.`);
  process.exit(1);
}
mkdirSync(TO, { recursive: true });
for (const [name, shot] of Object.entries(SHOTS)) {
  copyFileSync(join(FROM, shot), join(TO, name));
  console.log(`media/readme/${name} <- test-results/${shot}`);
}
