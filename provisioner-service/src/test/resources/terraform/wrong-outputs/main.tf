# A module that applies but breaks the output contract (instance_id is not a string), for
# LocalTerraformBuildTest. Variables it does not declare only draw warnings from the var-file.

terraform {
  backend "local" {}
}

output "instance_id" {
  value = 42
}
