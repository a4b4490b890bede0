output "cluster_identifier" {
  description = "The (simulated) cluster identifier, oneclick-<request_id>."
  value       = terraform_data.cluster.output.cluster_identifier
}

output "cluster_name" {
  description = "The cluster's Name tag."
  value       = terraform_data.cluster.output.cluster_name
}

output "endpoint" {
  description = "The (simulated) writer endpoint."
  value       = terraform_data.cluster.output.endpoint
}

output "reader_endpoint" {
  description = "The (simulated) reader endpoint."
  value       = terraform_data.cluster.output.reader_endpoint
}

output "port" {
  description = "The port the endpoints would listen on."
  value       = terraform_data.cluster.output.port
}

output "master_user_secret_arn" {
  description = "A simulated Secrets Manager secret ARN, in account 000000000000; no secret exists."
  value       = terraform_data.cluster.output.master_user_secret_arn
}

output "availability_zones" {
  description = "The (simulated) availability zones of the DB subnet group, as one string: eu-west-1a, eu-west-1b."
  value       = terraform_data.cluster.output.availability_zones
}

output "simulated" {
  description = "True: this module creates no cloud resource."
  value       = terraform_data.cluster.output.simulated
}
