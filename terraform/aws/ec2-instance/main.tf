# The EC2 product: one instance per approved request, in the request's subnet, with an encrypted
# gp3 root volume and IMDSv2 only. The values come from stacks/<requestId>/terraform.tfvars.json.

locals {
  # The platform's tags win over the request's own.
  tags = merge(var.tags, {
    Name                  = var.name
    "oneclick:request-id" = var.request_id
    "oneclick:requester"  = var.requester_email
    "managed-by"          = "oneclick"
  }, local.expiry_tag)

  # Only when the request has a time-to-live. OneClick destroys nothing: the platform's clean-up
  # (Cloud Custodian, aws-nuke, ...) removes the instance after that date.
  expiry_tag = var.expires_at == null ? tomap({}) : tomap({ "oneclick:expires-at" = var.expires_at })
}

data "aws_subnet" "selected" {
  id = var.subnet_id
}

resource "aws_instance" "this" {
  ami                    = var.ami_id
  instance_type          = var.instance_type
  subnet_id              = var.subnet_id
  key_name               = var.key_name
  vpc_security_group_ids = var.security_group_ids

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  root_block_device {
    volume_type           = "gp3"
    volume_size           = var.root_volume_gib
    encrypted             = true
    delete_on_termination = true
  }

  # Both are set in RunInstances' tag specifications, so an IAM policy can require managed-by at launch.
  tags        = local.tags
  volume_tags = local.tags

  lifecycle {
    precondition {
      condition     = data.aws_subnet.selected.vpc_id == var.vpc_id
      error_message = "subnet_id ${var.subnet_id} is not in vpc_id ${var.vpc_id}."
    }
  }
}
