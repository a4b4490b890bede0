output "cluster_identifier" {
  description = "The cluster's identifier, oneclick-<request_id>."
  value       = aws_rds_cluster.this.cluster_identifier
}

output "cluster_name" {
  description = "The cluster's Name tag."
  value       = aws_rds_cluster.this.tags["Name"]
}

output "endpoint" {
  description = "The writer endpoint."
  value       = aws_rds_cluster.this.endpoint
}

output "reader_endpoint" {
  description = "The reader endpoint (load-balanced over the readers; the writer while there is none)."
  value       = aws_rds_cluster.this.reader_endpoint
}

output "port" {
  description = "The port the endpoints listen on."
  value       = aws_rds_cluster.this.port
}

output "master_user_secret_arn" {
  description = "The ARN of the Secrets Manager secret that holds the master user's password (the password itself is never an output)."
  value       = aws_rds_cluster.this.master_user_secret[0].secret_arn
}

output "availability_zones" {
  description = "The availability zones of the cluster's DB subnet group, as one string: eu-west-1a, eu-west-1b."
  value       = join(", ", local.subnet_zones)
}

output "simulated" {
  description = "False: this module creates a real cluster."
  value       = false
}
