output "instance_id" {
  description = "The EC2 instance ID."
  value       = aws_instance.this.id
}

output "instance_name" {
  description = "The instance's Name tag."
  value       = aws_instance.this.tags["Name"]
}

output "private_ip" {
  description = "The instance's private IPv4 address."
  value       = aws_instance.this.private_ip
}

output "availability_zone" {
  description = "The availability zone the instance runs in (the subnet's)."
  value       = aws_instance.this.availability_zone
}

output "simulated" {
  description = "False: this module creates a real instance."
  value       = false
}
