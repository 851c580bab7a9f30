/**
 * How long a resource step takes when its template does not say (`Metadata.Stackwatch.Seconds`).
 *
 * 'fixed' (the default) gives every step the same 2 simulated seconds, so fixtures stay fast and
 * their event timings exact. 'realistic' spreads steps from about a second to several minutes,
 * by resource type, with fractional seconds, so that a client's long idle polls get exercised.
 * The pick is a pure function of the seed and the step, so a scenario replays identically.
 *
 * `jitter` spreads the other two (a template's `Seconds`, the fixed default) by up to ± that
 * fraction, as the same resource takes a little more or less each time in CloudFormation. It is
 * keyed by the seed, the resource and its step, not the stack: two stacks deployed from one
 * template under one seed take exactly the same times, so two clients watching them side by side
 * see the same deployment; a new seed is a new round.
 */
import type { Knobs } from './knobs';

export type DurationMode = 'fixed' | 'realistic';

export const DEFAULT_RESOURCE_SECONDS = 2;

export type StepKind = 'create' | 'update' | 'delete' | 'revert';

export interface StepIdentity {
  stackName: string;
  logicalId: string;
  type: string;
  kind: StepKind;
  /** Tells apart the same step in successive operations (e.g. the number of events so far). */
  ordinal: number;
  /** How many events this resource had before this step: the same in two stacks with the same history. */
  resourceStep: number;
}

export interface DurationSpread {
  mode: DurationMode;
  seed: number;
  /** Fraction in [0, 1): scripted and fixed durations vary by up to ± this much. */
  jitter: number;
}

/**
 * Simulated seconds [min, max] per resource type, first match wins. The orders of magnitude
 * follow what CloudFormation consoles show for these types: queues and topics in seconds, IAM
 * in tens of seconds, instances and services in minutes, distributions and databases in many.
 */
const RANGES: readonly [RegExp, number, number][] = [
  [/^AWS::(SQS|SNS|Logs|SSM|ApiGateway|ApiGatewayV2|Events)::/, 0.8, 6],
  [/^AWS::S3::/, 1.5, 25],
  [/^AWS::IAM::(Role|InstanceProfile)$/, 8, 45],
  [/^AWS::IAM::/, 10, 30],
  [/^AWS::Lambda::/, 2, 40],
  [/^AWS::DynamoDB::/, 8, 90],
  [/^AWS::EC2::(VPC|Subnet|SecurityGroup|RouteTable|Route|InternetGateway|VPCGatewayAttachment)$/, 1, 20],
  [/^AWS::EC2::NatGateway$/, 90, 240],
  [/^AWS::EC2::/, 20, 150],
  [/^AWS::(ECS|ElasticLoadBalancingV2|AutoScaling)::/, 30, 300],
  [/^AWS::(CloudFront|RDS|ElastiCache|OpenSearchService|Elasticsearch|EKS)::/, 120, 600],
  [/^Custom::|^AWS::CloudFormation::(CustomResource|Stack|WaitCondition)$/, 3, 120],
];
const OTHER: readonly [number, number] = [1, 15];

export function stepSeconds({ mode, seed, jitter }: DurationSpread, knobs: Knobs, step: StepIdentity): number {
  if (knobs.seconds !== undefined) return jittered(knobs.seconds, jitter, seed, step);
  if (mode === 'fixed') return jittered(DEFAULT_RESOURCE_SECONDS, jitter, seed, step);
  const [min, max] = rangeFor(step.type);
  // Deletes and reverts are usually quicker than creates; keep them in the same range but lower.
  const scale = step.kind === 'delete' || step.kind === 'revert' ? 0.6 : 1;
  const u = unitHash(`${seed}|${step.stackName}|${step.logicalId}|${step.kind}|${step.ordinal}`);
  // Log-uniform, so a range of 1-300 s gives as many short steps as long ones.
  const seconds = Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) * scale;
  return Math.round(Math.max(0.5, seconds) * 1000) / 1000;
}

function jittered(seconds: number, jitter: number, seed: number, step: StepIdentity): number {
  if (jitter === 0 || seconds === 0) return seconds;
  const u = unitHash(`jitter|${seed}|${step.logicalId}|${step.kind}|${step.resourceStep}`);
  return Math.round(seconds * (1 + jitter * (2 * u - 1)) * 1000) / 1000;
}

function rangeFor(type: string): readonly [number, number] {
  for (const [pattern, min, max] of RANGES) if (pattern.test(type)) return [min, max];
  return OTHER;
}

/** FNV-1a, then one mulberry32 round: a well-spread number in [0, 1) from a string. */
function unitHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  let t = (h + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
