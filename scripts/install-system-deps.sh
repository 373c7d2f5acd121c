#!/usr/bin/env bash
# Installs the Debian packages iomborder needs, when they are missing: Pango and fonts for WeasyPrint (PDF
# reports), GNU gettext for `make messages`, Chromium for the browser tests, LibreOffice Writer (without its
# interface) for the tests that open the Word exports as a ministry would, pg_dump for backups, and docker-compose
# (without an engine) to validate docker-compose.yml.
# Run by `make run` and `make test`.
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-dejavu-extra gettext chromium
  postgresql-client libreoffice-writer-nogui docker-compose)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install-system-deps: not a Debian-based system; install the equivalents of: ${packages[*]}" >&2
  exit 0
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-system-deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "install-system-deps: run as root, or install: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
