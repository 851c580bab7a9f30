# The orders API on Cloud Run, with its assets bucket, an events topic and its service account.
# "# sim:" comments tell the local Infrastructure Manager endpoint how long each resource takes;
# real Infrastructure Manager ignores them.

resource "google_storage_bucket" "assets" {
  # sim: seconds=3
  name     = "${var.project}-orders-assets"
  location = "US"
}

resource "google_cloud_run_v2_service" "api" {
  # sim: seconds=8
  name     = "orders-api"
  location = var.region
  template {
    containers {
      image = var.image
    }
    scaling {
      max_instance_count = var.max_instances
    }
  }
}

resource "google_pubsub_topic" "events" {
  # sim: seconds=2
  name = "orders-events"
}

resource "google_service_account" "api" {
  # sim: seconds=2
  account_id = "orders-api"
}


output "api_url" {
  value = "https://orders-api-7f3k2a-uc.a.run.app"
}

output "assets_bucket" {
  value = var.project
}

output "api_key" {
  value     = "sk-demo-5d41402abc4b2a76"
  sensitive = true
}
