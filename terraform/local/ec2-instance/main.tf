# A stand-in for the AWS EC2 module: the same variables and outputs, built only from Terraform's
# built-in terraform_data resource. It creates no cloud resource; every value is derived
# deterministically from the request ID, so re-applying a stack gives the same "instance".

locals {
  seed = sha256(var.request_id)

  # 10.<a>.<b>.<c> from the hash; the last octet avoids the network (0) and broadcast (255).
  private_ip = format("10.%d.%d.%d",
    parseint(substr(local.seed, 17, 2), 16),
    parseint(substr(local.seed, 19, 2), 16),
    parseint(substr(local.seed, 21, 2), 16) % 254 + 1,
  )

  zone_letters      = ["a", "b", "c"]
  availability_zone = "${var.region}${local.zone_letters[parseint(substr(local.seed, 23, 2), 16) % length(local.zone_letters)]}"

  # The platform's tags win over the request's own (the same tags as the AWS module).
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

resource "terraform_data" "instance" {
  # The local module can fail on purpose, to show (and test) a failed build: a request tagged
  # oneclick-simulate = "apply-error" fails its apply with this module's error.
  lifecycle {
    precondition {
      condition     = lookup(var.tags, "oneclick-simulate", "") != "apply-error"
      error_message = "Simulated apply failure: the request is tagged oneclick-simulate = apply-error."
    }
  }

  input = {
    simulated          = true
    instance_id        = "i-${substr(local.seed, 0, 17)}"
    instance_name      = var.name
    private_ip         = local.private_ip
    availability_zone  = local.availability_zone
    region             = var.region
    vpc_id             = var.vpc_id
    subnet_id          = var.subnet_id
    instance_type      = var.instance_type
    ami_id             = var.ami_id
    key_name           = var.key_name
    root_volume_gib    = var.root_volume_gib
    security_group_ids = var.security_group_ids
    tags               = local.tags
  }
}
