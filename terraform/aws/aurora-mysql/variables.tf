# The interface every OneClick Aurora MySQL module shares (terraform/local/aurora-mysql has the same
# variables and outputs; AwsModuleTest checks both against the product catalog). The values come from
# stacks/<requestId>/terraform.tfvars.json, written by the provisioner from an approved request. The
# rules mirror the aurora-mysql entry of shared-model's product catalog (products.json) and its
# RequestValidator, which stay the authority: a request that passed them passes these, so a build
# fails here only when someone edits a stack by hand. There is no password variable: the master
# password is generated and kept by AWS Secrets Manager.

variable "request_id" {
  description = "The OneClick request ID (lowercase UUID); names the cluster oneclick-<request_id>."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", var.request_id))
    error_message = "request_id must be a lowercase UUID."
  }
}

variable "name" {
  description = "The cluster's Name tag."
  type        = string

  validation {
    condition     = length(trimspace(var.name)) > 0 && length(var.name) <= 128 && !can(regex("[[:cntrl:]]", var.name))
    error_message = "name must be 1 to 128 characters without line breaks or control characters."
  }
}

variable "requester_email" {
  description = "Who asked for the cluster; tagged oneclick:requester."
  type        = string

  validation {
    condition     = length(var.requester_email) <= 254 && can(regex("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$", var.requester_email))
    error_message = "requester_email must be an email address such as dev@example.com."
  }
}

variable "region" {
  description = "AWS region code, e.g. eu-west-1; the provider's region."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[1-9]$", var.region))
    error_message = "region must be an AWS region code such as eu-west-1."
  }
}

variable "vpc_id" {
  description = "The VPC the cluster goes into; every subnet must belong to it."
  type        = string

  validation {
    condition     = can(regex("^vpc-([0-9a-f]{8}|[0-9a-f]{17})$", var.vpc_id))
    error_message = "vpc_id must be 'vpc-' followed by 8 or 17 lowercase hex digits."
  }
}

variable "subnet_ids" {
  description = "The subnets of the cluster's DB subnet group: 2 to 6, in at least two availability zones."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && length(var.subnet_ids) <= 6
    error_message = "subnet_ids must list 2 to 6 values separated by commas."
  }

  validation {
    condition     = alltrue([for id in var.subnet_ids : can(regex("^subnet-([0-9a-f]{8}|[0-9a-f]{17})$", id))])
    error_message = "subnet_ids: each must be a subnet ID: 'subnet-' followed by 8 or 17 lowercase hex digits."
  }

  validation {
    condition     = length(distinct(var.subnet_ids)) == length(var.subnet_ids)
    error_message = "subnet_ids must not list a value twice."
  }
}

variable "instance_class" {
  description = "The size of each database instance."
  type        = string

  validation {
    condition     = contains(["db.t4g.medium", "db.t3.medium", "db.r6g.large", "db.r6g.xlarge", "db.r7g.large"], var.instance_class)
    error_message = "instance_class must be one of: db.t4g.medium, db.t3.medium, db.r6g.large, db.r6g.xlarge, db.r7g.large."
  }
}

variable "engine_version" {
  description = "Aurora MySQL version (MySQL 8.0 compatible)."
  type        = string

  validation {
    condition     = contains(["8.0.mysql_aurora.3.08.0", "8.0.mysql_aurora.3.05.2"], var.engine_version)
    error_message = "engine_version must be one of: 8.0.mysql_aurora.3.08.0, 8.0.mysql_aurora.3.05.2."
  }
}

variable "instances" {
  description = "How many database instances: one writer, plus readers."
  type        = number

  validation {
    condition     = var.instances >= 1 && var.instances <= 3 && floor(var.instances) == var.instances
    error_message = "instances must be a whole number from 1 to 3."
  }
}

variable "database_name" {
  description = "The database created in the cluster."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_]{0,63}$", var.database_name))
    error_message = "database_name must start with a letter and hold only letters, digits and underscores (at most 64)."
  }
}

variable "master_username" {
  description = "The administrator's user name; its password is generated and kept in AWS Secrets Manager."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_]{0,15}$", var.master_username))
    error_message = "master_username must start with a letter and hold only letters, digits and underscores (at most 16)."
  }
}

variable "backup_retention_days" {
  description = "How long automated backups are kept, in days."
  type        = number

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35 && floor(var.backup_retention_days) == var.backup_retention_days
    error_message = "backup_retention_days must be a whole number from 1 to 35."
  }
}

variable "security_group_ids" {
  description = "Security groups of the cluster (at most 5, each once); none means the VPC's default group."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.security_group_ids) <= 5 && length(distinct(var.security_group_ids)) == length(var.security_group_ids)
    error_message = "security_group_ids must list at most 5 groups, none twice."
  }

  validation {
    condition     = alltrue([for id in var.security_group_ids : can(regex("^sg-([0-9a-f]{8}|[0-9a-f]{17})$", id))])
    error_message = "security_group_ids must be security group IDs: 'sg-' followed by 8 or 17 lowercase hex digits."
  }
}

variable "tags" {
  description = "Extra tags for the cluster, its instances and its subnet group; the platform's own tags win over them."
  type        = map(string)
  default     = {}

  validation {
    condition     = length(var.tags) <= 40
    error_message = "tags must have at most 40 entries."
  }

  validation {
    condition     = alltrue([for k, v in var.tags : length(trimspace(k)) > 0 && length(k) <= 128 && !can(regex("[[:cntrl:]]", k)) && length(v) <= 256 && !can(regex("[[:cntrl:]]", v))])
    error_message = "tag keys must be 1 to 128 and tag values at most 256 characters, without control characters."
  }

  validation {
    condition     = alltrue([for k in keys(var.tags) : !startswith(lower(k), "aws:") && !contains(["Name", "oneclick:request-id", "oneclick:requester", "managed-by", "oneclick:expires-at"], k)])
    error_message = "tags must not use keys starting with 'aws:' (reserved by AWS) or Name, oneclick:request-id, oneclick:requester, managed-by, oneclick:expires-at (set by the platform)."
  }
}

variable "expires_at" {
  description = "When the cluster expires (RFC 3339 UTC, e.g. 2026-01-12T10:05:00Z), tagged as oneclick:expires-at for the platform's clean-up; null: no expiry. OneClick itself destroys nothing."
  type        = string
  default     = null

  validation {
    condition     = var.expires_at == null ? true : can(regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$", var.expires_at)) && can(formatdate("YYYY", var.expires_at))
    error_message = "expires_at must be null or an RFC 3339 UTC timestamp to the second, e.g. 2026-01-12T10:05:00Z."
  }
}
