import fs from 'node:fs';
import path from 'node:path';

/**
 * The stand-alone checker shipped in every custody export
 * (`resources/custody/verify.sh`): POSIX sh with only openssl (3.x, for
 * `pkeyutl -rawin`), sha256sum, grep and sed. It checks every key file's
 * fingerprint, recomputes each entry's hash from its exact bytes, follows the
 * chain, checks every signature, accepts a signer only if it was given with
 * `--trust` or introduced by an accepted key in a signed entry, checks the
 * export's signed checkpoint and any earlier checkpoints given, and re-hashes
 * each evidence file against the SHA-256 in its signed acquisition entry.
 * Kept as a real shell file so it can be read, linted and run as it ships.
 */
export function verifyScript(resourcesDir: string): string {
  return fs.readFileSync(path.join(resourcesDir, 'custody', 'verify.sh'), 'utf8');
}

/** VERIFY.md: the same checks spelled out command by command. */
export function VERIFY_MD(caseNumber: string, vaultDir: string): string {
  return `# Verifying the custody record of ${caseNumber}

This folder was written by Lariat. Everything here can be checked with
OpenSSL 3 and coreutils only; Lariat is not needed.

| File | What it is |
|------|------------|
| \`ledger.jsonl\` | every custody entry, one JSON object per line, with its \`hash\` and base64 \`signature\` (a readable copy: \`verify.sh\` fails unless it says exactly what \`entries/\` says) |
| \`entries/NNNNNN.json\` | the exact bytes that were hashed for entry NNNNNN (RFC 8785 canonical JSON, no newline) |
| \`entries/NNNNNN.sig\` | the actor's raw 64-byte Ed25519 signature over the raw 32-byte SHA-256 of that file |
| \`entries/NNNNNN.counter.sig\` | transfers only: the receiver's signature over the same hash |
| \`keys/<fingerprint>.pem\` | public keys; the file name is the SHA-256 of the key's DER form |
| \`checkpoint.txt\` | the exporter's signed checkpoint: line 1 says which entry the ledger ended with, line 2 is the signature |
| \`SHA256SUMS\` | convenience list of the evidence files' SHA-256 (the signed entries are what counts; \`verify.sh\` fails if it differs from them) |
| \`verify.sh\` | all of the checks below in one script |

**Who to trust.** Signatures only prove that the holder of a key signed. Ask each
investigator for their key fingerprint by another channel (phone, in person) and pass
it: \`sh verify.sh --trust <fingerprint> /path/to/vault/${caseNumber}\`. Without
\`--trust\` the export can only be shown consistent with itself. A key that is not
trusted is accepted only when a trusted key introduced it in a signed entry
(\`introduced\`, a transfer's receiver, a received bundle's sender).

**What the ledger must still contain.** Keep the \`checkpoint.txt\` of every report,
export or bundle you receive; later, \`--checkpoint FILE\` proves a newer export still
holds that entry with that hash (no truncation, no rewritten history).

## 1. Each key, each entry's hash and signature

\`\`\`sh
openssl pkey -pubin -in keys/<fp>.pem -outform DER | sha256sum      # must print <fp>
openssl dgst -sha256 -binary -out 000001.hash entries/000001.json
openssl pkeyutl -verify -pubin -inkey keys/<actor fingerprint>.pem -rawin -in 000001.hash -sigfile entries/000001.sig
\`\`\`

The actor's fingerprint is in the entry (\`"actor":{"fingerprint":"..."}\`).

## 2. The chain

\`sha256sum entries/000002.json\` must equal the \`"prev"\` value inside
\`entries/000003.json\`, and so on; entry 000001 has \`"prev"\` of 64 zeros.
Sequence numbers must run 1, 2, 3... without gaps.

## 3. The checkpoint

\`\`\`sh
head -n 1 checkpoint.txt | tr -d '\\n' > cp.json
sed -n 2p checkpoint.txt | openssl base64 -d -A > cp.sig
openssl dgst -sha256 -binary -out cp.hash cp.json
openssl pkeyutl -verify -pubin -inkey keys/<signer fingerprint>.pem -rawin -in cp.hash -sigfile cp.sig
\`\`\`

Its \`seq\` and \`hash\` must be those of the last entry here.

## 4. The evidence files

Each \`imported\` or \`acquired\` entry holds the file's SHA-256 (\`"hashes":{..."sha256":...}\`)
and its name in the vault (\`"vaultPath"\`): \`sha256sum ${vaultDir}/<name>\` must print it.
\`SHA256SUMS\` lists the same values for \`sha256sum -c\`, but is not signed.
`;
}
