#!/usr/bin/env bash
# Install the Debian packages listed in $1 (one per line, '#' comments) when any is missing.
# Root installs them; a user with password-less sudo too; anyone else is told which are missing,
# and the features that need them say so at run time (their tests are skipped with a message).
set -euo pipefail
list=${1:-apt-packages.txt}
mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$list" | grep -v '^$' || true)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "sosei: missing Debian packages (install them as root): ${missing[*]}" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "sosei: installed Debian packages: ${missing[*]}"
