# The interface every OneClick EC2 module shares (terraform/local has the same variables and
# outputs; AwsModuleTest checks it). The values come from stacks/<requestId>/terraform.tfvars.json,
# written by the provisioner from an approved request. The rules mirror shared-model's
# RequestValidator and InstanceType, which stay the authority: a request that passed them passes
# these, so a build fails here only when someone edits a stack by hand.

variable "request_id" {
  description = "The OneClick request ID (lowercase UUID); tagged oneclick:request-id."
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
    condition     = length(trimspace(var.name)) > 0 && length(var.name) <= 128 && !can(regex("[[:cntrl:]]", var.name))
    error_message = "name must be 1 to 128 characters without line breaks or control characters."
  }
}

variable "requester_email" {
  description = "Who asked for the instance; tagged oneclick:requester."
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
  description = "The VPC the instance goes into; the subnet must belong to it."
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
  description = "EC2 instance type from the platform's allow-list (shared-model's InstanceType.ALLOWED)."
  type        = string

  validation {
    condition = contains([
      "t3.nano", "t3.micro", "t3.small", "t3.medium", "t3.large", "t3.xlarge",
      "m6i.large", "m6i.xlarge", "m6i.2xlarge",
      "c6i.large", "c6i.xlarge",
      "r6i.large",
    ], var.instance_type)
    error_message = "instance_type must be one of the allowed types: t3.nano, t3.micro, t3.small, t3.medium, t3.large, t3.xlarge, m6i.large, m6i.xlarge, m6i.2xlarge, c6i.large, c6i.xlarge, r6i.large."
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
    condition     = !strcontains(upper(var.key_name), "-----BEGIN") && !strcontains(upper(var.key_name), "PRIVATE KEY") && !can(regex("^MII[A-Za-z0-9+/=\\s]{60,}$", var.key_name))
    error_message = "key_name looks like a private key: give the name of an existing EC2 key pair, never the key itself."
  }

  validation {
    condition     = length(var.key_name) <= 255 && can(regex("^[ -~]+$", var.key_name))
    error_message = "key_name must be the name of an EC2 key pair: 1 to 255 printable ASCII characters."
  }
}

variable "root_volume_gib" {
  description = "Root volume size in GiB (gp3, encrypted)."
  type        = number

  validation {
    condition     = var.root_volume_gib >= 8 && var.root_volume_gib <= 2048 && floor(var.root_volume_gib) == var.root_volume_gib
    error_message = "root_volume_gib must be a whole number between 8 and 2048."
  }
}

variable "security_group_ids" {
  description = "Security groups to attach (at most 5, each once); none means the VPC's default group."
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
  description = "Extra tags for the instance and its root volume; the platform's own tags win over them."
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
  description = "When the instance expires (RFC 3339 UTC, e.g. 2026-01-12T10:05:00Z), tagged as oneclick:expires-at for the platform's clean-up; null: no expiry. OneClick itself destroys nothing."
  type        = string
  default     = null

  validation {
    condition     = var.expires_at == null ? true : can(regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$", var.expires_at)) && can(formatdate("YYYY", var.expires_at))
    error_message = "expires_at must be null or an RFC 3339 UTC timestamp to the second, e.g. 2026-01-12T10:05:00Z."
  }
}
