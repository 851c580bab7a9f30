/** The simulator's public types, shared by the programmatic API and the /_sim control routes. */
import type { DriftRequest, DriftResult } from './drift';
import type { SimSettings } from './settings';

export type { SimSettings } from './settings';
export type { DurationMode } from './durations';

export interface CfnSimOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (ephemeral). */
  port?: number;
  /** Simulated seconds per real second. Default 1; 0 freezes time so only advance() moves it. */
  speed?: number;
  /** Default us-east-1. */
  region?: string;
  /** Default 123456789012. */
  accountId?: string;
  /** DescribeStackEvents page size. Default 100. */
  eventsPageSize?: number;
  /** DescribeChangeSet page size. Default 100. */
  changesPageSize?: number;
  /** Simulated seconds for a change set to go CREATE_PENDING → CREATE_COMPLETE. Default 2. */
  changeSetSeconds?: number;
  /** Default true. False: DescribeStackEvents leaves out ClientRequestToken, as some endpoints do. */
  echoEventTokens?: boolean;
  /** Default true. False: no OperationId on events and no LastOperations on stacks. */
  echoOperationIds?: boolean;
  /** Default 'fixed' (2 s per step). 'realistic': about 1 s to several minutes by resource type, fractional. */
  durations?: SimSettings['durations'];
  /** Seed for 'realistic' durations and for durationJitter. Default 1. */
  durationSeed?: number;
  /** Spread of scripted and fixed durations, as a fraction: see SimSettings. Default 0. */
  durationJitter?: number;
  /** Default 'failed'. See SimSettings. */
  noUpdatesWithTransform?: SimSettings['noUpdatesWithTransform'];
  /** Named resources that exist outside any stack, e.g. [{ type: 'AWS::S3::Bucket', identifier: 'legacy-bucket' }]. Default none. */
  existingResources?: SimSettings['existingResources'];
}

/** A request made as another client (console, CLI), not as the client under test. */
export type OtherClientRequest =
  | { action: 'CancelUpdateStack' | 'DeleteStack'; stackName: string; token?: string }
  | { action: 'UpdateStack'; stackName: string; templateBody: string; parameters?: Record<string, string>; token?: string };

export interface OtherClientResult {
  /** The ClientRequestToken used: the given one, or `Console-<Action>-<uuid>`. */
  token: string;
  /** The stack's newest OperationId after the request. */
  operationId?: string;
}

export type FaultKind = 'throttle' | 'server-error' | 'drop';

export interface FaultRule {
  /** e.g. 'DescribeStackEvents'; absent means any action. */
  action?: string;
  kind: FaultKind;
  /** How many matching calls fail; then the rule is used up. */
  count: number;
}

export interface CallRecord {
  action: string;
  /** Real ISO time the call arrived. */
  at: string;
  /** Form parameters other than Action and Version. */
  params: Record<string, string>;
  fault?: FaultKind;
  /** HTTP status sent; 0 when the connection was dropped. */
  status: number;
  /** The caller: the access key ID in the SigV4 Authorization header's Credential=…; absent when unsigned. */
  accessKeyId?: string;
  /** Real ISO time the answer was sent; absent when the connection was dropped. */
  answeredAt?: string;
  /** DescribeChangeSet: the change set's Status in the answer (e.g. CREATE_COMPLETE). */
  changeSetStatus?: string;
  /** DescribeStackEvents: the page held an event this caller had not been given before. */
  news?: boolean;
}

/** One stack event as the simulator wrote it, for comparing when a client first showed it. */
export interface SimEventRecord {
  stackName: string;
  stackId: string;
  eventId: string;
  logicalId: string;
  resourceType: string;
  status: string;
  /** When it happened, epoch ms of the simulated clock: the wall clock at speed 1 with no advance(). */
  at: number;
}

export interface SimResourceView {
  logicalId: string;
  type: string;
  physicalId?: string;
  status: string;
  statusReason?: string;
}

export interface SimChangeSetView {
  name: string;
  id: string;
  status: string;
  executionStatus: string;
  statusReason?: string;
}

export interface SimOutputView {
  key: string;
  value: string;
  description?: string;
  exportName?: string;
}

export interface SimStackView {
  name: string;
  id: string;
  status: string;
  statusReason?: string;
  deleted: boolean;
  creationTime: string;
  lastUpdatedTime?: string;
  resources: SimResourceView[];
  changeSets: SimChangeSetView[];
  outputs: SimOutputView[];
}

export interface CfnSim {
  /** http://127.0.0.1:PORT, to pass as `endpoint` to the SDK client. */
  url: string;
  close(): Promise<void>;
  /** Forgets all stacks, faults and calls, and puts the settings back to the options given at start. */
  reset(): void;
  inject(rule: FaultRule): void;
  /** Disarms every injected fault still armed; stacks and calls stay. */
  clearFaults(): void;
  /** Every API call received (not control routes), oldest first. */
  calls(): CallRecord[];
  /** Every stack event so far (deleted stacks' too), per stack oldest first. */
  eventLog(): SimEventRecord[];
  stacks(): SimStackView[];
  /** Jumps the simulated clock forward and runs everything that came due. */
  advance(seconds: number): void;
  /** The simulated clock now, epoch ms (what event timestamps are measured on). */
  now(): number;
  setSpeed(speed: number): void;
  /** Changes behaviour switches while running; returns all of them. Throws on an unknown or ill-typed one. */
  configure(settings: Partial<SimSettings>): SimSettings;
  /** Acts as another client (console, CLI): see OtherClientRequest. Throws the SimError CloudFormation would answer with. */
  asOtherClient(request: OtherClientRequest): OtherClientResult;
  /** Stores an object in the simulator's own S3 (s3.ts); returns its path-style URL `${url}/bucket/key`, usable as a TemplateURL. */
  putObject(bucket: string, key: string, body: string | Buffer): string;
  /** Sets a live resource's actual state out of band (drift.ts). Throws when the resource does not exist. */
  drift(request: DriftRequest): DriftResult;
}
