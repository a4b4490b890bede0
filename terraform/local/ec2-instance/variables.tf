# The interface every OneClick EC2 module shares. The values come from
# stacks/<requestId>/terraform.tfvars.json, written by the provisioner from an approved request.
# The rules below mirror shared-model's RequestValidator where Terraform can say them simply;
# RequestValidator stays the authority.

variable "request_id" {
  description = "The OneClick request ID (lowercase UUID). Names the stack and seeds the simulated IDs."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", var.request_id))
    error_message = "request_id must be a lowercase UUID."
  }
}

variable "name" {
  description = "The instance's Name tag."
  type        = string

  validation {
    condition     = length(trimspace(var.name)) > 0 && length(var.name) <= 128
    error_message = "name must be 1 to 128 characters."
  }
}

variable "requester_email" {
  description = "Who asked for the instance; set as the Requester tag."
  type        = string

  validation {
    condition     = can(regex("^[^@[:space:]]+@[^@[:space:]]+$", var.requester_email)) && length(var.requester_email) <= 254
    error_message = "requester_email must be an email address."
  }
}

variable "region" {
  description = "AWS region code, e.g. eu-west-1."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[1-9]$", var.region))
    error_message = "region must be an AWS region code such as eu-west-1."
  }
}

variable "vpc_id" {
  description = "The VPC the instance goes into."
  type        = string

  validation {
    condition     = can(regex("^vpc-([0-9a-f]{8}|[0-9a-f]{17})$", var.vpc_id))
    error_message = "vpc_id must be 'vpc-' followed by 8 or 17 lowercase hex digits."
  }
}

variable "subnet_id" {
  description = "The subnet the instance goes into."
  type        = string

  validation {
    condition     = can(regex("^subnet-([0-9a-f]{8}|[0-9a-f]{17})$", var.subnet_id))
    error_message = "subnet_id must be 'subnet-' followed by 8 or 17 lowercase hex digits."
  }
}

variable "instance_type" {
  description = "EC2 instance type from the platform's allow-list, e.g. t3.micro."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.instance_type))
    error_message = "instance_type must look like an EC2 instance type such as t3.micro."
  }
}

variable "ami_id" {
  description = "The AMI to launch."
  type        = string

  validation {
    condition     = can(regex("^ami-([0-9a-f]{8}|[0-9a-f]{17})$", var.ami_id))
    error_message = "ami_id must be 'ami-' followed by 8 or 17 lowercase hex digits."
  }
}

variable "key_name" {
  description = "Name of an existing EC2 key pair (never key material)."
  type        = string

  validation {
    condition     = length(var.key_name) > 0 && length(var.key_name) <= 255 && !strcontains(upper(var.key_name), "PRIVATE KEY")
    error_message = "key_name must be the name of an EC2 key pair (1 to 255 characters), never a key."
  }
}

variable "root_volume_gib" {
  description = "Root volume size in GiB."
  type        = number

  validation {
    condition     = var.root_volume_gib >= 8 && var.root_volume_gib <= 2048 && floor(var.root_volume_gib) == var.root_volume_gib
    error_message = "root_volume_gib must be a whole number between 8 and 2048."
  }
}

variable "security_group_ids" {
  description = "Security groups to attach (at most 5)."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.security_group_ids) <= 5 && alltrue([for id in var.security_group_ids : can(regex("^sg-([0-9a-f]{8}|[0-9a-f]{17})$", id))])
    error_message = "security_group_ids must list at most 5 IDs, each 'sg-' followed by 8 or 17 lowercase hex digits."
  }
}

variable "tags" {
  description = "Extra tags for the instance (the platform sets Name, oneclick:request-id, oneclick:requester, managed-by and oneclick:expires-at itself)."
  type        = map(string)
  default     = {}

  validation {
    condition     = length(var.tags) <= 40 && alltrue([for k in keys(var.tags) : !startswith(lower(k), "aws:") && !contains(["Name", "oneclick:request-id", "oneclick:requester", "managed-by", "oneclick:expires-at"], k)])
    error_message = "tags must have at most 40 entries, no 'aws:' keys and none of Name, oneclick:request-id, oneclick:requester, managed-by, oneclick:expires-at."
  }
}

variable "expires_at" {
  description = "When the instance expires (RFC 3339 UTC, e.g. 2026-01-12T10:05:00Z), tagged as oneclick:expires-at for the platform's clean-up; null: no expiry. OneClick itself destroys nothing."
  type        = string
  default     = null

  validation {
    condition     = var.expires_at == null ? true : can(regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$", var.expires_at)) && can(formatdate("YYYY", var.expires_at))
    error_message = "expires_at must be null or an RFC 3339 UTC timestamp to the second, e.g. 2026-01-12T10:05:00Z."
  }
}
