#!/usr/bin/env bash
# Applies each stack listed in a file (one request ID per line, as changed-stacks.sh prints them)
# with the module in ONECLICK_MODULE_DIR, each with its own S3 state, and writes what the
# provisioner reads:
#
#   outputs/<requestId>.json    `terraform output -json` of a stack that applied
#   outputs/<requestId>.failed  the end of the Terraform log of a stack that did not
#   outputs/stacks.txt          the stacks this build looked at (so the artifact is never empty)
#
# Every stack is tried even when an earlier one fails, so one bad stack does not hold back the
# others of the same commit; the script exits 1 at the end if any stack failed (the build fails).
#
# Environment: ONECLICK_STATE_BUCKET (required), ONECLICK_STATE_REGION (default AWS_REGION),
# ONECLICK_MODULE_DIR (default terraform/aws). Run from the repository root.
set -uo pipefail

list=${1:?usage: apply-stacks.sh <file with stack IDs>}
module_dir=${ONECLICK_MODULE_DIR:-terraform/aws}
bucket=${ONECLICK_STATE_BUCKET:?set ONECLICK_STATE_BUCKET to the Terraform state bucket}
region=${ONECLICK_STATE_REGION:-${AWS_REGION:?set ONECLICK_STATE_REGION or AWS_REGION}}
root=$(pwd)
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
export TF_PLUGIN_CACHE_DIR="${TF_PLUGIN_CACHE_DIR:-$root/.terraform-plugin-cache}"
mkdir -p "$root/outputs" "$TF_PLUGIN_CACHE_DIR"
cp "$list" "$root/outputs/stacks.txt"

tf() { terraform -chdir="$module_dir" "$@"; }

failed=0
while read -r id; do
  [ -n "$id" ] || continue
  work="$root/.terraform-stacks/$id"
  mkdir -p "$work"
  export TF_DATA_DIR="$work/.terraform"
  echo "=== stack $id"
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
