/**
 * The stand-alone checker shipped in every custody export: POSIX sh with only
 * openssl (3.x, for `pkeyutl -rawin`), sha256sum, grep and sed. It recomputes
 * each entry's hash from its exact bytes, follows the chain, checks every
 * signature, and (given the vault folder) re-hashes the evidence files.
 */
export const VERIFY_SH = `#!/bin/sh
# Independent verification of a Lariat custody export.
# Usage: sh verify.sh [CASE_VAULT_FOLDER]
# Needs only: sh, openssl (3.x), sha256sum, grep, sed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
vault=\${1:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prev=0000000000000000000000000000000000000000000000000000000000000000
expected=1
fail=0
count=0
hex64() { sed 's/.*"\\([0-9a-f]\\{64\\}\\)"$/\\1/'; }
for body in "$here"/entries/*.json; do
  [ -f "$body" ] || continue
  name=$(basename "$body" .json)
  seq=$(expr "$name" + 0)
  [ "$seq" -eq "$expected" ] || { echo "entry $seq: gap in sequence (expected $expected)"; fail=1; }
  expected=$((seq + 1))
  hash=$(sha256sum "$body" | cut -c1-64)
  openssl dgst -sha256 -binary -out "$tmp/hash" "$body"
  link=$(grep -o '"prev":"[0-9a-f]\\{64\\}"' "$body" | tail -n 1 | hex64)
  [ "$link" = "$prev" ] || { echo "entry $seq: chain broken (prev $link, expected $prev)"; fail=1; }
  actor=$(grep -o '"actor":{"fingerprint":"[0-9a-f]\\{64\\}"' "$body" | head -n 1 | hex64)
  if ! openssl pkeyutl -verify -pubin -inkey "$here/keys/$actor.pem" -rawin -in "$tmp/hash" -sigfile "$here/entries/$name.sig" >/dev/null 2>&1; then
    echo "entry $seq: signature invalid (actor $actor)"; fail=1
  fi
  if grep -q '"counterparty":{"fingerprint":"' "$body"; then
    counter=$(grep -o '"counterparty":{"fingerprint":"[0-9a-f]\\{64\\}"' "$body" | head -n 1 | hex64)
    if ! openssl pkeyutl -verify -pubin -inkey "$here/keys/$counter.pem" -rawin -in "$tmp/hash" -sigfile "$here/entries/$name.counter.sig" >/dev/null 2>&1; then
      echo "entry $seq: receiver signature invalid ($counter)"; fail=1
    fi
  fi
  prev=$hash
  count=$((count + 1))
done
files=0
if [ -n "$vault" ]; then
  files=$(grep -c . "$here/SHA256SUMS" || true)
  (cd "$vault" && sha256sum --quiet -c "$here/SHA256SUMS") || fail=1
fi
if [ "$fail" -eq 0 ]; then echo "intact: $count entries, $files files (last hash $prev)"; else echo "NOT intact"; fi
exit "$fail"
`;

/** VERIFY.md: the same checks spelled out command by command. */
export function VERIFY_MD(caseNumber: string, vaultDir: string): string {
  return `# Verifying the custody record of ${caseNumber}

This folder was written by Lariat. Everything here can be checked with
OpenSSL 3 and coreutils only; Lariat is not needed.

| File | What it is |
|------|------------|
| \`ledger.jsonl\` | every custody entry, one JSON object per line, with its \`hash\` and base64 \`signature\` |
| \`entries/NNNNNN.json\` | the exact bytes that were hashed for entry NNNNNN (RFC 8785 canonical JSON, no newline) |
| \`entries/NNNNNN.sig\` | the actor's raw 64-byte Ed25519 signature over the raw 32-byte SHA-256 of that file |
| \`entries/NNNNNN.counter.sig\` | transfers only: the receiver's signature over the same hash |
| \`keys/<fingerprint>.pem\` | public keys; the file name is the SHA-256 of the key's DER form |
| \`SHA256SUMS\` | SHA-256 of each evidence file, names relative to the case's vault folder |
| \`verify.sh\` | all of the checks below in one script: \`sh verify.sh /path/to/vault/${caseNumber}\` |

## 1. Each entry's hash and signature

\`\`\`sh
openssl dgst -sha256 -binary -out 000001.hash entries/000001.json
openssl pkeyutl -verify -pubin -inkey keys/<actor fingerprint>.pem -rawin -in 000001.hash -sigfile entries/000001.sig
\`\`\`

The actor's fingerprint is in the entry (\`"actor":{"fingerprint":"..."}\`). A key's
fingerprint can be checked with
\`openssl pkey -pubin -in keys/<fp>.pem -outform DER | sha256sum\`.

## 2. The chain

\`sha256sum entries/000002.json\` must equal the \`"prev"\` value inside
\`entries/000003.json\`, and so on; entry 000001 has \`"prev"\` of 64 zeros.
Sequence numbers must run 1, 2, 3... without gaps.

## 3. The evidence files

\`\`\`sh
cd ${vaultDir}
sha256sum -c /path/to/this/folder/SHA256SUMS
\`\`\`
`;
}
