# A stand-in for the AWS Aurora MySQL module: the same variables and outputs, built only from
# Terraform's built-in terraform_data resource. It creates no cloud resource and no secret; every
# value is derived deterministically from the request, so re-applying a stack gives the same
# "cluster". Its resources mirror the AWS module's: a DB subnet group, the cluster, and `instances`
# cluster instances.

locals {
  seed       = sha256(var.request_id)
  identifier = "oneclick-${var.request_id}"

  # RDS endpoints are <cluster>.cluster-<12 characters>.<region>.rds.amazonaws.com (readers: cluster-ro-).
  endpoint_id     = substr(local.seed, 0, 12)
  endpoint        = "${local.identifier}.cluster-${local.endpoint_id}.${var.region}.rds.amazonaws.com"
  reader_endpoint = "${local.identifier}.cluster-ro-${local.endpoint_id}.${var.region}.rds.amazonaws.com"

  # The secret RDS would create for the master password: rds!cluster-<UUID>-<6 characters>, in an
  # account that does not exist (000000000000). No secret and no password exist.
  secret_uuid = format("%s-%s-%s-%s-%s", substr(local.seed, 12, 8), substr(local.seed, 20, 4),
  substr(local.seed, 24, 4), substr(local.seed, 28, 4), substr(local.seed, 32, 12))
  secret_arn = "arn:aws:secretsmanager:${var.region}:000000000000:secret:rds!cluster-${local.secret_uuid}-${substr(local.seed, 44, 6)}"

  # The AWS module's subnets must span two or more zones; here the n-th subnet is taken to be in
  # zone a, b, c, a, ... of the region.
  zone_letters       = ["a", "b", "c"]
  availability_zones = distinct([for i in range(length(var.subnet_ids)) : "${var.region}${local.zone_letters[i % length(local.zone_letters)]}"])

  # The platform's tags win over the request's own (the same tags as the AWS module).
  tags = merge(var.tags, {
    Name                  = var.name
    "oneclick:request-id" = var.request_id
    "oneclick:requester"  = var.requester_email
    "managed-by"          = "oneclick"
  }, local.expiry_tag)

  # Only when the request has a time-to-live. OneClick destroys nothing: the platform's clean-up
  # (Cloud Custodian, aws-nuke, ...) removes the cluster after that date.
  expiry_tag = var.expires_at == null ? tomap({}) : tomap({ "oneclick:expires-at" = var.expires_at })
}

resource "terraform_data" "subnet_group" {
  input = {
    name       = local.identifier
    vpc_id     = var.vpc_id
    subnet_ids = var.subnet_ids
    tags       = local.tags
  }
}

resource "terraform_data" "cluster" {
  # The local module can fail on purpose, to show (and test) a failed build: a request tagged
  # oneclick-simulate = "apply-error" fails its apply with this module's error.
  lifecycle {
    precondition {
      condition     = lookup(var.tags, "oneclick-simulate", "") != "apply-error"
      error_message = "Simulated apply failure: the request is tagged oneclick-simulate = apply-error."
    }
  }

  input = {
    simulated               = true
    cluster_identifier      = local.identifier
    cluster_name            = var.name
    endpoint                = local.endpoint
    reader_endpoint         = local.reader_endpoint
    port                    = 3306
    master_user_secret_arn  = local.secret_arn
    availability_zones      = join(", ", local.availability_zones)
    engine                  = "aurora-mysql"
    engine_version          = var.engine_version
    database_name           = var.database_name
    master_username         = var.master_username
    storage_encrypted       = true
    backup_retention_period = var.backup_retention_days
    db_subnet_group_name    = terraform_data.subnet_group.output.name
    vpc_security_group_ids  = var.security_group_ids
    final_snapshot          = "${local.identifier}-final"
    region                  = var.region
    tags                    = local.tags
  }
}

resource "terraform_data" "cluster_instance" {
  count = var.instances

  input = {
    identifier          = "${local.identifier}-${count.index + 1}"
    cluster_identifier  = terraform_data.cluster.output.cluster_identifier
    instance_class      = var.instance_class
    publicly_accessible = false
    availability_zone   = local.availability_zones[count.index % length(local.availability_zones)]
    tags                = local.tags
  }
}
