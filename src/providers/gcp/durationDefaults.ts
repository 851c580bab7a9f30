/**
 * How long Infrastructure Manager's Terraform usually takes per resource type, in seconds to
 * create, update and delete (an update or delete left out is scaled from the create): topics and
 * buckets take seconds, networks tens of seconds, Cloud SQL, GKE and Memorystore many minutes.
 * Only a start: each workspace learns its own (deployment/durations). First match wins.
 */
import type { DurationDefault } from '../descriptor';

export const GCP_DURATION_DEFAULTS: readonly DurationDefault[] = [
  [/^google_pubsub_/, 5, 5, 5],
  [/^google_storage_/, 5, 5, 5],
  [/^google_(service_account|project_iam|.*_iam_(member|binding|policy))/, 10, 10, 10],
  [/^google_project_service$/, 60, 30, 30],
  [/^google_sql_database_instance$/, 600, 300, 300],
  [/^google_sql_/, 15, 15, 15],
  [/^google_(container_cluster|redis_instance|alloydb_.*|spanner_instance)$/, 600, 300, 300],
  [/^google_container_node_pool$/, 300, 300, 300],
  [/^google_(cloud_run_.*|cloudfunctions2?_function)$/, 60, 60, 30],
  [/^google_compute_(instance|instance_template|instance_group_manager|router_nat)$/, 45, 30, 60],
  [/^google_compute_/, 20, 15, 20],
  [/^google_/, 20, 20, 20],
];
