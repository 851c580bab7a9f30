/**
 * Google Cloud Infrastructure Manager, as core code sees it: its words, settings, target mapping
 * and stop policy. Light: the API adapter, the blueprint step and the configure flow are in
 * runtime.ts, loaded on first use.
 */
import type { ProviderDescriptor, ProviderRuntime, StopFacts, StopVerdict } from '../descriptor';
import { terraformFolders } from './configure/configureGcpFolders';
import { GCP_REVIEW_TYPES } from './reviewTypes';
import { GCP_DURATION_DEFAULTS } from './durationDefaults';
import { upgradeSavedGcp } from './savedUpgrade';
import { GCP_SETTING_KEYS, type GcpStackSettings } from './settings';
import { GCP_SETTINGS, readGcpSettings } from './settingsReader';

/** Settings a deployment cannot start without, all of which the configure flow asks for. */
const FIRST_RUN = ['project', 'serviceAccount', 'blueprintFolder', 'stagingBucket'] as const;

/** Infrastructure Manager can cancel any apply, create included, but never rolls back. */
function gcpStopControl(facts: StopFacts): StopVerdict {
  // The service takes a cancel as a request (best effort): it may still finish or fail.
  if (facts.stopRequested)
    return {
      enabled: false,
      reason: 'Cancel requested. Cancelling is best effort: Infrastructure Manager may still run the apply to the end, or it may fail.',
    };
  if (!facts.operationKind) return { enabled: false, reason: 'The deployment has not started yet.' };
  return {
    enabled: true,
    reason:
      'Asks Infrastructure Manager to cancel the apply. Cancelling is best effort: it may refuse, or finish anyway. What it already created or changed stays as it is; nothing is rolled back.',
  };
}

export const gcpDescriptor: ProviderDescriptor<GcpStackSettings> = {
  kind: 'gcp',
  words: {
    service: 'Google Cloud Infrastructure Manager',
    target: 'deployment',
    // What Infrastructure Manager reports moves from the operation's step to the revision's state.
    state: 'status',
    staged: 'preview',
    loadStep: 'Reading the blueprint and checking its inputs',
    actionColumn: 'Intent',
    idColumn: 'Resource address',
    physicalColumn: 'Resource ID',
    actions: { Add: 'Create', Modify: 'Update', Remove: 'Delete', Import: 'Import', Dynamic: 'Dynamic', None: 'No change' },
    saveStaged: 'Save Plan',
    saveStagedHint: "Open the preview's Terraform plan as Infrastructure Manager exports it (JSON, sensitive values masked), to save it.",
    stop: 'Cancel (no rollback)',
    stopped: 'Cancelled: Terraform stopped where it was, and nothing was rolled back',
    // The apply runs terraform plan again (step RUNNING_TF_PLAN); applyPlan.ts names any difference.
    reviewNote:
      'Infrastructure Manager applies the blueprint, not this preview: the apply runs terraform plan again, so if a resource changes before then, what it applies can differ from this list. The monitor says where it does.',
  },
  settings: {
    all: Object.values(GCP_SETTINGS),
    read: readGcpSettings,
    firstRunKeys: [GCP_SETTING_KEYS.deploymentName],
    // A workspace with nothing to deploy to yet gets the first-run flow; a wrong value is left
    // to the initializer, which names it.
    needsFirstRun: (settings) => FIRST_RUN.some((k) => settings[k].trim() === ''),
  },
  targetOf: (settings) => ({ provider: 'gcp', name: settings.deploymentName, region: settings.location }),
  settingsFor: (settings, target) => ({ ...settings, deploymentName: target.name, location: target.region ?? settings.location }),
  whereOf: (settings) => `project ${settings.project}${settings.endpoint ? `, endpoint ${settings.endpoint}` : ''}`,
  stop: {
    control: gcpStopControl,
    // At best Terraform stops where it is, with no rollback, which can leave half the change
    // applied (and a cancel is only a request the service may refuse or not act on): ask first.
    confirmation: (targetName) => ({
      message: `Cancel the apply of ${targetName}, without rollback?`,
      detail:
        'If Infrastructure Manager stops it, the apply ends cancelled: what was already created, changed or deleted stays that way, and the rest is not applied. Nothing is rolled back. Cancelling is best effort: Infrastructure Manager may refuse, or finish the apply anyway. Stackwatch keeps monitoring until the apply ends and says how it ended.',
      confirm: 'Cancel the Apply',
      keep: 'Keep Deploying',
    }),
  },
  saved: {
    what: 'preview plan',
    dialogTitle: 'Save the preview plan (Terraform JSON; sensitive values are masked)',
    fileLabel: 'plan',
  },
  input: {
    description: 'a Terraform blueprint (.tf files)',
    // A blueprint is a folder: the menus offer Deploy on .tf files by their extension, and a
    // chosen .tf file or folder only names the workspace.
    languages: [],
    looksLike: () => false,
    claimsFile: () => false,
    configuredFile: () => undefined,
    holdsInput: async (folder) => (await terraformFolders(folder.uri.fsPath)).length > 0,
  },
  review: GCP_REVIEW_TYPES,
  durations: GCP_DURATION_DEFAULTS,
  loadRuntime: () => import('./runtime.js').then((loaded: { runtime: ProviderRuntime<GcpStackSettings> }) => loaded.runtime),
  upgradeSaved: upgradeSavedGcp,
};
