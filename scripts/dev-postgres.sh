#!/usr/bin/env bash
# dev-postgres.sh: set up a local PostgreSQL 15 with pgvector for Parley's tests.
#
# For developers and CI on Debian bookworm, run as root. Idempotent: every step
# checks whether it is already done, so running it twice is cheap.
#
# pgvector is not packaged for bookworm, so it is built from the trixie source
# package, fetched from the same mirror already configured for apt (no host name is
# written here: the URI is read from /etc/apt/sources.list.d/debian.sources).
#
# Environment:
#   PG_VERSION   (default 15)
#   PG_PORT      (default 5432)
#   PG_PASSWORD  (default postgres)
#   PG_DATABASE  (default parley_test)
#   PARLEY_CACHE (default /var/cache/parley)
set -euo pipefail

PG_VERSION="${PG_VERSION:-15}"
PG_PORT="${PG_PORT:-5432}"
PG_PASSWORD="${PG_PASSWORD:-postgres}"
PG_DATABASE="${PG_DATABASE:-parley_test}"
PARLEY_CACHE="${PARLEY_CACHE:-/var/cache/parley}"
PG_BIN="/usr/lib/postgresql/${PG_VERSION}/bin"
PG_CONFIG="${PG_BIN}/pg_config"
DEBIAN_SOURCES=/etc/apt/sources.list.d/debian.sources
TRIXIE_SOURCES=/etc/apt/sources.list.d/parley-trixie-src.sources

log() { printf '==> %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
	echo "dev-postgres.sh must run as root (it installs packages)" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt_updated=0
apt_update() {
	if [ "$apt_updated" -eq 0 ]; then
		log "apt-get update"
		apt-get update -qq
		apt_updated=1
	fi
}

# 1. Packages.
need=()
for pkg in "postgresql-${PG_VERSION}" "postgresql-server-dev-${PG_VERSION}" build-essential dpkg-dev; do
	if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
		need+=("$pkg")
	fi
done
if [ "${#need[@]}" -gt 0 ]; then
	apt_update
	log "installing ${need[*]}"
	apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# 2. pgvector, built from the trixie source package.
ext_dir="$("$PG_CONFIG" --sharedir)/extension"
if [ ! -f "$ext_dir/vector.control" ]; then
	if [ ! -f "$TRIXIE_SOURCES" ]; then
		# Reuse the first deb822 stanza's URI and keyring; the file is deb822, so a
		# stanza is a block of "Key: value" lines separated by blank lines.
		uri="$(awk '/^URIs:/ {print $2; exit}' "$DEBIAN_SOURCES")"
		signed_by="$(awk '/^Signed-By:/ {print $2; exit}' "$DEBIAN_SOURCES")"
		if [ -z "$uri" ]; then
			echo "no URIs: entry found in $DEBIAN_SOURCES" >&2
			exit 1
		fi
		log "adding trixie deb-src entry ($TRIXIE_SOURCES)"
		{
			echo "Types: deb-src"
			echo "URIs: $uri"
			echo "Suites: trixie"
			echo "Components: main"
			if [ -n "$signed_by" ]; then echo "Signed-By: $signed_by"; fi
		} >"$TRIXIE_SOURCES"
		apt_updated=0
	fi
	apt_update
	src_dir="$PARLEY_CACHE/pgvector"
	mkdir -p "$src_dir"
	build_dir="$(find "$src_dir" -maxdepth 1 -mindepth 1 -type d -name 'pgvector-*' | head -n 1)"
	if [ -z "$build_dir" ]; then
		log "fetching pgvector source into $src_dir"
		(cd "$src_dir" && apt-get source -qq pgvector >/dev/null)
		build_dir="$(find "$src_dir" -maxdepth 1 -mindepth 1 -type d -name 'pgvector-*' | head -n 1)"
	fi
	if [ -z "$build_dir" ]; then
		echo "apt-get source pgvector produced no pgvector-* directory in $src_dir" >&2
		exit 1
	fi
	log "building pgvector in $build_dir"
	# OPTFLAGS="" keeps the build portable (no -march=native) for CI caches.
	make -s -C "$build_dir" PG_CONFIG="$PG_CONFIG" OPTFLAGS="" -j"$(nproc)" >/dev/null
	make -s -C "$build_dir" PG_CONFIG="$PG_CONFIG" install >/dev/null
fi

# 3. A running cluster on 127.0.0.1:$PG_PORT.
if ! pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" '$1 == v && $2 == "main"' | grep -q .; then
	log "creating cluster $PG_VERSION/main"
	pg_createcluster "$PG_VERSION" main --port="$PG_PORT" >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
	log "starting cluster $PG_VERSION/main"
	pg_ctlcluster "$PG_VERSION" main start
fi
for _ in $(seq 1 50); do
	if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then break; fi
	sleep 0.2
done
"$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT" >/dev/null

psql_admin() { su postgres -c "psql -X -q -v ON_ERROR_STOP=1 -p $PG_PORT $*"; }

# 4. Password, database, extension.
psql_admin "-c \"ALTER USER postgres PASSWORD '${PG_PASSWORD}'\""
if ! psql_admin "-tAc \"SELECT 1 FROM pg_database WHERE datname = '${PG_DATABASE}'\"" | grep -q 1; then
	log "creating database $PG_DATABASE"
	psql_admin "-c 'CREATE DATABASE \"${PG_DATABASE}\"'"
fi
psql_admin "-d '${PG_DATABASE}' -c 'CREATE EXTENSION IF NOT EXISTS vector'"
version="$(psql_admin "-d '${PG_DATABASE}' -tAc \"SELECT extversion FROM pg_extension WHERE extname = 'vector'\"")"
log "pgvector $version ready in $PG_DATABASE"

url="postgres://postgres:${PG_PASSWORD}@127.0.0.1:${PG_PORT}/${PG_DATABASE}?sslmode=disable"
echo "PARLEY_TEST_DATABASE_URL=$url"
