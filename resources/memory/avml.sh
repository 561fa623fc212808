#!/bin/bash
# Lariat memory acquisition with AVML (Linux, default).
# Lariat prepends: LARIAT_BUCKET, LARIAT_KEY, LARIAT_REGION, LARIAT_TOOL_SOURCE.
# The image is streamed to s3://$LARIAT_BUCKET/$LARIAT_KEY without touching the
# instance's disks; its SHA-256 and size are computed here, on the instance,
# from the very bytes sent, and printed as the last line:
#   LARIAT_RESULT size=<bytes> sha256=<hex> uri=<s3 uri>
# Exit codes: 10 tool missing, 11 bucket not writable, 12 acquisition failed,
#             13 not root, 14 missing prerequisite (aws CLI, sha256sum, FIFO).
set -u -o pipefail
fail() { echo "LARIAT_ERROR $2" >&2; exit "$1"; }

[ "$(id -u)" = 0 ] || fail 13 "not running as root"
command -v aws >/dev/null 2>&1 || fail 14 "the aws CLI is not installed"
command -v sha256sum >/dev/null 2>&1 || fail 14 "sha256sum is not installed"
WORK=$(mktemp -d /tmp/lariat.XXXXXX) || fail 14 "cannot create a temporary directory"
trap 'rm -rf "$WORK"' EXIT
URI="s3://${LARIAT_BUCKET}/${LARIAT_KEY}"
S3="aws s3 cp --only-show-errors --region ${LARIAT_REGION}"

TOOL=$(command -v avml 2>/dev/null || true)
[ -z "$TOOL" ] && [ -x /usr/local/bin/avml ] && TOOL=/usr/local/bin/avml
if [ -z "$TOOL" ] && [ -n "${LARIAT_TOOL_SOURCE}" ]; then
  $S3 "${LARIAT_TOOL_SOURCE}" "$WORK/avml" && chmod 700 "$WORK/avml" && TOOL="$WORK/avml"
fi
[ -n "$TOOL" ] || fail 10 "avml is not installed and no tool source was given"
echo "tool $TOOL sha256 $(sha256sum "$TOOL" | cut -d' ' -f1)"

# A small marker first: a permission problem shows up now, not after gigabytes.
printf 'Lariat acquisition started %s on %s\n' "$(date -u +%FT%TZ)" "$(hostname)" | $S3 - "${URI}.started" \
  || fail 11 "cannot write ${URI}.started"

MEM_KB=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
EXPECTED=$(( (MEM_KB + 1048576) * 1024 ))
mkfifo "$WORK/image" "$WORK/hash" "$WORK/count" || fail 14 "cannot create FIFOs in $WORK"
sha256sum < "$WORK/hash" | cut -d' ' -f1 > "$WORK/sha256" &
HASH_PID=$!
wc -c < "$WORK/count" > "$WORK/size" &
COUNT_PID=$!
"$TOOL" "$WORK/image" 2> "$WORK/tool.err" &
TOOL_PID=$!
tee "$WORK/hash" "$WORK/count" < "$WORK/image" | $S3 --expected-size "$EXPECTED" - "$URI"
UPLOAD=$?
wait "$TOOL_PID"; TOOL_RC=$?
wait "$HASH_PID" "$COUNT_PID"
[ "$TOOL_RC" = 0 ] || fail 12 "avml exited $TOOL_RC: $(tail -c 400 "$WORK/tool.err")"
[ "$UPLOAD" = 0 ] || fail 11 "streaming to $URI failed"
SIZE=$(tr -d ' \n' < "$WORK/size")
SHA=$(cat "$WORK/sha256")
[ "${SIZE:-0}" -gt 0 ] || fail 12 "avml produced no data"
echo "LARIAT_RESULT size=${SIZE} sha256=${SHA} uri=${URI}"
