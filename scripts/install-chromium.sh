#!/usr/bin/env bash
# The dashboard tests drive Debian's Chromium with playwright-core (no browser download).
# Installs it from Debian's packages when /usr/bin/chromium (or $CHROMIUM_PATH) is missing.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then
  echo "Chromium: $("$chromium" --version 2>/dev/null | head -1)"
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
echo "Installing Debian's chromium for the dashboard tests..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
"$chromium" --version
