#!/usr/bin/env bash
# System packages for the portal on Debian/Ubuntu: WeasyPrint's libraries, fonts with
# Vietnamese glyphs, PostgreSQL and Redis (tests, production-like runs), Debian's Chromium
# (browser tests), poppler (PDF checks), curl (docker-compose.yml's web health check, run by
# the production smoke). Runs as root, or through sudo.
set -euo pipefail
PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2
fonts-noto-core poppler-utils postgresql redis-server chromium chromium-driver make ca-certificates curl"
if [ "${1:-}" = "--runtime" ]; then
  # Only what the embedded portal needs to run.
  PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2 fonts-noto-core"
fi
missing=$(dpkg-query -W -f='${Package} ${Status}\n' $PACKAGES 2>/dev/null | awk '$4 != "installed" {print $1}' || true)
for p in $PACKAGES; do dpkg-query -W "$p" >/dev/null 2>&1 || missing="$missing $p"; done
missing=$(echo $missing | tr ' ' '\n' | sort -u | tr '\n' ' ')
if [ -z "${missing// }" ]; then echo "system packages: all present"; exit 0; fi
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
