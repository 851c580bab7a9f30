/**
 * Which staged changes always wait for a person, even with auto-execute on: replacing or
 * deleting a data store loses data, and so does any deletion policy that deletes or replaces.
 */
import type { Change } from '../providers/provider';

/** Resource types that hold data a replacement or deletion would lose. */
const DATA_STORE_TYPES: ReadonlySet<string> = new Set([
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::RDS::GlobalCluster',
  'AWS::S3::Bucket',
  'AWS::S3Express::DirectoryBucket',
  'AWS::EFS::FileSystem',
  'AWS::FSx::FileSystem',
  'AWS::ElastiCache::CacheCluster',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::ElastiCache::ServerlessCache',
  'AWS::MemoryDB::Cluster',
  'AWS::Neptune::DBCluster',
  'AWS::DocDB::DBCluster',
  'AWS::DocDBElastic::Cluster',
  'AWS::Redshift::Cluster',
  'AWS::RedshiftServerless::Namespace',
  'AWS::OpenSearchService::Domain',
  'AWS::Elasticsearch::Domain',
  'AWS::Kinesis::Stream',
  'AWS::SQS::Queue',
  'AWS::Logs::LogGroup',
  'AWS::SecretsManager::Secret',
  'AWS::KMS::Key',
  'AWS::Timestream::Database',
  'AWS::Timestream::Table',
  'AWS::QLDB::Ledger',
  'AWS::Cassandra::Table',
  'AWS::EC2::Volume',
  'AWS::Backup::BackupVault',
  'AWS::ECR::Repository',
  'AWS::Cognito::UserPool',
  'google_sql_database_instance',
  'google_sql_database',
  'google_storage_bucket',
  'google_bigquery_dataset',
  'google_bigquery_table',
  'google_spanner_instance',
  'google_spanner_database',
  'google_firestore_database',
  'google_bigtable_instance',
  'google_bigtable_table',
  'google_redis_instance',
  'google_memcache_instance',
  'google_compute_disk',
  'google_compute_region_disk',
  'google_filestore_instance',
  'google_alloydb_cluster',
  'google_alloydb_instance',
  'google_pubsub_topic',
  'google_pubsub_subscription',
  'google_secret_manager_secret',
  'google_kms_crypto_key',
  'google_artifact_registry_repository',
]);

export function isDataStore(resourceType: string): boolean {
  return DATA_STORE_TYPES.has(resourceType);
}

/** Deletion policies that delete or replace what exists (the provider's policy action on a change). */
function policyDestroys(policyAction: string | undefined): boolean {
  return policyAction !== undefined && /^(Delete|Replace)/.test(policyAction);
}

/** Nested stacks: their own changes (a database replaced inside) are not in this change list. */
const NESTED_STACK_TYPES: ReadonlySet<string> = new Set(['AWS::CloudFormation::Stack', 'AWS::Serverless::Application']);

/** Why this change must wait for a person, or undefined when auto-execute may run it. */
export function reviewReason(change: Change): string | undefined {
  const replaces = change.action === 'Modify' && (change.replacement === 'True' || change.replacement === 'Conditional');
  if (NESTED_STACK_TYPES.has(change.resourceType) && (change.action === 'Modify' || change.action === 'Remove' || change.action === 'Dynamic')) {
    return `nested stack ${change.logicalId} (${change.resourceType}) would be ${change.action === 'Remove' ? 'deleted' : 'changed'}, and what changes inside it is not listed here`;
  }
  if (isDataStore(change.resourceType)) {
    if (change.action === 'Remove') return `${change.logicalId} (${change.resourceType}) would be deleted`;
    // What a dynamic change does is decided at deploy time: it may replace the data store.
    if (change.action === 'Dynamic') return `${change.logicalId} (${change.resourceType}) changes in a way decided only at deploy time`;
    if (replaces) return `${change.logicalId} (${change.resourceType}) would be replaced${change.replacement === 'Conditional' ? ' (conditionally)' : ''}`;
  }
  if (policyDestroys(change.policyAction)) return `${change.logicalId} (${change.resourceType}) has deletion policy action ${change.policyAction}`;
  return undefined;
}

/** Every reason the staged changes must wait for review, at most `limit` of them, in change order. */
export function reviewReasons(changes: readonly Change[], limit = 5): { reasons: string[]; more: number } {
  const all = changes.map(reviewReason).filter((r): r is string => r !== undefined);
  return { reasons: all.slice(0, limit), more: Math.max(0, all.length - limit) };
}

export function heldForReviewNotice(changes: readonly Change[]): string | undefined {
  const { reasons, more } = reviewReasons(changes);
  if (reasons.length === 0) return undefined;
  const list = reasons.join('; ') + (more > 0 ? `; and ${more} more` : '');
  return `Auto-execute is on, but these changes wait for your review because they can lose data: ${list}. Execute them yourself, or set stackwatch.autoExecuteDestructive to let auto-execute run such changes.`;
}
