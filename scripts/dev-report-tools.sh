#!/usr/bin/env bash
# dev-report-tools.sh: install what the report tests use, from Debian:
#   python3-openpyxl  reads the Excel reports back (engine/report)
#   poppler-utils     pdftoppm turns PDF reports into pictures
#   python3-aiosmtpd  a real SMTP server for the scheduled-report test
#   prometheus        promtool checks the example alert rules
# Idempotent; run as root.
set -euo pipefail

pkgs=(python3-openpyxl poppler-utils python3-aiosmtpd prometheus)
need=()
for pkg in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
		need+=("$pkg")
	fi
done
if [ "${#need[@]}" -eq 0 ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "dev-report-tools.sh must run as root (it installs ${need[*]})" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
echo "==> apt-get install ${need[*]}" >&2
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
