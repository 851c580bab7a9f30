/**
 * What the simulator knows about individual resource types: which property names the resource,
 * which properties force a replacement, the shape of physical IDs and of GetAtt values.
 * Types not listed still work, with generic IDs and attributes.
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { Resolved } from './intrinsics';
import type { ResourceDecl } from './template';
import { valueText } from '../sim-kit/text';

interface NamingContext {
  region: string;
  accountId: string;
}

interface TypeInfo {
  /** The property that names the resource; absent means CloudFormation generates a name. */
  nameProperty?: string;
  /** Properties whose change needs a new physical resource. */
  immutable?: readonly string[];
  lowercase?: boolean;
  maxNameLength?: number;
  /** Physical ID from the (given or generated) name. Default: the name itself. */
  physicalId?: (name: string, ctx: NamingContext, properties: Record<string, Resolved>) => string;
  /** Generated IDs that are not names, e.g. `vpc-0a1b…`. */
  generatedId?: () => string;
  arn?: (physicalId: string, ctx: NamingContext) => string;
  attributes?: Record<string, (facts: ResourceFacts) => Resolved>;
  /** Needs CAPABILITY_IAM, or CAPABILITY_NAMED_IAM when nameProperty is set. */
  iam?: boolean;
}

export interface ResourceFacts {
  logicalId: string;
  type: string;
  physicalId: string;
  properties: Record<string, Resolved>;
  region: string;
  accountId: string;
}

const hex = (n: number): string => randomChars(n, '0123456789abcdef');
const arnOf =
  (service: string, resource: (id: string) => string, global = false) =>
  (id: string, ctx: NamingContext): string =>
    `arn:aws:${service}:${global ? '' : ctx.region}:${ctx.accountId}:${resource(id)}`;
const lastSegment = (id: string): string => id.slice(id.lastIndexOf('/') + 1).replace(/^.*:/, '');

const TYPES: Record<string, TypeInfo> = {
  'AWS::S3::Bucket': {
    nameProperty: 'BucketName',
    immutable: ['BucketName'],
    lowercase: true,
    maxNameLength: 63,
    arn: (id) => `arn:aws:s3:::${id}`,
    attributes: {
      DomainName: (f) => `${f.physicalId}.s3.amazonaws.com`,
      RegionalDomainName: (f) => `${f.physicalId}.s3.${f.region}.amazonaws.com`,
      DualStackDomainName: (f) => `${f.physicalId}.s3.dualstack.${f.region}.amazonaws.com`,
      WebsiteURL: (f) => `http://${f.physicalId}.s3-website-${f.region}.amazonaws.com`,
    },
  },
  'AWS::S3::BucketPolicy': { immutable: ['Bucket'] },
  'AWS::SQS::Queue': {
    nameProperty: 'QueueName',
    immutable: ['QueueName', 'FifoQueue'],
    maxNameLength: 80,
    physicalId: (name, ctx, props) => `https://sqs.${ctx.region}.amazonaws.com/${ctx.accountId}/${fifoName(name, props['FifoQueue'])}`,
    arn: (id, ctx) => `arn:aws:sqs:${ctx.region}:${ctx.accountId}:${lastSegment(id)}`,
    attributes: { QueueName: (f) => lastSegment(f.physicalId), QueueUrl: (f) => f.physicalId },
  },
  'AWS::SNS::Topic': {
    nameProperty: 'TopicName',
    immutable: ['TopicName', 'FifoTopic'],
    maxNameLength: 256,
    physicalId: (name, ctx, props) => `arn:aws:sns:${ctx.region}:${ctx.accountId}:${fifoName(name, props['FifoTopic'])}`,
    arn: (id) => id,
    attributes: { TopicArn: (f) => f.physicalId, TopicName: (f) => lastSegment(f.physicalId) },
  },
  'AWS::Lambda::Function': {
    nameProperty: 'FunctionName',
    immutable: ['FunctionName'],
    maxNameLength: 64,
    arn: arnOf('lambda', (id) => `function:${id}`),
    attributes: { SnapStartResponse: () => ({ ApplyOn: 'None', OptimizationStatus: 'Off' }) },
  },
  'AWS::Lambda::Url': {
    immutable: ['TargetFunctionArn', 'Qualifier'],
    physicalId: (_name, ctx, props) => valueText(props['TargetFunctionArn'] ?? `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:unknown`),
    attributes: {
      FunctionUrl: (f) => `https://${stableChars(`${f.physicalId}/url`, 32, 'abcdefghijklmnopqrstuvwxyz0123456789')}.lambda-url.${f.region}.on.aws/`,
      FunctionArn: (f) => f.physicalId,
    },
  },
  'AWS::Lambda::Permission': {
    immutable: ['Action', 'EventSourceToken', 'FunctionName', 'FunctionUrlAuthType', 'Principal', 'PrincipalOrgID', 'SourceAccount', 'SourceArn'],
  },
  'AWS::Lambda::EventSourceMapping': {
    immutable: ['EventSourceArn', 'StartingPosition', 'StartingPositionTimestamp', 'SelfManagedEventSource'],
    generatedId: () => randomUUID(),
  },
  'AWS::Lambda::Version': { immutable: ['FunctionName', 'CodeSha256', 'Description', 'ProvisionedConcurrencyConfig'] },
  'AWS::IAM::Role': {
    nameProperty: 'RoleName',
    immutable: ['RoleName', 'Path'],
    maxNameLength: 64,
    iam: true,
    arn: (id, ctx) => `arn:aws:iam::${ctx.accountId}:role/${id}`,
    attributes: { RoleId: (f) => `AROA${stableChars(f.physicalId, 17, UPPER_ALNUM)}` },
  },
  'AWS::IAM::User': { nameProperty: 'UserName', maxNameLength: 64, iam: true, arn: (id, ctx) => `arn:aws:iam::${ctx.accountId}:user/${id}` },
  'AWS::IAM::Group': { nameProperty: 'GroupName', maxNameLength: 128, iam: true, arn: (id, ctx) => `arn:aws:iam::${ctx.accountId}:group/${id}` },
  'AWS::IAM::ManagedPolicy': {
    nameProperty: 'ManagedPolicyName',
    immutable: ['ManagedPolicyName', 'Path', 'Description'],
    maxNameLength: 128,
    iam: true,
    physicalId: (name, ctx) => `arn:aws:iam::${ctx.accountId}:policy/${name}`,
    arn: (id) => id,
  },
  'AWS::IAM::Policy': { iam: true, maxNameLength: 128 },
  'AWS::IAM::InstanceProfile': {
    nameProperty: 'InstanceProfileName',
    immutable: ['InstanceProfileName', 'Path'],
    iam: true,
    arn: (id, ctx) => `arn:aws:iam::${ctx.accountId}:instance-profile/${id}`,
  },
  'AWS::IAM::AccessKey': {
    iam: true,
    generatedId: () => `AKIA${randomChars(16, UPPER_ALNUM)}`,
    attributes: { SecretAccessKey: (f) => stableChars(f.physicalId, 40, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') },
  },
  'AWS::IAM::UserToGroupAddition': { iam: true },
  'AWS::DynamoDB::Table': {
    nameProperty: 'TableName',
    immutable: ['TableName', 'KeySchema', 'LocalSecondaryIndexes'],
    maxNameLength: 255,
    arn: arnOf('dynamodb', (id) => `table/${id}`),
    attributes: { StreamArn: (f) => `arn:aws:dynamodb:${f.region}:${f.accountId}:table/${f.physicalId}/stream/2024-01-01T00:00:00.000` },
  },
  'AWS::Logs::LogGroup': { nameProperty: 'LogGroupName', immutable: ['LogGroupName'], maxNameLength: 512, arn: arnOf('logs', (id) => `log-group:${id}:*`) },
  'AWS::ECR::Repository': {
    nameProperty: 'RepositoryName',
    immutable: ['RepositoryName'],
    lowercase: true,
    maxNameLength: 256,
    arn: arnOf('ecr', (id) => `repository/${id}`),
    attributes: { RepositoryUri: (f) => `${f.accountId}.dkr.ecr.${f.region}.amazonaws.com/${f.physicalId}` },
  },
  'AWS::Events::Rule': { nameProperty: 'Name', immutable: ['Name', 'EventBusName'], maxNameLength: 64, arn: arnOf('events', (id) => `rule/${id}`) },
  'AWS::Events::EventBus': { nameProperty: 'Name', immutable: ['Name'], arn: arnOf('events', (id) => `event-bus/${id}`) },
  'AWS::SSM::Parameter': {
    nameProperty: 'Name',
    immutable: ['Name'],
    maxNameLength: 128,
    attributes: { Type: (f) => f.properties['Type'] ?? 'String', Value: (f) => f.properties['Value'] ?? '' },
  },
  'AWS::SecretsManager::Secret': {
    nameProperty: 'Name',
    immutable: ['Name'],
    physicalId: (name, ctx) =>
      `arn:aws:secretsmanager:${ctx.region}:${ctx.accountId}:secret:${name}-${randomChars(6, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ')}`,
    arn: (id) => id,
  },
  'AWS::KMS::Key': { generatedId: () => randomUUID(), arn: arnOf('kms', (id) => `key/${id}`), attributes: { KeyId: (f) => f.physicalId } },
  'AWS::KMS::Alias': { nameProperty: 'AliasName', immutable: ['AliasName'] },
  'AWS::Kinesis::Stream': { nameProperty: 'Name', immutable: ['Name'], arn: arnOf('kinesis', (id) => `stream/${id}`) },
  'AWS::CloudWatch::Alarm': { nameProperty: 'AlarmName', immutable: ['AlarmName'], arn: arnOf('cloudwatch', (id) => `alarm:${id}`) },
  'AWS::StepFunctions::StateMachine': {
    nameProperty: 'StateMachineName',
    immutable: ['StateMachineName', 'StateMachineType'],
    maxNameLength: 80,
    physicalId: (name, ctx) => `arn:aws:states:${ctx.region}:${ctx.accountId}:stateMachine:${name}`,
    arn: (id) => id,
    attributes: { Name: (f) => lastSegment(f.physicalId) },
  },
  'AWS::ECS::Cluster': { nameProperty: 'ClusterName', immutable: ['ClusterName'], arn: arnOf('ecs', (id) => `cluster/${id}`) },
  'AWS::ApiGateway::RestApi': {
    generatedId: () => randomChars(10, LOWER_ALNUM),
    arn: (id, ctx) => `arn:aws:apigateway:${ctx.region}::/restapis/${id}`,
    attributes: { RootResourceId: (f) => stableChars(`${f.physicalId}/root`, 10, LOWER_ALNUM), RestApiId: (f) => f.physicalId },
  },
  'AWS::ApiGateway::Resource': {
    immutable: ['ParentId', 'PathPart', 'RestApiId'],
    generatedId: () => randomChars(6, LOWER_ALNUM),
    attributes: { ResourceId: (f) => f.physicalId },
  },
  'AWS::ApiGateway::Deployment': {
    immutable: ['RestApiId'],
    generatedId: () => randomChars(6, LOWER_ALNUM),
    attributes: { DeploymentId: (f) => f.physicalId },
  },
  'AWS::ApiGateway::Stage': { nameProperty: 'StageName', immutable: ['RestApiId', 'StageName'] },
  'AWS::ApiGatewayV2::Api': {
    generatedId: () => randomChars(10, LOWER_ALNUM),
    attributes: { ApiEndpoint: (f) => `https://${f.physicalId}.execute-api.${f.region}.amazonaws.com`, ApiId: (f) => f.physicalId },
  },
  'AWS::EC2::VPC': {
    immutable: ['CidrBlock', 'InstanceTenancy'],
    generatedId: () => `vpc-${hex(17)}`,
    attributes: { VpcId: (f) => f.physicalId, CidrBlock: (f) => f.properties['CidrBlock'] ?? '10.0.0.0/16' },
  },
  'AWS::EC2::Subnet': {
    immutable: ['AvailabilityZone', 'CidrBlock', 'VpcId'],
    generatedId: () => `subnet-${hex(17)}`,
    attributes: { SubnetId: (f) => f.physicalId },
  },
  'AWS::EC2::SecurityGroup': {
    immutable: ['GroupName', 'GroupDescription', 'VpcId'],
    generatedId: () => `sg-${hex(17)}`,
    attributes: { GroupId: (f) => f.physicalId },
  },
  'AWS::EC2::InternetGateway': { generatedId: () => `igw-${hex(17)}` },
  'AWS::EC2::RouteTable': { immutable: ['VpcId'], generatedId: () => `rtb-${hex(17)}` },
  'AWS::EC2::Instance': {
    immutable: ['ImageId', 'AvailabilityZone', 'SubnetId', 'KeyName', 'PrivateIpAddress', 'NetworkInterfaces', 'Tenancy'],
    generatedId: () => `i-${hex(17)}`,
    attributes: {
      AvailabilityZone: (f) => f.properties['AvailabilityZone'] ?? `${f.region}a`,
      PrivateIp: (f) => `10.0.${stableNumber(f.physicalId, 256)}.${stableNumber(`${f.physicalId}/ip`, 254) + 1}`,
      PublicIp: (f) => `54.${stableNumber(f.physicalId, 256)}.${stableNumber(`${f.physicalId}/a`, 256)}.${stableNumber(`${f.physicalId}/b`, 254) + 1}`,
      PrivateDnsName: (f) => `ip-10-0-0-1.${f.region}.compute.internal`,
    },
  },
  'AWS::RDS::DBInstance': {
    nameProperty: 'DBInstanceIdentifier',
    immutable: ['DBInstanceIdentifier', 'DBName', 'Engine', 'KmsKeyId', 'StorageEncrypted'],
    lowercase: true,
    maxNameLength: 63,
  },
  'AWS::CloudFront::Distribution': {
    generatedId: () => `E${randomChars(13, UPPER_ALNUM)}`,
    attributes: { DomainName: (f) => `${stableChars(f.physicalId, 14, LOWER_ALNUM)}.cloudfront.net` },
  },
  'AWS::Serverless::Function': { nameProperty: 'FunctionName', immutable: ['FunctionName'], maxNameLength: 64, arn: arnOf('lambda', (id) => `function:${id}`) },
};

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomChars(n: number, alphabet: string): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** Derived from the physical ID so an attribute is the same every time it is read. */
function stableChars(seed: string, n: number, alphabet: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[digest[i % digest.length] % alphabet.length];
  return out;
}

function stableNumber(seed: string, modulo: number): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) % modulo;
}

function fifoName(name: string, fifo: Resolved | undefined): string {
  return valueText(fifo) === 'true' && !name.endsWith('.fifo') ? `${name}.fifo` : name;
}

function serviceOf(type: string): string {
  return (type.split('::')[1] ?? 'custom').toLowerCase();
}

/** CloudFormation's generated names: `{stack}-{logicalId}-{random}`, with the first two shortened to fit. */
function generatedName(stackName: string, logicalId: string, info: TypeInfo): string {
  const suffix = randomChars(12, UPPER_ALNUM);
  const max = info.maxNameLength ?? 128;
  let prefix = `${stackName}-${logicalId}`;
  if (prefix.length + 1 + suffix.length > max)
    prefix = `${stackName.slice(0, 20)}-${logicalId.slice(0, Math.max(1, max - suffix.length - 23))}`.slice(0, max - suffix.length - 1);
  const name = `${prefix}-${suffix}`;
  return info.lowercase ? name.toLowerCase() : name;
}

export function makePhysicalId(
  decl: Pick<ResourceDecl, 'logicalId' | 'type'>,
  properties: Record<string, Resolved>,
  stackName: string,
  ctx: NamingContext,
): string {
  const info = TYPES[decl.type] ?? {};
  const given = info.nameProperty === undefined ? undefined : properties[info.nameProperty];
  if (given === undefined && info.generatedId) return info.generatedId();
  const name = typeof given === 'string' || typeof given === 'number' ? String(given) : generatedName(stackName, decl.logicalId, info);
  return info.physicalId ? info.physicalId(name, ctx, properties) : name;
}

export function attributeValue(facts: ResourceFacts, attribute: string): Resolved {
  const info = TYPES[facts.type] ?? {};
  const special = info.attributes?.[attribute];
  if (special) return special(facts);
  const ctx = { region: facts.region, accountId: facts.accountId };
  if (attribute === 'Arn')
    return info.arn
      ? info.arn(facts.physicalId, ctx)
      : `arn:aws:${serviceOf(facts.type)}:${facts.region}:${facts.accountId}:${facts.logicalId.toLowerCase()}/${facts.physicalId}`;
  if (info.nameProperty !== undefined && (attribute === 'Name' || attribute === info.nameProperty)) return lastSegment(facts.physicalId);
  if (attribute.endsWith('Id')) return facts.physicalId;
  // Anything else: a stable, plausible string rather than an error, since real attribute lists are long.
  return `${facts.physicalId}-${attribute.replace(/[^A-Za-z0-9]/g, '').toLowerCase()}-${stableChars(`${facts.physicalId}/${attribute}`, 8, LOWER_ALNUM)}`;
}

export function isImmutableProperty(type: string, property: string): boolean {
  return TYPES[type]?.immutable?.includes(property) ?? false;
}

/** The capability a resource needs, if any. SAM functions and state machines make a role unless given one. */
export function capabilityFor(decl: ResourceDecl): 'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM' | undefined {
  const info = TYPES[decl.type];
  if (info?.iam) return info.nameProperty !== undefined && decl.properties[info.nameProperty] !== undefined ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM';
  if ((decl.type === 'AWS::Serverless::Function' || decl.type === 'AWS::Serverless::StateMachine') && decl.properties['Role'] === undefined)
    return 'CAPABILITY_IAM';
  return undefined;
}

/** The property that names a resource of this type (BucketName, QueueName, …), if it has one. */
export function namePropertyOf(type: string): string | undefined {
  return TYPES[type]?.nameProperty;
}
