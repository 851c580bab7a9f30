/**
 * Configure for Google Cloud: project, location, deployment ID, service account, blueprint
 * folder and staging bucket, each offered from what the project and workspace have, current
 * settings first. Pure: the UI is a Prompter, the project's lists come from Listings, the
 * settings from a SettingsStore, so the whole flow runs in tests without VS Code.
 *
 * Nothing is written until every step has an answer: Escape at any step leaves the settings as
 * they were. A listing that fails (no credentials, no network, API disabled) or finds nothing
 * turns its step into typing the value, with the reason shown: never a dead end.
 */
import * as l10n from '@vscode/l10n';
import { ProviderError } from '../../provider';
import type { ProjectHint } from '../projectHints';
import type { BucketEntry, LocationEntry, ServiceAccountEntry } from '../projectListings';
import { GCP_SETTING_KEYS } from '../settings';
import { SETTING_KEYS } from '../../../commands/ids';
import type { InputStep, PickItem, PickStep, Prompter } from '../../../commands/prompter';
import { COMMON_SETTINGS } from '../../../config/commonSettings';
import { sentence, sentences } from '../../../shared/sentences';
import { GCP_SETTINGS } from '../settingsReader';
import {
  blueprintFolderProblem,
  bucketNameProblem,
  defaultDeploymentName,
  deploymentNameStepProblem,
  locationProblem,
  projectIdProblem,
  serviceAccountProblem,
} from './configureGcpValues';

/** What the project and workspace offer; each may throw, and the step falls back to typing. */
export interface Listings {
  projectHints(): Promise<ProjectHint[]>;
  locations(project: string): Promise<LocationEntry[]>;
  serviceAccounts(project: string): Promise<ServiceAccountEntry[]>;
  buckets(project: string): Promise<BucketEntry[]>;
  /** Workspace-relative folders holding .tf files. */
  blueprintFolders(): Promise<string[]>;
}

/** Full `stackwatch.*` keys. */
export interface SettingsStore {
  get(key: string): unknown;
  update(key: string, value: unknown): Promise<void>;
}

export interface GcpConfiguration {
  project: string;
  location: string;
  deploymentName: string;
  serviceAccount: string;
  blueprintFolder: string;
  stagingBucket: string;
}

export interface GcpFlowDeps {
  /** The workspace folder's name, for a default deployment ID. */
  folderName: string;
  prompter: Prompter;
  listings: Listings;
  settings: SettingsStore;
}

const STEPS = 6;
const DEFAULT_LOCATION = 'us-central1';

/** Asks every step, then writes the settings; undefined (and nothing written) when cancelled. */
export async function configureGcp(deps: GcpFlowDeps): Promise<GcpConfiguration | undefined> {
  const answers = await askAll(deps);
  if (!answers) return undefined;
  await writeSettings(deps.settings, answers);
  return answers;
}

async function askAll({ folderName, prompter, listings, settings }: GcpFlowDeps): Promise<GcpConfiguration | undefined> {
  const current = (setting: { key: string; parse: (raw: unknown, key: string) => string | undefined }): string | undefined => {
    // A current value the schema refuses is not offered as a default: it would be written back.
    try {
      return setting.parse(settings.get(setting.key), setting.key) || undefined;
    } catch {
      return undefined;
    }
  };
  const ask = new Steps(prompter);

  const project = await ask.listed({
    title: l10n.t('Stackwatch: Google Cloud Project ({0}/{1})', 1, STEPS),
    typeIt: l10n.t('Type the project.'),
    current: current(GCP_SETTINGS.gcpProject),
    load: async () => (await listings.projectHints()).map((h) => ({ value: h.id, description: h.source })),
    empty: l10n.t('No project is known from gcloud, the environment or Application Default Credentials.'),
    placeholder: l10n.t('The Google Cloud project the deployment lives in (pick, or type a project ID)'),
    validate: projectIdProblem,
  });
  if (project === undefined) return undefined;

  const currentLocation = current(GCP_SETTINGS.gcpLocation);
  const location = await ask.listed({
    title: l10n.t('Stackwatch: Google Cloud Location ({0}/{1})', 2, STEPS),
    typeIt: l10n.t('Type the location.'),
    current: currentLocation ?? DEFAULT_LOCATION,
    currentIs: currentLocation ? 'current' : 'default',
    load: async () => (await listings.locations(project)).map((l) => ({ value: l.id, description: l.displayName })),
    empty: l10n.t('Infrastructure Manager listed no locations for project {0}.', project),
    placeholder: l10n.t('Where Infrastructure Manager runs Terraform and keeps the state'),
    validate: locationProblem,
  });
  if (location === undefined) return undefined;

  const deploymentName = await ask.input({
    title: l10n.t('Stackwatch: Google Cloud Deployment ID ({0}/{1})', 3, STEPS),
    prompt: l10n.t('Lower-case letters, digits and hyphens, starting with a letter (at most 63)'),
    value:
      current(GCP_SETTINGS.gcpDeploymentId) ??
      validOrUndefined(current(COMMON_SETTINGS.stackName), deploymentNameStepProblem) ??
      defaultDeploymentName(folderName),
    validate: deploymentNameStepProblem,
  });
  if (deploymentName === undefined) return undefined;

  const serviceAccount = await ask.listed({
    title: l10n.t('Stackwatch: Google Cloud Service account ({0}/{1})', 4, STEPS),
    typeIt: l10n.t('Type the service account.'),
    current: current(GCP_SETTINGS.gcpServiceAccount),
    load: async () => {
      const accounts = await listings.serviceAccounts(project);
      // A disabled account cannot run Terraform; offering it would fail the first deploy.
      return accounts.filter((a) => !a.disabled).map((a) => ({ value: a.email, description: a.displayName }));
    },
    empty: l10n.t('Project {0} has no enabled service accounts.', project),
    placeholder: l10n.t('The service account Terraform runs as (it needs roles/config.agent)'),
    validate: serviceAccountProblem,
  });
  if (serviceAccount === undefined) return undefined;

  const blueprintFolder = await ask.listed({
    title: l10n.t('Stackwatch: Google Cloud Blueprint folder ({0}/{1})', 5, STEPS),
    typeIt: l10n.t('Type the blueprint folder.'),
    current: current(GCP_SETTINGS.gcpBlueprintFolder),
    load: async () => (await listings.blueprintFolders()).map((f) => ({ value: f, description: f === '.' ? l10n.t('the workspace folder') : undefined })),
    empty: l10n.t('No folder with .tf files was found in {0}.', folderName),
    placeholder: l10n.t('The Terraform root module (a folder with .tf files), relative to the workspace folder'),
    validate: blueprintFolderProblem,
  });
  if (blueprintFolder === undefined) return undefined;

  const stagingBucket = await ask.listed({
    title: l10n.t('Stackwatch: Google Cloud Staging bucket ({0}/{1})', 6, STEPS),
    typeIt: l10n.t('Type the staging bucket.'),
    current: current(GCP_SETTINGS.gcpStagingBucket),
    load: async () => (await listings.buckets(project)).map((b) => ({ value: b.name, description: b.location?.toLowerCase() })),
    empty: l10n.t('Project {0} has no Cloud Storage buckets.', project),
    placeholder: l10n.t('The Cloud Storage bucket the zipped blueprint is uploaded to'),
    validate: bucketNameProblem,
  });
  if (stagingBucket === undefined) return undefined;

  return { project, location, deploymentName, serviceAccount, blueprintFolder, stagingBucket };
}

/** The provider, then the six settings; only after every answer is in. */
async function writeSettings(settings: SettingsStore, answers: GcpConfiguration): Promise<void> {
  if (settings.get(SETTING_KEYS.provider) !== 'gcp') await settings.update(SETTING_KEYS.provider, 'gcp');
  await settings.update(GCP_SETTING_KEYS.project, answers.project);
  await settings.update(GCP_SETTING_KEYS.location, answers.location);
  await settings.update(GCP_SETTING_KEYS.deploymentName, answers.deploymentName);
  await settings.update(GCP_SETTING_KEYS.serviceAccount, answers.serviceAccount);
  await settings.update(GCP_SETTING_KEYS.blueprintFolder, answers.blueprintFolder);
  await settings.update(GCP_SETTING_KEYS.stagingBucket, answers.stagingBucket);
}

interface ListedStep {
  /** The step's title, with its number. */
  title: string;
  /** The sentence asking for the value when it is to be typed, e.g. "Type the project." */
  typeIt: string;
  current: string | undefined;
  /** How the current value is marked; 'current' unless it is only the setting's default. */
  currentIs?: CurrentIs;
  load: () => Promise<PickItem[]>;
  /** Why the step is typed when the listing found nothing. */
  empty: string;
  placeholder: string;
  validate: (value: string) => string | undefined;
}

class Steps {
  constructor(private readonly prompter: Prompter) {}

  /** A pick from the listing (current first, typing allowed), or typing with the reason the listing failed. */
  async listed(spec: ListedStep): Promise<string | undefined> {
    let items: PickItem[];
    try {
      items = await spec.load();
    } catch (error) {
      return this.input({ title: spec.title, prompt: `${reasonOf(error)} ${spec.typeIt}`, value: spec.current ?? '', validate: spec.validate });
    }
    if (items.length === 0)
      return this.input({ title: spec.title, prompt: `${spec.empty} ${spec.typeIt}`, value: spec.current ?? '', validate: spec.validate });
    return this.pick({
      title: spec.title,
      placeholder: spec.placeholder,
      items: currentFirst(items, spec.current, spec.currentIs),
      allowTyped: true,
      validate: spec.validate,
    });
  }

  async pick(step: PickStep): Promise<string | undefined> {
    return checked(await this.prompter.pick(step), step.validate);
  }

  async input(step: InputStep): Promise<string | undefined> {
    return checked(await this.prompter.input(step), step.validate);
  }
}

/**
 * The UI blocks an invalid value already; this is the flow's own guarantee that nothing it
 * writes failed its step's check. Such an answer ends the flow like Escape (nothing written).
 */
function checked(value: string | undefined, validate: (value: string) => string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return validate(trimmed) === undefined ? trimmed : undefined;
}

/** The current value leads, marked; added when the listing does not have it (typed earlier, or no access). */
function currentFirst(items: PickItem[], current: string | undefined, currentIs: CurrentIs = 'current'): PickItem[] {
  if (current === undefined) return items;
  const listed = items.find((i) => i.value === current);
  const note = noteOf(currentIs, listed !== undefined);
  const head: PickItem = listed
    ? { ...listed, description: listed.description ? `${note} · ${listed.description}` : note }
    : { value: current, description: note };
  return [head, ...items.filter((i) => i.value !== current)];
}

function validOrUndefined(value: string | undefined, validate: (value: string) => string | undefined): string | undefined {
  return value !== undefined && validate(value) === undefined ? value : undefined;
}

/** What the value offered first is: the setting's current value, or only its default. */
type CurrentIs = 'current' | 'default';

/** How the value offered first is marked in the list; `listed`: the listing has it too. */
function noteOf(currentIs: CurrentIs, listed: boolean): string {
  if (currentIs === 'current')
    return listed
      ? l10n.t({ message: 'current', comment: ["Marks the setting's current value in a list of values to pick from."] })
      : l10n.t({
          message: 'current (not in the list)',
          comment: ["Marks the setting's current value, which the listing of values to pick from does not have."],
        });
  return listed
    ? l10n.t({ message: 'default', comment: ["Marks the setting's default value in a list of values to pick from."] })
    : l10n.t({
        message: 'default (not in the list)',
        comment: ["Marks the setting's default value, which the listing of values to pick from does not have."],
      });
}

/** Why a listing failed, in one bounded line: the error and what to do about it. */
function reasonOf(error: unknown): string {
  const message = error instanceof ProviderError ? sentences(error.message, error.details.hint) : error instanceof Error ? error.message : String(error);
  const line = message.replace(/\s+/g, ' ').trim();
  const bounded = line.length > 300 ? `${line.slice(0, 297)}…` : line;
  return sentence(bounded);
}
