/**
 * Which of a revision's resources revisions.resources.list shows. The service keeps resource
 * metadata from the Terraform state it stores per deployment and revision
 * (https://cloud.google.com/infrastructure-manager/docs/view-resources); it does not document that
 * resources appear, or move through states, while an apply runs. So the sim can show them live
 * (simulator-only), only once the revision has ended, or never (SimSettings.resourceReporting).
 */
import type { ResourceReporting, SimContext } from './context';
import type { RevisionRecord, RevisionResource } from './model';

const MODES: readonly ResourceReporting[] = ['live', 'afterApply', 'never'];

export function reportedResources(ctx: SimContext, revision: RevisionRecord): RevisionResource[] {
  switch (ctx.settings.resourceReporting) {
    case 'live':
      return revision.resources;
    case 'afterApply':
      return revision.state === 'APPLYING' ? [] : revision.resources;
    case 'never':
      return [];
  }
}

/** Validates the mode from callers that are not type-checked (the CLI, plain JS tests). */
export function checkedResourceReporting(value: ResourceReporting): ResourceReporting {
  if (!MODES.includes(value)) throw new TypeError(`resourceReporting must be one of ${MODES.join(', ')}, got ${String(value)}`);
  return value;
}
