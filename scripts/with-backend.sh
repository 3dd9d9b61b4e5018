#!/usr/bin/env bash
# with-backend.sh BOT_DIR [ADDR] -- COMMAND...
#
# Runs COMMAND with the bot's stand-in backend running, when the bot has one:
# a folder BOT_DIR/backend/cmd/NAME-backend (examples/shop/backend/cmd/shop-backend).
# It is built into bin/, started on ADDR (default 127.0.0.1:18090), waited for
# on /healthz, and stopped when COMMAND ends, fails or is interrupted. COMMAND
# sees NAME_API_URL (SHOP_API_URL for the shop), which the bot's connectors read.
# Without a backend folder, COMMAND just runs.
set -eu

# answers says whether something listens on $addr (bash's /dev/tcp: no curl needed).
answers() {
	local host=${addr%:*} port=${addr##*:}
	(exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
}

dir=${1%/}
shift
addr=127.0.0.1:18090
if [ "${1:-}" != "--" ]; then
	addr=$1
	shift
fi
[ "${1:-}" = "--" ] && shift

cmd_dir=
for d in "$dir"/backend/cmd/*-backend; do
	[ -d "$d" ] && cmd_dir=$d && break
done
if [ -z "$cmd_dir" ]; then
	exec "$@"
fi

name=$(basename "$cmd_dir")      # shop-backend
bot=${name%-backend}             # shop
var=$(echo "$bot" | tr 'a-z-' 'A-Z_')_API_URL
go_cmd=${GO:-go}

url="http://$addr"
if answers; then
	echo "with-backend: something already answers on $url; stop it, or pick another address" >&2
	exit 1
fi

mkdir -p bin
"$go_cmd" build -o "bin/$name" "./$cmd_dir"
"bin/$name" -addr "$addr" -log-level warn &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM

tries=0
until answers; do
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "with-backend: $name exited before it was ready (is $addr in use?)" >&2
		exit 1
	fi
	tries=$((tries + 1))
	if [ "$tries" -gt 100 ]; then
		echo "with-backend: $name did not answer on $url" >&2
		exit 1
	fi
	sleep 0.1
done
echo "with-backend: $name on $url ($var)" >&2

export "$var=$url"
"$@"
