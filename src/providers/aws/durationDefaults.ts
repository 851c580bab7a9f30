/**
 * How long CloudFormation usually takes per resource type, in seconds to create, update and
 * delete (an update or delete left out is scaled from the create): the orders of magnitude its
 * consoles show. Queues and topics take seconds, IAM tens of seconds (CloudFormation waits for
 * propagation), instance profiles, load balancers and services minutes, databases and
 * distributions many. Only a start: each workspace learns its own (deployment/durations).
 * First match wins, so specific patterns come before the broad ones of the same service.
 */
import type { DurationDefault } from '../descriptor';

export const AWS_DURATION_DEFAULTS: readonly DurationDefault[] = [
  [/^AWS::SQS::/, 5, 5, 3],
  [/^AWS::SNS::/, 8, 5, 3],
  [/^AWS::(Logs|SSM|KMS::Alias|SecretsManager|StepFunctions|CloudWatch)::/, 3, 3, 2],
  [/^AWS::KMS::Key$/, 10, 5, 5],
  [/^AWS::Events::/, 20, 10, 10],
  [/^AWS::(ApiGateway|ApiGatewayV2)::/, 3, 3, 2],
  [/^AWS::S3::Bucket$/, 20, 10, 10],
  [/^AWS::S3::/, 3, 3, 2],
  [/^AWS::IAM::InstanceProfile$/, 120, 60, 120],
  [/^AWS::IAM::/, 20, 15, 10],
  [/^AWS::Lambda::EventSourceMapping$/, 60, 30, 30],
  [/^AWS::Lambda::(Permission|Alias|Version|Url)$/, 3, 3, 2],
  [/^AWS::Lambda::/, 10, 10, 5],
  [/^AWS::DynamoDB::/, 20, 30, 20],
  [/^AWS::EC2::NatGateway$/, 120, 60, 60],
  [/^AWS::EC2::(InternetGateway|VPCGatewayAttachment|TransitGateway.*)$/, 20, 15, 20],
  [/^AWS::EC2::(Instance|LaunchTemplate|SpotFleet|EC2Fleet)$/, 60, 45, 60],
  [/^AWS::EC2::/, 5, 5, 5],
  [/^AWS::ECS::Service$/, 180, 180, 120],
  [/^AWS::ECS::/, 10, 5, 5],
  [/^AWS::ElasticLoadBalancingV2::LoadBalancer$/, 180, 30, 60],
  [/^AWS::ElasticLoadBalancingV2::/, 10, 5, 5],
  [/^AWS::AutoScaling::AutoScalingGroup$/, 120, 120, 120],
  [/^AWS::Route53::/, 40, 40, 40],
  [/^AWS::CertificateManager::/, 300, 60, 10],
  [/^AWS::CloudFront::Distribution$/, 300, 300, 900],
  [/^AWS::CloudFront::/, 5, 5, 5],
  [/^AWS::RDS::(DBInstance|DBCluster)$/, 600, 600, 400],
  [/^AWS::RDS::/, 10, 10, 10],
  [/^AWS::(ElastiCache|OpenSearchService|Elasticsearch|EKS|MSK|Redshift)::/, 600, 600, 600],
  [/^AWS::CloudFormation::Stack$/, 60, 60, 60],
  [/^(Custom::|AWS::CloudFormation::CustomResource$)/, 20, 20, 20],
];
