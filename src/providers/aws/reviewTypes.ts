/**
 * The CloudFormation resource types whose changes always wait for a person (deployment/reviewPolicy.ts):
 * data stores, where a replacement or deletion loses data, and nested stacks, whose own changes
 * are not in the change set that changes them.
 */
import type { ReviewTypes } from '../descriptor';

export const AWS_REVIEW_TYPES: ReviewTypes = {
  dataStores: new Set([
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
  ]),
  nestedTargets: new Set(['AWS::CloudFormation::Stack', 'AWS::Serverless::Application']),
};
