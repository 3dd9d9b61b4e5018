#!/bin/bash
# bench/pgcpu.sh: one bench/load run on a fresh PostgreSQL database, with the
# CPU its backends used per turn (PostgreSQL on this machine; run as a user
# who may read the backends' /proc/PID/stat, e.g. root).
#
#   bench/pgcpu.sh bin/parley -conversations 1000 -duration 20s [other bench/load flags]
#
# PARLEY_PG (default postgres://postgres:postgres@127.0.0.1:5432) is the
# server; the database parley_pgcpu_N is created and dropped. The backends of
# that database are sampled every 0.5 s (utime+stime, the last value of each),
# so a backend's last half second may be missed: compare runs, not absolutes.
set -euo pipefail
parley=$1
shift
pg=${PARLEY_PG:-postgres://postgres:postgres@127.0.0.1:5432}
db=parley_pgcpu_$$
out=$(mktemp -d)
psql "$pg/postgres" -qAtc "CREATE DATABASE $db"
trap 'psql "$pg/postgres" -qAtc "DROP DATABASE IF EXISTS $db WITH (FORCE)"; rm -rf "$out"' EXIT
(
	while true; do
		for pid in $(psql "$pg/postgres" -Atc "SELECT pid FROM pg_stat_activity WHERE datname = '$db'" 2>/dev/null); do
			awk -v p="$pid" '{print p, $14 + $15}' "/proc/$pid/stat" 2>/dev/null || true
		done
		sleep 0.5
	done
) >"$out/ticks" &
sampler=$!
rc=0
go run ./bench/load -serve -parley "$parley" -database "$pg/$db?sslmode=disable" "$@" | tee "$out/report" || rc=$?
kill "$sampler"
wait "$sampler" 2>/dev/null || true
hz=$(getconf CLK_TCK)
turns=$(awk '$1 == "turns" {print $2}' "$out/report")
awk -v hz="$hz" -v turns="${turns:-0}" '{ if ($2 > m[$1]) m[$1] = $2 } END {
	s = 0; for (p in m) s += m[p]
	per = 0; if (turns > 0) per = s / hz / turns * 1e6
	printf "PostgreSQL CPU    %.1f s during the run, %d µs per turn\n", s / hz, per }' "$out/ticks"
exit $rc
