/** The simulator's public types, shared by the programmatic API and the /_sim control routes. */

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
  /** Forgets all stacks, faults and calls. */
  reset(): void;
  inject(rule: FaultRule): void;
  /** Every API call received (not control routes), oldest first. */
  calls(): CallRecord[];
  stacks(): SimStackView[];
  /** Jumps the simulated clock forward and runs everything that came due. */
  advance(seconds: number): void;
  setSpeed(speed: number): void;
}
