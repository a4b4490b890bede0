# The aurora-mysql module of the failing modules directory: a precondition that cannot hold.
# Variables it does not declare only draw warnings from the var-file.

terraform {
  backend "local" {}
}

variable "region" {
  type = string
}

variable "instance_class" {
  type = string
}

resource "terraform_data" "cluster" {
  input = var.region

  lifecycle {
    precondition {
      condition     = var.instance_class == "no-such-class"
      error_message = "Simulated failure: no capacity for ${var.instance_class} in ${var.region}."
    }
  }
}
