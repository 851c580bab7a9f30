/**
 * Google Cloud Infrastructure Manager, as core code sees it: its words, settings, target mapping
 * and stop policy. Light: the API adapter, the blueprint step and the configure flow are in
 * runtime.ts, loaded on first use.
 */
import * as l10n from '@vscode/l10n';
import type { Vocabulary } from '../../shared/vocabulary';
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
      reason: l10n.t('Cancel requested. Cancelling is best effort: Infrastructure Manager may still run the apply to the end, or it may fail.'),
    };
  if (!facts.operationKind) return { enabled: false, reason: l10n.t('The deployment has not started yet.') };
  return {
    enabled: true,
    reason: l10n.t(
      'Asks Infrastructure Manager to cancel the apply. Cancelling is best effort: it may refuse, or finish anyway. What it already created or changed stays as it is; nothing is rolled back.',
    ),
  };
}

/** Infrastructure Manager's words, in the display language: asked for each time (the bundle is set at activation). */
function gcpWords(): Vocabulary {
  return {
    service: l10n.t('Google Cloud Infrastructure Manager'),
    target: l10n.t({ message: 'deployment', comment: ['What an Infrastructure Manager deployment is aimed at (a noun, as in "the deployment").'] }),
    // What Infrastructure Manager reports moves from the operation's step to the revision's state.
    state: l10n.t({ message: 'status', comment: ["The label before Infrastructure Manager's status of a deployment."] }),
    staged: l10n.t({ message: 'preview', comment: ['What Infrastructure Manager calls the changes planned for review (a noun: a Terraform plan).'] }),
    loadStep: l10n.t('Reading the blueprint and checking its inputs'),
    actionColumn: l10n.t({ message: 'Intent', comment: ['Column heading: what Terraform intends to do to a resource (create, update, delete).'] }),
    idColumn: l10n.t('Resource address'),
    physicalColumn: l10n.t('Resource ID'),
    actions: {
      Add: l10n.t({ message: 'Create', comment: ['A planned change: the resource is created.'] }),
      Modify: l10n.t({ message: 'Update', comment: ['A planned change: the resource is updated.'] }),
      Remove: l10n.t({ message: 'Delete', comment: ['A planned change: the resource is deleted.'] }),
      Import: l10n.t({ message: 'Import', comment: ['A planned change: the resource is imported into the Terraform state.'] }),
      Dynamic: l10n.t({ message: 'Dynamic', comment: ['A planned change whose effect is only known when it is applied.'] }),
      None: l10n.t({ message: 'No change', comment: ['A planned change: nothing happens to the resource.'] }),
    },
    saveStaged: l10n.t('Save Plan'),
    saveStagedHint: l10n.t("Open the preview's Terraform plan as Infrastructure Manager exports it (JSON, sensitive values masked), to save it."),
    stop: l10n.t('Cancel (no rollback)'),
    stopped: l10n.t('Cancelled: Terraform stopped where it was, and nothing was rolled back'),
    // The apply runs terraform plan again (step RUNNING_TF_PLAN); applyPlan.ts names any difference.
    reviewNote: l10n.t(
      'Infrastructure Manager applies the blueprint, not this preview: the apply runs terraform plan again, so if a resource changes before then, what it applies can differ from this list. The monitor says where it does.',
    ),
  };
}

export const gcpDescriptor: ProviderDescriptor<GcpStackSettings> = {
  kind: 'gcp',
  get words() {
    return gcpWords();
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
  whereOf: (settings) =>
    settings.endpoint ? l10n.t('project {0}, endpoint {1}', settings.project, settings.endpoint) : l10n.t('project {0}', settings.project),
  stop: {
    control: gcpStopControl,
    // At best Terraform stops where it is, with no rollback, which can leave half the change
    // applied (and a cancel is only a request the service may refuse or not act on): ask first.
    confirmation: (targetName) => ({
      message: l10n.t('Cancel the apply of {0}, without rollback?', targetName),
      detail: l10n.t(
        'If Infrastructure Manager stops it, the apply ends cancelled: what was already created, changed or deleted stays that way, and the rest is not applied. Nothing is rolled back. Cancelling is best effort: Infrastructure Manager may refuse, or finish the apply anyway. Stackwatch keeps monitoring until the apply ends and says how it ended.',
      ),
      confirm: l10n.t('Cancel the Apply'),
      keep: l10n.t('Keep Deploying'),
    }),
  },
  get saved() {
    return {
      what: l10n.t('preview plan'),
      dialogTitle: l10n.t('Save the preview plan (Terraform JSON; sensitive values are masked)'),
      // Part of the offered file name (orders-plan-2026-….json): a file name, not a sentence.
      fileLabel: 'plan',
    };
  },
  input: {
    get description() {
      return l10n.t('a Terraform blueprint (.tf files)');
    },
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
