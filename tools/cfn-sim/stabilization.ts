/**
 * CONFIGURATION_COMPLETE: CloudFormation tells when a resource is configured and only waits for it
 * to stabilize (a function becoming Active, a service reaching its desired count). The resource then
 * gets a `CREATE_IN_PROGRESS` (or `UPDATE_IN_PROGRESS`) event "Eventual consistency check initiated"
 * with `DetailedStatus` CONFIGURATION_COMPLETE, and later its `*_COMPLETE`.
 *
 * Here the types below stabilize, and reach configuration complete at 60% of their step. In EXPRESS
 * mode they complete at that point: the step is cut to 60% and both events come at its end.
 * Source: UG "Understand CloudFormation stack creation events",
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stack-resource-configuration-complete.html
 */

export const CONFIGURATION_COMPLETE = 'CONFIGURATION_COMPLETE';
export const CONSISTENCY_CHECK = 'Eventual consistency check initiated';

const STABILIZING =
  /^AWS::(Lambda::Function|Serverless::Function|ECS::Service|DynamoDB::(Global)?Table|RDS::DB(Instance|Cluster)|CloudFront::Distribution|EC2::Instance|AutoScaling::AutoScalingGroup|ElasticLoadBalancingV2::LoadBalancer|EKS::Cluster|ElastiCache::(CacheCluster|ReplicationGroup))$/;

const CONFIGURED_AT = 0.6;

export interface StepTiming {
  seconds: number;
  /** Seconds into the step at which the resource is configured; absent for types that do not stabilize. */
  configuredAfter?: number;
}

export function stabilizes(type: string): boolean {
  return STABILIZING.test(type);
}

export function stepTiming(type: string, seconds: number, express: boolean): StepTiming {
  if (!stabilizes(type)) return { seconds };
  const configuredAfter = Math.round(seconds * CONFIGURED_AT * 1000) / 1000;
  return { seconds: express ? configuredAfter : seconds, configuredAfter };
}
