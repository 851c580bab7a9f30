/**
 * Where a change row's resource is in the AWS console: the service's own page for the common
 * types (when the physical ID names the resource), else the stack's Resources tab filtered to its
 * logical ID. Light: the descriptor calls it without loading the SDK.
 */
import type { ConsoleLinkRequest } from '../descriptor';

/** Region names are lowercase words and digits; anything else is not put into a host name. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function consoleHost(region: string): string {
  if (region.startsWith('cn-')) return `${region}.console.amazonaws.cn`;
  if (region.startsWith('us-gov-')) return `${region}.console.amazonaws-us-gov.com`;
  return `${region}.console.aws.amazon.com`;
}

/** IAM has no region: its console is the partition's global one. */
function globalHost(region: string): string {
  if (region.startsWith('cn-')) return 'console.amazonaws.cn';
  if (region.startsWith('us-gov-')) return 'console.amazonaws-us-gov.com';
  return 'console.aws.amazon.com';
}

type ServicePage = (physicalId: string, region: string) => string;

const enc = encodeURIComponent;

const SERVICE_PAGES: Record<string, ServicePage> = {
  'AWS::S3::Bucket': (bucket, region) => `https://${consoleHost(region)}/s3/buckets/${enc(bucket)}?region=${region}`,
  // An SQS queue's physical ID is its URL, which is also what the console's page is keyed by.
  'AWS::SQS::Queue': (queueUrl, region) => `https://${consoleHost(region)}/sqs/v3/home?region=${region}#/queues/${enc(queueUrl)}`,
  'AWS::Lambda::Function': (name, region) => `https://${consoleHost(region)}/lambda/home?region=${region}#/functions/${enc(name)}`,
  'AWS::DynamoDB::Table': (name, region) => `https://${consoleHost(region)}/dynamodbv2/home?region=${region}#table?name=${enc(name)}`,
  'AWS::IAM::Role': (name, region) => `https://${globalHost(region)}/iam/home#/roles/details/${enc(name)}`,
  'AWS::CloudFormation::Stack': (stackId, region) =>
    `https://${consoleHost(region)}/cloudformation/home?region=${region}#/stacks/stackinfo?stackId=${enc(stackId)}`,
};

export function awsConsoleUrl(request: ConsoleLinkRequest): string | undefined {
  const region = request.target.region;
  if (!region || !REGION.test(region)) return undefined;
  const servicePage = SERVICE_PAGES[request.resourceType];
  if (servicePage && request.physicalId) return servicePage(request.physicalId, region);
  // A nested row ("Network/Subnet") is filtered by its own logical ID, the part the console knows.
  const logicalId = request.logicalId.slice(request.logicalId.lastIndexOf('/') + 1);
  const stack = request.targetId ?? request.target.name;
  return `https://${consoleHost(region)}/cloudformation/home?region=${region}#/stacks/resources?stackId=${enc(stack)}&filteringText=${enc(logicalId)}&viewNested=true`;
}
