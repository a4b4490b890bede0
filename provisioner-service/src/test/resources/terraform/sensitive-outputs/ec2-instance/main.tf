# A module that applies but outputs the instance ID as sensitive, for LocalTerraformBuildTest: the
# build must fail and the value must not reach the build's files. Variables it does not declare
# only draw warnings from the var-file.

terraform {
  backend "local" {}
}

output "instance_id" {
  value     = "i-0123456789abcdef0"
  sensitive = true
}

output "instance_name" {
  value = "web-1"
}

output "private_ip" {
  value = "10.1.2.3"
}

output "availability_zone" {
  value = "eu-west-1a"
}
