#!/usr/bin/env bash
# dev-chromium.sh: install Debian's Chromium for Parley's browser tests (the web
# chat and the agent console run in a real headless browser). Idempotent; run as root.
set -euo pipefail

if command -v chromium >/dev/null 2>&1 && dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "dev-chromium.sh must run as root (it installs packages); or install chromium yourself" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
echo "==> apt-get install chromium" >&2
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null
chromium --version >&2
