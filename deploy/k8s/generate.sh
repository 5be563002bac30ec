#!/usr/bin/env bash
# Regenerates the plain manifests from the chart, so that both stay one thing:
#   deploy/k8s/base/                  helm template with the default values
#   deploy/k8s/overlays/production/   the difference to values-production.yaml, as a
#                                     kustomize overlay (new objects + JSON 6902 patches)
#
#   bash deploy/k8s/generate.sh           rewrite both folders
#   bash deploy/k8s/generate.sh --check   exit 1 if the committed folders are stale
#
# helm comes from tests/deploy/package.json (see tests/deploy/tools.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
CHART=helm/soc-maturity
RELEASE=soc-maturity

mode="write"
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

# shellcheck source=tests/deploy/tools.sh
source tests/deploy/tools.sh
socm_deploy_tools reuse

work=$(mktemp -d /tmp/socm-k8s-generate-XXXXXX)
trap 'rm -rf "$work"' EXIT

# The principal key pair and the suite's certificates come from Secrets the operator makes
# (README, "Kubernetes"): keys the chart made here would be private keys committed to the
# repository.
principal=(--set principal.existingSecret=soc-maturity-principal --set tls.existingSecret=soc-maturity-tls
  --set identity.existingSecret=soc-maturity-identity)
"$HELM" template "$RELEASE" "$CHART" "${principal[@]}" >"$work/base.yaml"
"$HELM" template "$RELEASE" "$CHART" -f "$CHART/values-production.yaml" "${principal[@]}" \
  >"$work/production.yaml"
node deploy/k8s/generate.mjs write "$work/base.yaml" "$work/production.yaml" "$work/out"

if [ "$mode" = check ]; then
  if diff -r -u deploy/k8s/base "$work/out/base" >"$work/diff" &&
     diff -r -u deploy/k8s/overlays "$work/out/overlays" >>"$work/diff"; then
    echo "deploy/k8s is up to date with $CHART"
    exit 0
  fi
  head -n 60 "$work/diff" >&2
  echo "deploy/k8s is stale: run bash deploy/k8s/generate.sh and commit the result" >&2
  exit 1
fi

rm -rf deploy/k8s/base deploy/k8s/overlays
cp -r "$work/out/base" deploy/k8s/base
cp -r "$work/out/overlays" deploy/k8s/overlays
echo "wrote deploy/k8s/base and deploy/k8s/overlays/production from $CHART"
