/**
 * The Terraform resource types whose changes always wait for a person (deployment/reviewPolicy.ts):
 * data stores, where a replacement or deletion loses data. A blueprint's modules are planned with
 * it, so no type hides changes of its own.
 */
import type { ReviewTypes } from '../descriptor';

export const GCP_REVIEW_TYPES: ReviewTypes = {
  dataStores: new Set([
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
  ]),
  nestedTargets: new Set(),
};
