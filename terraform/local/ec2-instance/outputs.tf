output "instance_id" {
  description = "The (simulated) EC2 instance ID: 'i-' followed by 17 hex digits."
  value       = terraform_data.instance.output.instance_id
}

output "instance_name" {
  description = "The instance's Name tag."
  value       = terraform_data.instance.output.instance_name
}

output "private_ip" {
  description = "The (simulated) private IPv4 address."
  value       = terraform_data.instance.output.private_ip
}

output "availability_zone" {
  description = "The (simulated) availability zone."
  value       = terraform_data.instance.output.availability_zone
}

output "simulated" {
  description = "True: this module creates no cloud resource."
  value       = terraform_data.instance.output.simulated
}
