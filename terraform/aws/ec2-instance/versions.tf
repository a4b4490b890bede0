terraform {
  # 1.10 brought S3-native state locking (use_lockfile).
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0, < 7.0"
    }
  }

  # Each stack has its own state object, stacks/<requestId>/terraform.tfstate; the buildspec passes
  # bucket, key and region at init time:
  #   terraform init -backend-config=bucket=<state bucket> \
  #                  -backend-config=key=stacks/<requestId>/terraform.tfstate -backend-config=region=<region>
  # The lock is an S3 object next to the state (<key>.tflock); no DynamoDB table.
  backend "s3" {
    use_lockfile = true
    encrypt      = true
  }
}

provider "aws" {
  region = var.region
}
