terraform {
  # terraform_data is built in from 1.4 on; no provider is needed, so the module runs offline.
  required_version = ">= 1.4.0"

  # Each stack has its own state: the build passes the path at init time
  # (terraform init -backend-config=path=<state file of the stack>).
  backend "local" {}
}
