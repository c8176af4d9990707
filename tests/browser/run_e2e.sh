#!/bin/sh
# CTest entry of the browser test: makes sure Chromium, its WebDriver and Selenium are there, then
# runs notebook_e2e.py. scripts/install-deps.sh installs all three; this installs what is still
# missing when run as root. Exits 77 (CTest SKIP_RETURN_CODE) only when they cannot be installed.
set -u
here=$(cd "$(dirname "$0")" && pwd)

have_all() {
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] &&
    /usr/bin/python3 -c "import selenium" 2>/dev/null
}

if ! have_all; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "browser test: installing Debian's chromium, chromium-driver, python3-selenium"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      chromium chromium-driver python3-selenium >/dev/null 2>&1 || true
  fi
  if ! have_all; then
    echo "SKIP: chromium, chromium-driver or python3-selenium is missing and could not be" \
      "installed (apt-get install chromium chromium-driver python3-selenium)"
    exit 77
  fi
fi

exec /usr/bin/python3 "$here/notebook_e2e.py"
