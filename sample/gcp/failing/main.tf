# A blueprint whose third resource fails to apply: Terraform stops there, and nothing is rolled back.

resource "google_storage_bucket" "reports" {
  # sim: seconds=2
  name     = "${var.project}-orders-reports"
  location = "US"
}

resource "google_pubsub_topic" "alerts" {
  # sim: seconds=2
  name = "orders-alerts"
}

resource "google_sql_database_instance" "ledger" {
  # sim: seconds=3
  # sim: fail="Error creating DatabaseInstance: googleapi: Error 409: The Cloud SQL instance already exists. When you delete an instance, you can't reuse the name of the deleted instance until one week from the deletion date., instanceAlreadyExists"
  name             = "orders-ledger"
  database_version = "POSTGRES_15"
  region           = "us-central1"
}

resource "google_cloud_run_v2_service" "worker" {
  # sim: seconds=4
  name     = "orders-worker"
  location = "us-central1"
}

variable "project" {
  type = string
}
