#!/usr/bin/env bash
# Makes sure a redis-server exists for the rate-limit recipe's test (a real Redis shared by two
# token-route instances). Debian's package; set REDIS_SERVER to use another binary.
set -euo pipefail

if [[ -n "${REDIS_SERVER:-}" ]]; then
  if [[ -x "$REDIS_SERVER" ]]; then echo "redis-server: using REDIS_SERVER=$REDIS_SERVER"; exit 0; fi
  echo "redis-server: REDIS_SERVER=$REDIS_SERVER is not an executable file" >&2; exit 1
fi
if command -v redis-server >/dev/null; then echo "redis-server: $(command -v redis-server)"; exit 0; fi
if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null; then
  echo "redis-server: installing Debian's redis-server with apt-get (one time)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  # The package starts a system service; the tests start their own server on a free port.
  (service redis-server stop || true) >/dev/null 2>&1
  echo "redis-server: $(command -v redis-server)"
  exit 0
fi
cat >&2 <<'MSG'
redis-server: not found and this user cannot apt-get install it.
Install it (Debian/Ubuntu: sudo apt-get install redis-server) or point REDIS_SERVER at a
redis-server executable, then re-run: npm run setup:tools
MSG
exit 1
