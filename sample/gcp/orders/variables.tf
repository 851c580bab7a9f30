variable "project" {
  type        = string
  description = "Project the resources are created in."
}

variable "region" {
  type    = string
  default = "us-central1"
}

variable "image" {
  type        = string
  description = "Container image of the orders API."
  default     = "us-docker.pkg.dev/cloudrun/container/hello"
}

variable "max_instances" {
  type    = number
  default = 3
}
