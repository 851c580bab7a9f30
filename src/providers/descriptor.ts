/**
 * What core code may know about a provider, in two halves. The descriptor is light (words,
 * settings, target mapping, stop policy, input detection): it loads at activation, so it imports
 * no SDK. The runtime is heavy (the SDK adapter, the input step, the configure flow): each
 * descriptor loads its own with `import('./runtime.js')` on first use, which the build turns
 * into that provider's own bundle. Core code branches on neither the kind nor its words: it asks
 * the registry for the descriptor and does what it says.
 */
import type { Translations } from '../shared/translations';
import type { Uri, WorkspaceFolder } from 'vscode';
import type { StackSettings } from '../config/stackSettings';
import type { ReadSetting, Setting, SettingsPlace } from '../config/settingTypes';
import type { CheckInput, CheckReport, DeploymentContext, InitializeInput, InitializedDeployment } from '../deployment/machine';
import type { DeploymentFiles } from '../preflight/relevance';
import type { Vocabulary } from '../shared/vocabulary';
import type { OperationRef, Provider, ProviderKind, TargetRef, TemplateSource } from './provider';

/** The machine's `initialize` step: checks the provider's input in the workspace and loads it. */
export type TemplateInitializer = (input: InitializeInput, signal: AbortSignal) => Promise<InitializedDeployment>;

/**
 * A provider's slow local check (a linter) that the machine runs beside staging, from the end of
 * initialize until the execute, when initialize announces it (InitializedDeployment.check). It
 * rejects with an InputError (file, line) for an error that must block the execute; any other
 * outcome, including not being able to run, resolves and never blocks.
 */
export type BackgroundCheck = (input: CheckInput, signal: AbortSignal) => Promise<CheckReport>;

/** A small key-value store that outlives the window (VS Code's Memento), for what a provider caches between deployments. */
export interface ProviderMemory {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** A provider adapter the deployment manager owns: disposed with its session. */
export type OwnedProvider = Provider & { dispose(): void };

/** The settings a provider reads, and which of them the first-run flow asks for. */
export interface ProviderSettings<S extends StackSettings> {
  /** Every setting of this provider, for the schema test and for reading current values. */
  readonly all: readonly Setting<unknown>[];
  /** Reads and checks this provider's settings; throws a SettingsError naming the first one wrong or missing. */
  read(read: ReadSetting, place: SettingsPlace, common: Omit<StackSettings, 'provider'>): S;
  /** Keys whose value, when missing, the first-run flow asks for instead of reporting an error. */
  readonly firstRunKeys: readonly string[];
  /** Read settings that still lack what a first deployment cannot start without. */
  needsFirstRun(settings: S): boolean;
}

/** What the view model knows when it decides whether Stop can act. */
export interface StopFacts {
  /** The person asked to stop, and the provider took it. */
  stopRequested: boolean;
  /** What the running operation does, once one started. */
  operationKind?: OperationRef['kind'];
  /** The provider's last status of the target. */
  providerStatus?: string;
  /** The machine or the provider says the target is rolling back. */
  rollingBack: boolean;
}

export interface StopVerdict {
  enabled: boolean;
  /** Why, in the provider's terms: the Stop button's tooltip. */
  reason: string;
}

/** A yes asked before stopping, when a stop can leave a change half applied. */
export interface StopConfirmation {
  message: string;
  detail: string;
  confirm: string;
  keep: string;
}

export interface StopPolicy {
  /** Whether Stop can act on a running operation now, and why. */
  control(facts: StopFacts): StopVerdict;
  /** The question to ask first; undefined when a stop goes ahead at once. */
  confirmation(targetName: string): StopConfirmation | undefined;
}

/** How Save names and describes what was staged for review. */
export interface SavedArtefact {
  /** What is saved, in words, e.g. 'staged template'. */
  what: string;
  /** The save dialog's title. */
  dialogTitle: string;
  /** The word the offered file name puts after the target's name, e.g. 'staged' for orders-api-staged-2026-12-01-0612.yaml. */
  fileLabel: string;
}

/** How a provider's input is recognized in the editor and the Explorer. */
export interface InputDetection {
  /** What the input is, for the question which provider a workspace deploys with. */
  description: string;
  /** Editor languages the input is written in; the editor-title button shows only on these. */
  languages: readonly string[];
  /** The text looks like this provider's input (read from the file's start). */
  looksLike(text: string): boolean;
  /** A file chosen in the Explorer that, alone, makes a deployment of this provider. */
  claimsFile(fsPath: string): boolean;
  /** The configured input file, compared with a chosen one; undefined when the input is no single file. */
  configuredFile(settings: StackSettings): string | undefined;
  /** The workspace folder holds this provider's input: decides the configure flow when no provider is set. */
  holdsInput(folder: WorkspaceFolder): Promise<boolean>;
}

/**
 * A resource type (the provider's own name) and the seconds a create, update and delete of it
 * usually take; an update or delete left out is scaled from the create (deployment/durations).
 */
export type DurationDefault = readonly [pattern: RegExp, create: number, update?: number, remove?: number];

/** Resource types, in the provider's own names, whose changes auto-execute never runs alone. */
export interface ReviewTypes {
  /** They hold data: replacing or deleting one loses it. */
  dataStores: ReadonlySet<string>;
  /** Targets of their own (a nested stack): what changes inside them is not in the change list. */
  nestedTargets: ReadonlySet<string>;
}

/**
 * A choice the person makes per target in the review (and that is remembered for it), which the
 * provider applies when it stages: changing one stages again.
 */
export interface DeploymentOptionSpec {
  /** Stable key, stored per target and passed to stage() in StageRequest.options. */
  id: string;
  /** Short label for a checkbox or a dropdown. */
  label: string;
  /** What it does, and what it gives up: the control's tooltip and the line under it. */
  description: string;
  kind: 'flag' | 'choice';
  /** For 'choice': the values offered, in order; `givesUp` as below, for that value. */
  choices?: ReadonlyArray<{ value: string; label: string; givesUp?: string }>;
  default: boolean | string;
  /** Which stagings it applies to; it is shown (disabled, with a reason) otherwise. */
  appliesTo: 'create' | 'update' | 'always';
  /**
   * For a flag turned on: what it gives up, in a few words ("automatic rollback"). Auto-execute
   * never runs changes staged with such an option in force: they wait for review, and the notice
   * names what is given up (deployment/deploymentOptions.ts givenUp).
   */
  givesUp?: string;
}

/** Where a row's resource is in the provider's console. */
export interface ConsoleLinkRequest {
  target: TargetRef;
  /** The target's provider ID (a stack ARN), when known. */
  targetId?: string;
  logicalId: string;
  resourceType: string;
  physicalId?: string;
}

export interface ProviderDescriptor<S extends StackSettings = StackSettings> {
  readonly kind: ProviderKind;
  /** The words the monitor, status bar and notifications use. */
  readonly words: Vocabulary;
  readonly settings: ProviderSettings<S>;
  targetOf(settings: S): TargetRef;
  /** The workspace's settings, aimed at another target of the same provider (one being restored). */
  settingsFor(settings: S, target: TargetRef): S;
  /** Where a deployment runs beyond its target's name and region, in words (no secrets). */
  whereOf(settings: S): string;
  readonly stop: StopPolicy;
  readonly saved: SavedArtefact;
  readonly input: InputDetection;
  /** Resource types whose changes always wait for a person (deployment/reviewPolicy.ts). */
  readonly review: ReviewTypes;
  /** Options the review offers per target (none when absent). */
  readonly deploymentOptions?: readonly DeploymentOptionSpec[];
  /** How long changes usually take per resource type, before a workspace has learned its own (first match wins). */
  readonly durations?: readonly DurationDefault[];
  /** An https URL of the resource in the provider's console; undefined when there is none. */
  consoleUrl?(request: ConsoleLinkRequest): string | undefined;
  /** The heavy half, loaded on first use (`import('./runtime.js')`, its own bundle). */
  loadRuntime(): Promise<ProviderRuntime<S>>;
  /**
   * Rewrites what an older Stackwatch saved in this provider's own encoding into today's, so a
   * deployment saved before an upgrade resumes the same way (session.ts, by snapshot version).
   */
  readonly upgradeSaved?: (context: DeploymentContext, savedVersion: number) => DeploymentContext;
}

/** What the runtime needs from the workspace to build a deployment's steps. */
export interface StepOptions {
  /** The workspace folder: files reached through symlinks must stay inside it. */
  workspaceFolder: string;
  /** How messages name files (workspace-relative). */
  displayPath: (absPath: string) => string;
  /** For what the person should see in the log (who the deployment runs as). */
  info: (message: string) => void;
  /** Where the provider may keep small caches between deployments; without it they last only in memory. */
  memory?: ProviderMemory;
}

/** A deployment's provider-specific steps. */
export interface ProviderSteps {
  provider: OwnedProvider;
  initialize: TemplateInitializer;
  /** The background check initialize may announce; absent for a provider without one. */
  check?: BackgroundCheck;
  /** The files a deployment reads, for preflight's unsaved-file and stale-build checks. */
  files: DeploymentFiles;
}

export interface ConfigureOptions {
  /** A file chosen in the Explorer or editor title, which this provider claims. */
  input?: Uri;
  /** The provider the settings name now, if any. */
  configured?: ProviderKind;
}

/** The provider's first-run quick-pick flow. */
export interface ConfigureFlow {
  /** Asks and saves the settings; false when the person cancelled, leaving them as they were. */
  run(folder: WorkspaceFolder, options: ConfigureOptions): Promise<boolean>;
}

/** A place in the provider's input that a finding or failure points at. */
export interface InputPointer {
  /** The resource (a row key: "Parent/Child" inside nested targets). */
  logicalId?: string;
  /** A path inside the template ("/Resources/Bucket/Properties/BucketName") or the resource ("Properties.BucketName"). */
  path?: string;
}

/** 1-based line and column in a file; `file` absent means the deployment's own template. */
export interface InputLocation {
  file?: string;
  line: number;
  column?: number;
}

export interface ProviderRuntime<S extends StackSettings = StackSettings> {
  steps(settings: S, options: StepOptions): Promise<ProviderSteps>;
  readonly configure: ConfigureFlow;
  /**
   * Where a pointer lands in the submitted template (and, for a nested target whose template is
   * a workspace file, in that file): the line of the deepest part of the path that exists.
   * Undefined when it cannot be placed.
   */
  locate?(template: TemplateSource, pointer: InputPointer, options: Pick<StepOptions, 'workspaceFolder'>): InputLocation | undefined;
  /** The runtime's bundle has its own copy of `@vscode/l10n`: it is handed the extension's translations on load. */
  useTranslations(translations: Translations | undefined): void;
}
