#!/usr/bin/env bash
# Builds the five SOC Maturity images with podman, without any container registry:
#   1. a Debian bookworm base made with debootstrap (minbase, trimmed like
#      bookworm-slim) and imported with `podman import`, unless it exists already;
#   2. one `podman build --isolation=chroot` per component from deploy/images/Dockerfile,
#      on a context of the files git knows (tracked or not ignored), so build trees,
#      node_modules and var/ stay out. The build stage is shared through podman's layer
#      cache: the C++ is compiled once, by the first target.
#
#   bash deploy/images/build.sh                 # all five
#   bash deploy/images/build.sh gateway scoring # some
#
# Environment:
#   SOCM_IMAGE_PREFIX    in front of "soc-maturity-<component>" (default "localhost/")
#   SOCM_IMAGE_TAG       tag (default: appVersion of helm/soc-maturity/Chart.yaml)
#   SOCM_BASE_IMAGE      name of the imported base (default localhost/socm-debian:bookworm-slim)
#   SOCM_DEBIAN_MIRROR   Debian mirror for debootstrap (default: the first one in this
#                        machine's apt sources)
#   SOCM_BUILD_JOBS      ninja -j inside the build stage (default: ninja's own)
#   SOCM_PODMAN_STORAGE_DRIVER  e.g. vfs where overlay mounts are not allowed
# Needs root (debootstrap, podman's chroot isolation); installs podman, runc and
# debootstrap with apt-get when they are missing. Takes long: it compiles the suite.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

ALL=(catalogue assessment scoring reporting gateway)
if [ $# -gt 0 ]; then COMPONENTS=("$@"); else COMPONENTS=("${ALL[@]}"); fi
for c in "${COMPONENTS[@]}"; do
  case " ${ALL[*]} " in *" $c "*) ;; *) echo "build.sh: unknown component '$c' (one of: ${ALL[*]})" >&2; exit 2 ;; esac
done

PREFIX=${SOCM_IMAGE_PREFIX-localhost/}
TAG=${SOCM_IMAGE_TAG:-$(sed -n 's/^appVersion: *"\{0,1\}\([^" ]*\)"\{0,1\} *$/\1/p' helm/soc-maturity/Chart.yaml)}
BASE=${SOCM_BASE_IMAGE:-localhost/socm-debian:bookworm-slim}
PODMAN=(podman)
if [ -n "${SOCM_PODMAN_STORAGE_DRIVER:-}" ]; then PODMAN+=(--storage-driver "$SOCM_PODMAN_STORAGE_DRIVER"); fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
command -v podman >/dev/null 2>&1 || missing+=(podman)
command -v runc >/dev/null 2>&1 || missing+=(runc)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  echo "build.sh: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The mirror this machine's apt already uses: deb822 "URIs:" first, then one-line "deb".
debian_mirror() {
  if [ -n "${SOCM_DEBIAN_MIRROR:-}" ]; then echo "$SOCM_DEBIAN_MIRROR"; return; fi
  local uri=""
  if compgen -G '/etc/apt/sources.list.d/*.sources' >/dev/null; then
    uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" && $2 !~ /^\[/ {print $2; exit} $1 == "deb" {print $3; exit}' /etc/apt/sources.list)
  fi
  [ -n "$uri" ] || { echo "build.sh: no Debian mirror found; set SOCM_DEBIAN_MIRROR" >&2; return 1; }
  echo "$uri"
}

make_base() {
  local mirror rootfs
  mirror=$(debian_mirror)
  rootfs=$(mktemp -d /tmp/socm-rootfs-XXXXXX)
  echo "build.sh: debootstrap bookworm (minbase) into $rootfs" >&2
  $SUDO debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >&2
  # Trim it like bookworm-slim: no docs, man pages or locales, now or in later installs.
  $SUDO tee "$rootfs/etc/dpkg/dpkg.cfg.d/01-slim" >/dev/null <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
  $SUDO tee "$rootfs/etc/apt/apt.conf.d/01-slim" >/dev/null <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
EOF
  printf 'deb %s bookworm main\ndeb %s bookworm-updates main\n' "$mirror" "$mirror" |
    $SUDO tee "$rootfs/etc/apt/sources.list" >/dev/null
  $SUDO find "$rootfs/usr/share/doc" -mindepth 2 -not -name copyright -not -type d -delete
  $SUDO rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/*.log
  $SUDO tar -C "$rootfs" --numeric-owner -c . |
    "${PODMAN[@]}" import --change 'CMD ["/bin/bash"]' --change 'ENV LANG=C.UTF-8' - "$BASE" >&2
  $SUDO rm -rf "$rootfs"
}

if ! "${PODMAN[@]}" image exists "$BASE"; then
  make_base
fi

# The build context: what git knows of the paths the Dockerfile copies.
context=$(mktemp -d /tmp/socm-image-context-XXXXXX)
trap 'rm -rf "$context"' EXIT
git -C "$ROOT" ls-files -z --cached --others --exclude-standard -- \
    CMakeLists.txt proto services gateway tests deploy/images |
  while IFS= read -r -d '' file; do
    # A tracked file deleted in the work tree is not part of the build.
    if [ -f "$file" ]; then cp --parents -- "$file" "$context"; fi
  done
# The gateway's API reference page comes from the npm package pinned in package.json.
if [ ! -f "$ROOT/node_modules/redoc/bundles/redoc.standalone.js" ]; then
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd "$ROOT" && cp --parents node_modules/redoc/bundles/redoc.standalone.js "$context")

build_args=(--build-arg "BASE_IMAGE=$BASE")
if [ -n "${SOCM_BUILD_JOBS:-}" ]; then build_args+=(--build-arg "SOCM_BUILD_JOBS=$SOCM_BUILD_JOBS"); fi

for c in "${COMPONENTS[@]}"; do
  image="${PREFIX}soc-maturity-$c:$TAG"
  echo "build.sh: building $image" >&2
  "${PODMAN[@]}" build --isolation=chroot --pull=never --layers \
    -f "$context/deploy/images/Dockerfile" --target "$c" "${build_args[@]}" \
    --label "org.opencontainers.image.version=$TAG" \
    -t "$image" "$context"
done

echo "built:"
for c in "${COMPONENTS[@]}"; do echo "  ${PREFIX}soc-maturity-$c:$TAG"; done
