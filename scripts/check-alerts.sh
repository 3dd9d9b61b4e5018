#!/usr/bin/env bash
# check-alerts.sh: check the example Prometheus alert rules (deploy/prometheus)
# with promtool: their syntax, and their unit tests. Without promtool it skips
# with a note, except under CI=true, where it fails (.ci/run installs it).
set -euo pipefail
cd "$(dirname "$0")/../deploy/prometheus"

if ! command -v promtool >/dev/null 2>&1; then
	if [ "${CI:-}" = "true" ]; then
		echo "check-alerts: promtool is missing (Debian: apt-get install prometheus)" >&2
		exit 1
	fi
	echo "check-alerts: promtool not found, alert rules not checked (apt-get install prometheus)" >&2
	exit 0
fi
promtool check rules alerts.yml
promtool test rules alerts_test.yml
