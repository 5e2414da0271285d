#!/usr/bin/env bash
# Starts a throwaway redis-server on a free loopback port with its own temp dir and prints its
# URL on stdout (for CI and local team-mode trials):
#   url=$(scripts/start-redis.sh)          # e.g. redis://127.0.0.1:40213
#   PARLA_REDIS_URL=$url parla worker
# Stop it with: redis-cli -u "$url" shutdown nosave   (or kill "$(cat <dir>/redis.pid)")
# Env: PARLA_TEST_REDIS_BIN (default: redis-server on PATH), REDIS_PASSWORD (sets requirepass),
#      REDIS_APPENDONLY=yes (persist across restarts).
set -euo pipefail
bin="${PARLA_TEST_REDIS_BIN:-$(command -v redis-server || true)}"
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  echo "start-redis: redis-server not found; install it (apt-get install redis-server) or set PARLA_TEST_REDIS_BIN" >&2
  exit 1
fi
dir="$(mktemp -d "${TMPDIR:-/tmp}/parla-redis-XXXXXX")"
for attempt in 1 2 3 4 5; do
  # Port 0 asks the kernel for a free port; a rare race with another process is retried.
  port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  args=(--port "$port" --bind 127.0.0.1 --dir "$dir" --save '' --daemonize yes
        --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --appendonly "${REDIS_APPENDONLY:-no}")
  [ -n "${REDIS_PASSWORD:-}" ] && args+=(--requirepass "$REDIS_PASSWORD")
  "$bin" "${args[@]}"
  for _ in $(seq 1 100); do
    if grep -q 'Ready to accept connections' "$dir/redis.log" 2>/dev/null; then
      auth=""
      [ -n "${REDIS_PASSWORD:-}" ] && auth=":${REDIS_PASSWORD}@"
      echo "redis://${auth}127.0.0.1:${port}"
      echo "start-redis: pid $(cat "$dir/redis.pid"), dir $dir" >&2
      exit 0
    fi
    if grep -q 'Address already in use' "$dir/redis.log" 2>/dev/null; then break; fi
    sleep 0.05
  done
  echo "start-redis: attempt $attempt on port $port failed" >&2
  : > "$dir/redis.log"
done
echo "start-redis: could not start redis-server; see $dir/redis.log" >&2
exit 1
