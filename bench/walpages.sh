#!/usr/bin/env bash
# walpages.sh [RATE] [PORT]: which tables and indexes the embedded store's
# commits write, in pages per commit, under the open loop at RATE messages/s
# (default 2000) on the shop. Serves the shop on a fresh database, runs
# bench/load against it for 15 s, copies the write-ahead log, stops the
# server and reads the copy with bench/walpages.
set -eu
cd "$(dirname "$0")/.."
rate=${1:-2000}
port=${2:-18620}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/parley" ./cmd/parley
go build -o "$dir/load" ./bench/load
go build -o "$dir/walpages" ./bench/walpages
cat > "$dir/run.sh" <<SH
set -eu
"$dir/parley" serve -addr 127.0.0.1:$port -database "$dir/p.db" -rate-limit -1 -max-client-conns 0 -log-level warn examples/shop > "$dir/server.log" 2>&1 &
pid=\$!
for _ in \$(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.2; done
"$dir/load" -url http://127.0.0.1:$port -pid \$pid -open -conversations 1000 -rate $rate -duration 15s | grep -E '^(turns|latency)'
cp "$dir/p.db-wal" "$dir/copy.wal"
kill \$pid
wait \$pid || true
SH
scripts/with-backend.sh examples/shop 127.0.0.1:$((port + 1)) -- bash "$dir/run.sh"
"$dir/walpages" -db "$dir/p.db" -wal "$dir/copy.wal"
