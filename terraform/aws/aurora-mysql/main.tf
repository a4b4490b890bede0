# The Aurora MySQL product: one cluster per approved request, with its DB subnet group over the
# request's subnets (two or more availability zones of the request's VPC) and `instances` DB
# instances (the first the writer, the others readers). The master password is created and rotated
# by RDS in AWS Secrets Manager (manage_master_user_password): no password is asked for, stored in a
# stack, in the state or in an output. The values come from stacks/<requestId>/terraform.tfvars.json.

locals {
  # oneclick-<request ID>: 45 characters, a letter first, lowercase letters, digits and single hyphens,
  # as RDS requires for cluster, instance and subnet group identifiers.
  identifier = "oneclick-${var.request_id}"

  # The platform's tags win over the request's own (the same tags as the EC2 module).
  tags = merge(var.tags, {
    Name                  = var.name
    "oneclick:request-id" = var.request_id
    "oneclick:requester"  = var.requester_email
    "managed-by"          = "oneclick"
  }, local.expiry_tag)

  # Only when the request has a time-to-live. OneClick destroys nothing: the platform's clean-up
  # (Cloud Custodian, aws-nuke, ...) removes the cluster after that date.
  expiry_tag = var.expires_at == null ? tomap({}) : tomap({ "oneclick:expires-at" = var.expires_at })

  subnet_zones = sort(distinct([for subnet in data.aws_subnet.selected : subnet.availability_zone]))
}

data "aws_subnet" "selected" {
  for_each = toset(var.subnet_ids)
  id       = each.value
}

resource "aws_db_subnet_group" "this" {
  name        = local.identifier
  description = "OneClick request ${var.request_id}"
  subnet_ids  = var.subnet_ids
  tags        = local.tags

  lifecycle {
    precondition {
      condition     = alltrue([for subnet in data.aws_subnet.selected : subnet.vpc_id == var.vpc_id])
      error_message = "Every subnet of subnet_ids must be in vpc_id ${var.vpc_id}; not in it: ${join(", ", sort([for subnet in data.aws_subnet.selected : subnet.id if subnet.vpc_id != var.vpc_id]))}."
    }

    precondition {
      condition     = length(local.subnet_zones) >= 2
      error_message = "subnet_ids must span at least two availability zones; they are all in ${join(", ", local.subnet_zones)}."
    }
  }
}

resource "aws_rds_cluster" "this" {
  cluster_identifier = local.identifier
  engine             = "aurora-mysql"
  engine_version     = var.engine_version
  database_name      = var.database_name
  master_username    = var.master_username

  # RDS generates the password and keeps (and rotates) it in Secrets Manager, encrypted with the
  # account's default key; the secret's ARN is an output, the password never is.
  manage_master_user_password = true

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = var.security_group_ids

  storage_encrypted       = true
  backup_retention_period = var.backup_retention_days
  copy_tags_to_snapshot   = true

  # Destroying the cluster (the platform's clean-up) keeps a last snapshot, named after the cluster.
  skip_final_snapshot       = false
  final_snapshot_identifier = "${local.identifier}-final"

  tags = local.tags
}

resource "aws_rds_cluster_instance" "this" {
  count = var.instances

  identifier           = "${local.identifier}-${count.index + 1}"
  cluster_identifier   = aws_rds_cluster.this.id
  engine               = aws_rds_cluster.this.engine
  engine_version       = aws_rds_cluster.this.engine_version
  instance_class       = var.instance_class
  db_subnet_group_name = aws_db_subnet_group.this.name
  publicly_accessible  = false

  tags = local.tags
}
