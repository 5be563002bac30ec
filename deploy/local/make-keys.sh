#!/usr/bin/env bash
# Makes what the suite's components need to trust each other on one machine, once, in DIR:
#   ca.crt, ca.key                  the suite's own CA (P-256, ten years)
#   <component>.crt, <component>.key for catalogue, assessment, scoring, reporting, gateway:
#                                   server and client certificates signed by that CA, for
#                                   localhost and 127.0.0.1
#   principal.key, principal.pub    the pair that signs who each call is for
#   secrets.key                     the gateway's key that seals identity providers' client
#                                   secrets (base64, 32 bytes; put a new line first to rotate)
# Files already there are kept, so a restart keeps its identity; a certificate with 30 days
# or less left, or from another CA, is made anew. Uses openssl alone. With a
# PREFIX, each certificate also names PREFIX<component> (the plain Kubernetes manifests'
# Services: soc-maturity-).
#   bash deploy/local/make-keys.sh var/keys
#   bash deploy/local/make-keys.sh keys soc-maturity-
set -euo pipefail
dir=${1:?usage: make-keys.sh DIR [SERVICE_NAME_PREFIX]}
prefix=${2:-}
mkdir -p "$dir"
umask 077
ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

new_ca=no
if [ ! -s "$dir/ca.crt" ] || [ ! -s "$dir/ca.key" ]; then
  new_ca=yes
  ec "$dir/ca.key"
  openssl req -x509 -new -key "$dir/ca.key" -sha256 -days 3650 -subj "/CN=SOC Maturity suite CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$dir/ca.crt" 2>/dev/null
fi
for component in catalogue assessment scoring reporting gateway; do
  # Kept while it is from this CA and has more than 30 days left; made anew otherwise.
  if [ "$new_ca" = no ] && [ -s "$dir/$component.crt" ] && [ -s "$dir/$component.key" ] &&
     openssl x509 -in "$dir/$component.crt" -noout -checkend 2592000 >/dev/null 2>&1 &&
     openssl verify -CAfile "$dir/ca.crt" "$dir/$component.crt" >/dev/null 2>&1; then
    continue
  fi
  ec "$dir/$component.key"
  openssl req -new -key "$dir/$component.key" -subj "/CN=$component" -out "$dir/$component.csr" 2>/dev/null
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth,clientAuth" \
    "subjectAltName=DNS:localhost,IP:127.0.0.1,DNS:$component${prefix:+,DNS:$prefix$component}" \
    >"$dir/$component.ext"
  openssl x509 -req -in "$dir/$component.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
    -CAcreateserial -sha256 -days 825 -extfile "$dir/$component.ext" -out "$dir/$component.crt" 2>/dev/null
  rm -f "$dir/$component.csr" "$dir/$component.ext"
done
[ -s "$dir/principal.key" ] || ec "$dir/principal.key"
openssl pkey -in "$dir/principal.key" -pubout -out "$dir/principal.pub"
[ -s "$dir/secrets.key" ] || (umask 077; openssl rand -base64 32 >"$dir/secrets.key")
