#!/usr/bin/env bash
# Installs Debian's Chromium for the report's browser test (tests/report.rs), when
# missing. Called by .ci/run; the test skips with a message when Chromium is absent.
set -euo pipefail

if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium
