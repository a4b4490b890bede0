# A module that applies but breaks the output contract (instance_id is an object, not text), for
# LocalTerraformBuildTest. Variables it does not declare only draw warnings from the var-file.

terraform {
  backend "local" {}
}

output "instance_id" {
  value = { id = "i-0123456789abcdef0" }
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
