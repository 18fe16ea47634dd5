#!/usr/bin/env bash
# Installs the pinned Node packages (package-lock.json) unless the installed tree already matches the lock.
set -euo pipefail
cd "$(dirname "$0")"
stamp=node_modules/.hibiki-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
