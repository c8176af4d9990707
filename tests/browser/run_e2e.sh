#!/bin/sh
# CTest entry of the browser test: makes sure Chromium and playwright-core are there, then runs
# notebook_e2e.js. Exits 77 (CTest SKIP_RETURN_CODE) only when Chromium cannot be installed.
set -u
here=$(cd "$(dirname "$0")" && pwd)

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "browser test: installing Debian's chromium"
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/dev/null 2>&1 || true
  fi
  if [ ! -x /usr/bin/chromium ]; then
    echo "SKIP: /usr/bin/chromium is missing and could not be installed (apt-get install chromium)"
    exit 77
  fi
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "FAIL: node and npm are needed (Debian packages nodejs, npm)"
  exit 1
fi

if [ ! -d "$here/node_modules/playwright-core" ]; then
  echo "browser test: npm ci (playwright-core)"
  (cd "$here" && npm ci --no-audit --no-fund) || { echo "FAIL: npm ci"; exit 1; }
fi

exec node "$here/notebook_e2e.js"
