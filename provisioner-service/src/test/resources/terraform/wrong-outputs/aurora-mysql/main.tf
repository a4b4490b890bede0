# The aurora-mysql module of the wrong-outputs modules directory: it outputs none of the product's
# outputs.

terraform {
  backend "local" {}
}

output "simulated" {
  value = true
}
