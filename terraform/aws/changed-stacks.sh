#!/usr/bin/env bash
# Prints the IDs of the stacks a commit added or changed, one per line, sorted: every
# stacks/<requestId>/ the commit touched (compared with its first parent; a root commit with
# nothing) that still holds terraform.tfvars.json in that commit. A stack the commit removed (a
# revert after a failed build) is skipped. Run inside the infrastructure repository's checkout:
#
#   changed-stacks.sh <commit>          # in CodeBuild: "$CODEBUILD_RESOLVED_SOURCE_VERSION"
#
# The parent must be in the clone: a CodeBuild project needs a git clone depth of 2 or more (0 = full).
set -euo pipefail

commit=${1:?usage: changed-stacks.sh <commit>}
commit=$(git rev-parse --verify --quiet "${commit}^{commit}") || {
  echo "changed-stacks: ${1} is not a commit of this repository" >&2
  exit 2
}

# The first parent as the commit object names it (a shallow clone hides parents from rev-list).
parent=$(git cat-file -p "$commit" | sed -n 's/^parent \([0-9a-f]*\)$/\1/p' | head -n 1)
if [ -z "$parent" ]; then
  changed=$(git diff-tree --root --no-commit-id --name-only -r "$commit")
elif git cat-file -e "${parent}^{commit}" 2>/dev/null; then
  changed=$(git diff --name-only --no-renames "$parent" "$commit")
else
  echo "changed-stacks: the parent ${parent} of ${commit} is not in this clone;" \
    "set the CodeBuild project's git clone depth to 2 or more (0 for a full clone)" >&2
  exit 3
fi

uuid='[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
printf '%s\n' "$changed" |
  { grep -E "^stacks/${uuid}/" || true; } |
  sed -E "s#^stacks/(${uuid})/.*#\\1#" |
  sort -u |
  while read -r id; do
    if git cat-file -e "${commit}:stacks/${id}/terraform.tfvars.json" 2>/dev/null; then
      printf '%s\n' "$id"
    fi
  done
