#!/usr/bin/env bash
# Prints the Debian packages that provide the shared libraries some binaries load, one
# a line. The runtime stages of the Dockerfile install exactly these, so a library the
# build starts linking (cairo, xlsxwriter, ...) reaches the image without a hand-kept
# list. Fails when a binary is missing, a library is not found, or no installed
# package owns one.
#
#   deploy/images/runtime-packages.sh BINARY...
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 BINARY..." >&2; exit 2; }

libs=()
for binary in "$@"; do
  [ -f "$binary" ] || { echo "runtime-packages: no such file: $binary" >&2; exit 1; }
  out=$(ldd "$binary") || { echo "runtime-packages: ldd failed on $binary" >&2; exit 1; }
  if grep -q 'not found' <<<"$out"; then
    echo "runtime-packages: $binary has unresolved libraries:" >&2
    grep 'not found' <<<"$out" >&2
    exit 1
  fi
  # "libfoo.so.1 => /usr/lib/.../libfoo.so.1 (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)"
  mapfile -t found < <(awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' <<<"$out")
  libs+=("${found[@]}")
done
mapfile -t libs < <(printf '%s\n' "${libs[@]}" | sort -u)

# dpkg knows a file by the path its package ships, which with a merged /usr may differ
# from the one the loader used: ask for every spelling at once (one slow dpkg call).
declare -A spellings=()
candidates=()
for lib in "${libs[@]}"; do
  real=$(readlink -f "$lib")
  spellings[$lib]="$real ${real#/usr} $lib /usr$lib"
  read -ra each <<<"${spellings[$lib]}"
  candidates+=("${each[@]}")
done
declare -A owner=()
while IFS= read -r line; do
  case "$line" in diversion*) continue ;; esac
  owner[${line#*: }]=${line%%: *}
done < <(dpkg-query -S "${candidates[@]}" 2>/dev/null || true)

status=0
packages=()
for lib in "${libs[@]}"; do
  package=""
  read -ra each <<<"${spellings[$lib]}"
  for candidate in "${each[@]}"; do
    if [ -n "${owner[$candidate]:-}" ]; then package=${owner[$candidate]}; break; fi
  done
  if [ -z "$package" ]; then
    echo "runtime-packages: no installed package owns $lib" >&2
    status=1
  fi
  package=${package%%,*}
  packages+=("${package%%:*}")
done
[ "$status" -eq 0 ] || exit "$status"
printf '%s\n' "${packages[@]}" | sort -u
