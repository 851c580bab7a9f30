/**
 * What an apply tells while it runs, beyond its resources' events: where its Cloud Build log is,
 * that resources are not being reported (Infrastructure Manager keeps resource metadata from the
 * Terraform state stored per revision, https://cloud.google.com/infrastructure-manager/docs/view-resources,
 * and does not promise it during the apply), whether the apply's own plan differs from the
 * preview, and where a requested cancel stands. Each is told once; the cursor remembers which.
 */
import * as l10n from '@vscode/l10n';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import type { DeploymentEvent } from '../provider';
import { planDifferenceNotice, planDifferences, type PlannedIntents } from './applyPlan';
import { cancelAftermath, cancelWaiting } from './cancel';
import { errorLogsLink } from './failures';

/** The part of the poll cursor this module keeps. */
export interface ProgressMemory {
  /** Keys of the notices already told. */
  told: string[];
  /** The reviewed preview's intents, carried from the first poll so a restarted window keeps them. */
  previewed?: PlannedIntents;
  /** The apply's own plan has been compared with the preview. */
  compared?: boolean;
}

export function decodeProgress(value: unknown): ProgressMemory {
  if (typeof value !== 'object' || value === null) return { told: [] };
  const { told, previewed, compared } = value as Record<string, unknown>;
  const intents: PlannedIntents = {};
  if (typeof previewed === 'object' && previewed !== null)
    for (const [address, intent] of Object.entries(previewed)) if (typeof intent === 'string') intents[address] = intent;
  return {
    told: Array.isArray(told) ? told.filter((key): key is string => typeof key === 'string') : [],
    ...(typeof previewed === 'object' && previewed !== null ? { previewed: intents } : {}),
    ...(compared === true ? { compared } : {}),
  };
}

export interface ProgressReading {
  memory: ProgressMemory;
  /** The preview's intents as this window remembers them (only needed on the first poll). */
  previewed?: PlannedIntents;
  targetName: string;
  operationName: string;
  now: string;
  /** The operation is not done. */
  running: boolean;
  step?: string;
  metadata?: config_v1.Schema$DeploymentOperationMetadata;
  revision?: string;
  /** The revision's resources as listed; undefined when no revision of ours is known. */
  resources?: config_v1.Schema$Resource[];
  ended?: 'succeeded' | 'failed' | 'cancelled';
  /** This window's cancel was accepted by the service. */
  cancelAccepted: boolean;
  /** The operation says a cancel was requested (by anyone). */
  cancelRequested: boolean;
}

export interface ProgressNews {
  notices: string[];
  /** Rows the service never reported on, told so at the end instead of left looking pending. */
  events: DeploymentEvent[];
  memory: ProgressMemory;
}

export function progressNews(reading: ProgressReading): ProgressNews {
  const memory: ProgressMemory = { ...reading.memory, told: [...reading.memory.told] };
  if (!memory.previewed && reading.previewed) memory.previewed = reading.previewed;
  const notices: string[] = [];
  const tell = (key: string, text: string | undefined): void => {
    if (!text || memory.told.includes(key)) return;
    memory.told.push(key);
    notices.push(text);
  };
  const reported = reading.resources ?? [];

  tell('logs', buildLogNotice(reading.metadata));
  if (reading.running && reading.step === 'RUNNING_TF_APPLY' && reported.length === 0) {
    tell(
      'quiet',
      l10n.t(
        'Infrastructure Manager is not reporting resources while this apply runs (it records them from the Terraform state it stores with each revision): the rows stay as they are until the apply ends, and are then settled from the revision. Meanwhile the status shows the step the apply is at.',
      ),
    );
  }
  if (memory.previewed && !memory.compared && reported.some((r) => r.intent)) {
    memory.compared = true;
    tell('plan', planDifferenceNotice(planDifferences(memory.previewed, reported)));
  }
  // The operation's own flag keeps this true after a reload, when this window's memory is gone.
  if (reading.running && (reading.cancelAccepted || reading.cancelRequested)) tell('cancelWaiting', cancelWaiting());
  if (!reading.running && (reading.cancelAccepted || reading.cancelRequested)) tell('cancelEnd', cancelAftermath(reading.ended));

  const events: DeploymentEvent[] = [];
  // A blueprint the preview showed with no resource changes has no rows to leave unsettled.
  const rowsExpected = memory.previewed === undefined || Object.keys(memory.previewed).length > 0;
  if (!reading.running && reading.ended && reading.revision && reported.length === 0 && rowsExpected) {
    tell('unreported', unreportedNotice(reading.ended));
    for (const address of Object.keys(memory.previewed ?? {})) events.push(unreportedEvent(reading, address));
  }
  return { notices, events, memory };
}

function buildLogNotice(metadata: config_v1.Schema$DeploymentOperationMetadata | undefined): string | undefined {
  const logs = errorLogsLink(metadata?.logs);
  if (!logs && !metadata?.build) return undefined;
  const build = metadata?.build;
  if (build && logs) return l10n.t('Infrastructure Manager runs this apply in Cloud Build (build {0}); its log: {1}.', build, logs);
  if (build) return l10n.t('Infrastructure Manager runs this apply in Cloud Build (build {0}).', build);
  return l10n.t('Infrastructure Manager runs this apply in Cloud Build; its log: {0}.', logs ?? '');
}

function unreportedNotice(ended: 'succeeded' | 'failed' | 'cancelled'): string {
  switch (ended) {
    case 'succeeded':
      return l10n.t(
        'Infrastructure Manager reported no resources for this revision, so no row can be marked applied or failed: only that the apply as a whole succeeded is known.',
      );
    case 'cancelled':
      return l10n.t(
        'Infrastructure Manager reported no resources for this revision, so no row can be marked applied or failed: only that the apply as a whole was cancelled is known.',
      );
    case 'failed':
      return l10n.t(
        'Infrastructure Manager reported no resources for this revision, so no row can be marked applied or failed: only that the apply as a whole failed is known.',
      );
  }
}

function unreportedEvent(reading: ProgressReading, address: string): DeploymentEvent {
  const parts = address.split('.');
  return {
    id: `${reading.revision ?? reading.operationName}|${address}|NOT_REPORTED`,
    timestamp: reading.now,
    logicalId: address,
    // TYPE.NAME, or module.M.TYPE.NAME: the type is the part before the name.
    resourceType: parts.length >= 2 ? (parts[parts.length - 2] ?? 'Unknown') : 'Unknown',
    providerStatus: 'NOT_REPORTED',
    // Pending is what is known: nothing says it was applied, and nothing says it was not.
    status: 'pending',
    reason: l10n.t(
      'Infrastructure Manager reported no resources for this revision, so whether this one was applied is not known here; check the deployment in the Cloud console.',
    ),
    isCancellation: false,
  };
}

/** One notice for the poll: the port carries one, and each of these is told once. */
export function joinNotices(...notices: readonly (string | undefined)[]): string | undefined {
  const present = notices.filter((n): n is string => Boolean(n));
  return present.length > 0 ? present.join(' ') : undefined;
}
