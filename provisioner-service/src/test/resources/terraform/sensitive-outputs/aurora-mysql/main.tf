# The aurora-mysql module of the sensitive-outputs modules directory (only its presence is needed).

terraform {
  backend "local" {}
}
