# A modules directory whose modules always fail to apply (for LocalTerraformBuildTest and
# ProvisioningFailureIT): the variables of terraform/local/ec2-instance, and a precondition that
# cannot hold.

terraform {
  backend "local" {}
}

variable "request_id" {
  type = string
}

variable "name" {
  type = string
}

variable "requester_email" {
  type = string
}

variable "region" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "subnet_id" {
  type = string
}

variable "instance_type" {
  type = string
}

variable "ami_id" {
  type = string
}

variable "key_name" {
  type = string
}

variable "root_volume_gib" {
  type = number
}

variable "security_group_ids" {
  type    = list(string)
  default = []
}

variable "tags" {
  type    = map(string)
  default = {}
}

resource "terraform_data" "instance" {
  input = var.request_id

  lifecycle {
    precondition {
      condition     = var.instance_type == "no-such-type"
      error_message = "Simulated failure: no capacity for ${var.instance_type} in ${var.region}."
    }
  }
}
