#!/usr/bin/env bash
# Applies each stack listed in a file (one request ID per line, as changed-stacks.sh prints them),
# each with the module its stacks/<id>/stack.json names ({"product": ..., "module": ...}; a stack
# written before products existed has none and is an ec2-instance) from ONECLICK_MODULES_DIR, each
# with its own S3 state, and writes what the provisioner reads:
#
#   outputs/<requestId>.json    `terraform output -json` of a stack that applied
#   outputs/<requestId>.failed  the end of the Terraform log of a stack that did not
#   outputs/stacks.txt          the stacks this build looked at (so the artifact is never empty)
#
# Every stack is tried even when an earlier one fails, so one bad stack does not hold back the
# others of the same commit; the script exits 1 at the end if any stack failed (the build fails).
#
# A module name must be a directory name (^[a-z0-9][a-z0-9-]*$) of ONECLICK_MODULES_DIR; a stack
# that names another (or has an unreadable stack.json) fails without running Terraform.
#
# Environment: ONECLICK_STATE_BUCKET (required), ONECLICK_STATE_REGION (default AWS_REGION),
# ONECLICK_MODULES_DIR (default terraform/aws: one directory per module). Needs jq. Run from the
# repository root.
set -uo pipefail

list=${1:?usage: apply-stacks.sh <file with stack IDs>}
modules_dir=${ONECLICK_MODULES_DIR:-terraform/aws}
bucket=${ONECLICK_STATE_BUCKET:?set ONECLICK_STATE_BUCKET to the Terraform state bucket}
region=${ONECLICK_STATE_REGION:-${AWS_REGION:?set ONECLICK_STATE_REGION or AWS_REGION}}
root=$(pwd)
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
export TF_PLUGIN_CACHE_DIR="${TF_PLUGIN_CACHE_DIR:-$root/.terraform-plugin-cache}"
mkdir -p "$root/outputs" "$TF_PLUGIN_CACHE_DIR"
cp "$list" "$root/outputs/stacks.txt"

tf() { terraform -chdir="$module_dir" "$@"; }

# The module of a stack: stack.json's "module", checked to be a module directory name.
module_of() {
  local stack_json="$root/stacks/$1/stack.json" module
  if [ ! -e "$stack_json" ]; then
    module=ec2-instance
  elif ! module=$(jq -r 'if (.module | type) == "string" then .module else "" end' "$stack_json" 2>&1); then
    echo "Error: stacks/$1/stack.json is not JSON: $module"
    return 1
  fi
  if ! [[ "$module" =~ ^[a-z0-9][a-z0-9-]*$ ]]; then
    echo "Error: stacks/$1/stack.json names no module directory (lowercase letters, digits, hyphens): '${module:0:100}'"
    return 1
  fi
  if [ ! -d "$modules_dir/$module" ]; then
    echo "Error: stacks/$1/stack.json names module '$module', which $modules_dir does not have"
    return 1
  fi
  printf '%s\n' "$module"
}

failed=0
while read -r id; do
  [ -n "$id" ] || continue
  work="$root/.terraform-stacks/$id"
  mkdir -p "$work"
  export TF_DATA_DIR="$work/.terraform"
  if ! module=$(module_of "$id"); then
    echo "=== stack $id FAILED: $module"
    printf '%s\n' "$module" >"$root/outputs/$id.failed"
    failed=$((failed + 1))
    continue
  fi
  module_dir="$modules_dir/$module"
  echo "=== stack $id ($module)"
  if tf init -input=false -no-color -reconfigure \
      -backend-config="bucket=$bucket" \
      -backend-config="key=stacks/$id/terraform.tfstate" \
      -backend-config="region=$region" >"$work/log" 2>&1 &&
    tf plan -input=false -no-color -var-file="$root/stacks/$id/terraform.tfvars.json" -out="$work/plan" \
      >>"$work/log" 2>&1 &&
    tf apply -input=false -no-color "$work/plan" >>"$work/log" 2>&1 &&
    tf output -no-color -json >"$work/outputs.json" 2>>"$work/log"; then
    cat "$work/log"
    mv "$work/outputs.json" "$root/outputs/$id.json"
    echo "=== stack $id applied"
  else
    cat "$work/log"
    tail -c 4000 "$work/log" >"$root/outputs/$id.failed"
    echo "=== stack $id FAILED"
    failed=$((failed + 1))
  fi
done <"$list"

if [ "$failed" -gt 0 ]; then
  echo "$failed stack(s) failed" >&2
  exit 1
fi
