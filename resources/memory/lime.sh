#!/bin/bash
# Lariat memory acquisition with LiME (Linux, optional).
# Lariat prepends: LARIAT_BUCKET, LARIAT_KEY, LARIAT_REGION, LARIAT_TOOL_SOURCE.
# LiME is a kernel module built for the running kernel. It is looked for in
# /lib/modules/$(uname -r)/extra/lime.ko and /usr/local/lib/lime/; a tool source
# ending in "/" is a folder holding lime-$(uname -r).ko. LiME serves the image
# on a loopback TCP port; it is read from there and streamed to S3, hashed and
# counted on the way, and printed as the last line:
#   LARIAT_RESULT size=<bytes> sha256=<hex> uri=<s3 uri>
# Exit codes: 10 tool missing, 11 bucket not writable, 12 acquisition failed,
#             13 not root, 14 missing prerequisite.
set -u -o pipefail
fail() { echo "LARIAT_ERROR $2" >&2; exit "$1"; }

[ "$(id -u)" = 0 ] || fail 13 "not running as root"
command -v aws >/dev/null 2>&1 || fail 14 "the aws CLI is not installed"
command -v sha256sum >/dev/null 2>&1 || fail 14 "sha256sum is not installed"
WORK=$(mktemp -d /tmp/lariat.XXXXXX) || fail 14 "cannot create a temporary directory"
trap 'rmmod lime 2>/dev/null; rm -rf "$WORK"' EXIT
URI="s3://${LARIAT_BUCKET}/${LARIAT_KEY}"
S3="aws s3 cp --only-show-errors --region ${LARIAT_REGION}"
KVER=$(uname -r)

MODULE=""
for m in "/lib/modules/$KVER/extra/lime.ko" "/usr/local/lib/lime/lime-$KVER.ko" "/usr/local/lib/lime/lime.ko"; do
  [ -f "$m" ] && { MODULE="$m"; break; }
done
if [ -z "$MODULE" ] && [ -n "${LARIAT_TOOL_SOURCE}" ]; then
  SRC="${LARIAT_TOOL_SOURCE}"
  case "$SRC" in */) SRC="${SRC}lime-${KVER}.ko" ;; esac
  $S3 "$SRC" "$WORK/lime.ko" && MODULE="$WORK/lime.ko"
fi
[ -n "$MODULE" ] || fail 10 "no LiME module for kernel $KVER and no tool source"
echo "tool $MODULE sha256 $(sha256sum "$MODULE" | cut -d' ' -f1)"

printf 'Lariat acquisition started %s on %s\n' "$(date -u +%FT%TZ)" "$(hostname)" | $S3 - "${URI}.started" \
  || fail 11 "cannot write ${URI}.started"

PORT=4444
MEM_KB=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
EXPECTED=$(( (MEM_KB + 1048576) * 1024 ))
mkfifo "$WORK/hash" "$WORK/count" || fail 14 "cannot create FIFOs in $WORK"
insmod "$MODULE" "path=tcp:${PORT} format=lime" 2> "$WORK/tool.err" &
TOOL_PID=$!
# LiME serves exactly one client, so wait for the listening socket in
# /proc/net/tcp (state 0A) instead of probing it with a connection.
HEXPORT=$(printf '%04X' "$PORT")
for _ in $(seq 1 120); do
  grep -q ":${HEXPORT} 00000000:0000 0A" /proc/net/tcp 2>/dev/null && break
  kill -0 "$TOOL_PID" 2>/dev/null || break
  sleep 1
done
sha256sum < "$WORK/hash" | cut -d' ' -f1 > "$WORK/sha256" &
HASH_PID=$!
wc -c < "$WORK/count" > "$WORK/size" &
COUNT_PID=$!
cat < "/dev/tcp/127.0.0.1/${PORT}" | tee "$WORK/hash" "$WORK/count" | $S3 --expected-size "$EXPECTED" - "$URI"
UPLOAD=$?
wait "$TOOL_PID"; TOOL_RC=$?
wait "$HASH_PID" "$COUNT_PID"
[ "$TOOL_RC" = 0 ] || fail 12 "insmod lime exited $TOOL_RC: $(tail -c 400 "$WORK/tool.err")"
[ "$UPLOAD" = 0 ] || fail 11 "streaming to $URI failed"
SIZE=$(tr -d ' \n' < "$WORK/size")
[ "${SIZE:-0}" -gt 0 ] || fail 12 "LiME produced no data"
echo "LARIAT_RESULT size=${SIZE} sha256=$(cat "$WORK/sha256") uri=${URI}"
