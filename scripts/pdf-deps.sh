#!/usr/bin/env bash
# WeasyPrint (PDF notices) needs Pango >= 1.44, HarfBuzz-Subset (it embeds only the glyphs used; without it WeasyPrint
# warns, and the tests treat warnings as errors) and a font that covers Kazakh letters and ₸ (DejaVu Sans, which the
# notice stylesheet names). Install Debian's packages only if one is missing; on a machine without dpkg, say so.
set -euo pipefail

packages=(fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
if ! command -v dpkg >/dev/null 2>&1; then
  echo "No dpkg: make sure Pango >= 1.44 and DejaVu Sans are installed for PDF notices." >&2
  exit 0
fi
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1 || ! sudo -n true 2>/dev/null; then
      echo "Missing ${missing[*]} (needs root: apt-get install ${missing[*]}): PDF notices will answer 503" \
        "saying so; HTML notices work." >&2
      exit 0
    fi
    sudo="sudo -n"
  fi
  echo "Installing ${missing[*]} for PDF notices (WeasyPrint)." >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
