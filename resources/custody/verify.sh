#!/bin/sh
# Independent verification of a Lariat custody export (written by `lariat custody export`).
#
# Usage: sh verify.sh [--trust FINGERPRINT]... [--checkpoint FILE [--tsr FILE]]... [--tsa-ca FILE] [CASE_VAULT_FOLDER]
#
#   --trust FP        a signer's key fingerprint you obtained from them by another channel (phone, in person).
#                     Without one, the export can only be shown consistent with itself ("not anchored").
#   --checkpoint F    a checkpoint kept from an earlier report, export or bundle: the ledger must extend it.
#   --tsr F           an RFC 3161 time-stamp response over the --checkpoint just before it; --tsa-ca names the
#                     certificate (or CA) of the time-stamp authority you trust.
#   CASE_VAULT_FOLDER the folder holding the case's evidence files: each is re-hashed and compared with the
#                     SHA-256 in its signed acquisition entry.
#
# Needs only: sh, openssl (3.x), sha256sum and coreutils, grep, sed. Exit 0 only when intact and anchored.
set -u
LC_ALL=C
export LC_ALL
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/via" "$tmp/name" "$tmp/count" "$tmp/ev" "$tmp/bad"
trust=' '
vault=''
tsaca=''
ncp=0
: >"$tmp/cps"
: >"$tmp/tsrs"
: >"$tmp/order"
while [ $# -gt 0 ]; do
  case "$1" in
    --trust)
      if [ $# -lt 2 ] || ! printf '%s\n' "$2" | grep -qx '[0-9a-f]\{64\}'; then
        echo "verify.sh: --trust needs a key fingerprint (64 lowercase hex characters)"
        exit 2
      fi
      trust="$trust$2 "
      shift 2
      ;;
    --checkpoint)
      [ $# -ge 2 ] || { echo "verify.sh: --checkpoint needs a file"; exit 2; }
      ncp=$((ncp + 1))
      printf '%s %s\n' "$ncp" "$2" >>"$tmp/cps"
      shift 2
      ;;
    --tsr)
      if [ $# -lt 2 ] || [ "$ncp" -eq 0 ]; then
        echo "verify.sh: --tsr FILE follows the --checkpoint it time-stamps"
        exit 2
      fi
      printf '%s %s\n' "$ncp" "$2" >>"$tmp/tsrs"
      shift 2
      ;;
    --tsa-ca)
      [ $# -ge 2 ] || { echo "verify.sh: --tsa-ca needs a PEM file"; exit 2; }
      tsaca=$2
      shift 2
      ;;
    -h | --help)
      sed -n '2,15p' "$0"
      exit 0
      ;;
    -*)
      echo "verify.sh: unknown option $1"
      exit 2
      ;;
    *)
      vault=$1
      shift
      ;;
  esac
done

fail=0
problem() {
  echo "$1"
  fail=1
}
short() { printf '%s…' "$(printf '%s' "$1" | cut -c1-12)"; }
# A body with its escaped quotes and backslashes spelled \u0022 and \u005c, so every JSON string is "[^"]*".
flatten() { { cat "$1"; echo; } | sed 's/\\\\/\\u005c/g; s/\\"/\\u0022/g'; }
field() { printf '%s\n' "$1" | sed -n "$2"; }
accepted() { [ -f "$tmp/via/$1" ]; }
key_ok() { [ -f "$here/keys/$1.pem" ] && [ ! -f "$tmp/bad/$1" ]; }
sigcheck() { openssl pkeyutl -verify -pubin -inkey "$here/keys/$1.pem" -rawin -in "$2" -sigfile "$3" >/dev/null 2>&1; }
H='\([0-9a-f]\{64\}\)'
S='[^"]*'
HEAD="^{\"action\":\"[a-z-]*\",\"actor\":{\"fingerprint\":\"[0-9a-f]\{64\}\",\"name\":\"$S\"},\"at\":\"$S\",\"case\":\"$S\""
TAIL="\"location\":\"$S\",\"prev\":\"[0-9a-f]\{64\}\",\"purpose\":\"$S\",\"seq\":[0-9]*,\"tool\":\"$S\",\"v\":[0-9]*}\$"

# 1. Every key file must hold the key whose fingerprint is its name.
for k in "$here"/keys/*.pem; do
  [ -f "$k" ] || continue
  fp=$(basename "$k" .pem)
  if openssl pkey -pubin -in "$k" -outform DER >"$tmp/der" 2>/dev/null; then
    got=$(sha256sum <"$tmp/der" | cut -c1-64)
  else
    got='no readable public key'
  fi
  if [ "$got" != "$fp" ]; then
    problem "key file keys/$fp.pem does not hold the key with that fingerprint (it holds $got)"
    : >"$tmp/bad/$fp"
  fi
done

# 2. Trust anchors: is any key of this ledger one of the fingerprints given?
anchored=no
nkeys=0
for body in "$here"/entries/*.json; do
  [ -f "$body" ] || continue
  flat=$(flatten "$body")
  for fp in $(field "$flat" "s/^{\"action\":\"[a-z-]*\",\"actor\":{\"fingerprint\":\"$H\".*/\1/p") $(field "$flat" "s/$HEAD,\"counterparty\":{\"fingerprint\":\"$H\".*/\1/p"); do
    [ -f "$tmp/seen.$fp" ] && continue
    : >"$tmp/seen.$fp"
    nkeys=$((nkeys + 1))
    case "$trust" in *" $fp "*) anchored=yes ;; esac
  done
done
for fp in $trust; do echo 'given with --trust' >"$tmp/via/$fp"; done
if [ "$trust" = ' ' ]; then source='none given (pass --trust FP)'; else source='the fingerprints given with --trust'; fi
[ "$nkeys" -eq 0 ] && anchored=yes

# 3. Each entry: sequence, hash, chain, signatures, trusted signer; acquisition entries: the evidence file.
prev=0000000000000000000000000000000000000000000000000000000000000000
expected=1
count=0
lastseq=0
provisional=''
files=0
casenum=''
for body in "$here"/entries/*.json; do
  [ -f "$body" ] || continue
  name=$(basename "$body" .json)
  seq=$(expr "$name" + 0)
  if [ "$seq" -ne "$expected" ]; then
    if [ $((seq - 1)) -gt "$expected" ]; then gap="$expected-$((seq - 1))"; else gap=$expected; fi
    problem "gap in sequence: entry $gap is missing (entry $((expected - 1)) is followed by $seq)"
  fi
  expected=$((seq + 1))
  hash=$(sha256sum "$body" | cut -c1-64)
  flat=$(flatten "$body")
  action=$(field "$flat" 's/^{"action":"\([a-z-]*\)".*/\1/p')
  actor=$(field "$flat" "s/^{\"action\":\"[a-z-]*\",\"actor\":{\"fingerprint\":\"$H\".*/\1/p")
  aname=$(field "$flat" "s/^{\"action\":\"[a-z-]*\",\"actor\":{\"fingerprint\":\"[0-9a-f]\{64\}\",\"name\":\"\($S\)\"}.*/\1/p")
  ecase=$(field "$flat" "s/^{\"action\":\"[a-z-]*\",\"actor\":{\"fingerprint\":\"[0-9a-f]\{64\}\",\"name\":\"$S\"},\"at\":\"$S\",\"case\":\"\($S\)\".*/\1/p")
  link=$(field "$flat" "s/.*,\"prev\":\"$H\",\"purpose\":\"$S\",\"seq\":[0-9]*,\"tool\":\"$S\",\"v\":[0-9]*}\$/\1/p")
  bseq=$(field "$flat" "s/.*,\"seq\":\([0-9]*\),\"tool\":\"$S\",\"v\":[0-9]*}\$/\1/p")
  counter=$(field "$flat" "s/$HEAD,\"counterparty\":{\"fingerprint\":\"$H\",\"name\":\"$S\",\"role\":\"[a-z-]*\"}.*/\1/p")
  cname=$(field "$flat" "s/$HEAD,\"counterparty\":{\"fingerprint\":\"[0-9a-f]\{64\}\",\"name\":\"\($S\)\",\"role\":\"[a-z-]*\"}.*/\1/p")
  role=$(field "$flat" "s/$HEAD,\"counterparty\":{\"fingerprint\":\"[0-9a-f]\{64\}\",\"name\":\"$S\",\"role\":\"\([a-z-]*\)\"}.*/\1/p")
  prev_this=$prev
  prev=$hash
  count=$((count + 1))
  lastseq=$seq
  # The line ledger.jsonl must hold for this entry: the signed body with its hash and signatures in their canonical places.
  sig=$(openssl base64 -A -in "$here/entries/$name.sig" 2>/dev/null)
  if [ -f "$here/entries/$name.counter.sig" ]; then cs="\"$(openssl base64 -A -in "$here/entries/$name.counter.sig")\""; else cs=null; fi
  printf '%s\n' "$flat" | sed "s#^\(${HEAD#^}\),#\1,\"counterSignature\":$cs,#
    s#,\(\"hashes\":null,${TAIL%\$}\)\$#,\"hash\":\"$hash\",\1#
    s#,\(\"hashes\":{[^}]*},${TAIL%\$}\)\$#,\"hash\":\"$hash\",\1#
    s#\(,\"seq\":[0-9]*,\)\(\"tool\":\"$S\",\"v\":[0-9]*}\)\$#\1\"signature\":\"$sig\",\2#" >>"$tmp/ledger.expected"
  if [ -z "$actor" ] || [ -z "$link" ] || [ "$bseq" != "$seq" ]; then
    problem "entry $seq: row altered (its signed content is not a custody entry)"
    continue
  fi
  [ -n "$casenum" ] || casenum=$ecase
  if [ "$ecase" != "$casenum" ]; then
    problem "entry $seq: row altered (it belongs to case $ecase, not $casenum)"
    continue
  fi
  [ "$link" = "$prev_this" ] || problem "entry $seq: chain broken (it names $(short "$link") as the previous entry's hash, but the previous entry's hash is $(short "$prev_this"))"
  openssl dgst -sha256 -binary -out "$tmp/hash" "$body"
  sigok=yes
  if ! key_ok "$actor"; then
    problem "entry $seq: signature cannot be checked (no valid public key recorded for actor $(short "$actor"))"
    sigok=no
  elif ! sigcheck "$actor" "$tmp/hash" "$here/entries/$name.sig"; then
    problem "entry $seq: signature invalid (actor $aname)"
    sigok=no
  fi
  if [ "$role" = 'received-by' ]; then
    if ! key_ok "$counter"; then
      problem "entry $seq: signature cannot be checked (no valid public key recorded for receiver $(short "$counter"))"
      sigok=no
    elif [ ! -f "$here/entries/$name.counter.sig" ] || ! sigcheck "$counter" "$tmp/hash" "$here/entries/$name.counter.sig"; then
      problem "entry $seq: signature invalid (receiver $cname)"
      sigok=no
    fi
  fi
  for who in "$actor $aname" "$counter $cname"; do
    fp=${who%% *}
    [ -n "$fp" ] || continue
    if [ ! -f "$tmp/name/$fp" ]; then
      printf '%s\n' "${who#* }" >"$tmp/name/$fp"
      echo "$fp" >>"$tmp/order"
    fi
  done
  n=$(cat "$tmp/count/$actor" 2>/dev/null || echo 0)
  echo $((n + 1)) >"$tmp/count/$actor"
  if [ "$role" = 'received-by' ]; then
    n=$(cat "$tmp/count/$counter" 2>/dev/null || echo 0)
    echo $((n + 1)) >"$tmp/count/$counter"
  fi
  if [ "$anchored" = no ] && [ -z "$provisional" ]; then
    provisional=$actor
    echo 'NOT a trust anchor: only taken as the starting point because no signer is trusted' >"$tmp/via/$actor"
    : >"$tmp/provisional.$actor"
    problem "not anchored: none of the $nkeys key(s) of this ledger is a trust anchor (anchors: $source); it is consistent only with itself"
  fi
  if ! accepted "$actor"; then
    problem "entry $seq: signed by $aname (key $actor), which is not trusted: it is not a trust anchor and no accepted key introduced it before this entry"
  elif [ -n "$counter" ] && [ "$sigok" = yes ] && ! accepted "$counter"; then
    echo "introduced by $aname (key $actor) in entry $seq" >"$tmp/via/$counter"
  fi
  case "$action" in imported | acquired) ;; *) continue ;; esac
  evid=$(field "$flat" "s/.*,\"evidence\":{\"description\":\"$S\",\"id\":\([0-9]*\),\"sha256\":[^}]*},\"hashes\":.*,$TAIL/\1/p")
  signed=$(field "$flat" "s/.*,\"hashes\":{\([^}]*\)},$TAIL/\1/p" | grep -o '"sha256":"[0-9a-f]\{64\}"' | grep -o '[0-9a-f]\{64\}')
  rel=$(field "$flat" 's/.*"vaultPath":"\([A-Za-z0-9._/-]*\)".*/\1/p')
  [ -n "$evid" ] && [ -n "$signed" ] && [ -n "$rel" ] || continue
  [ -f "$tmp/ev/$evid" ] && continue
  : >"$tmp/ev/$evid"
  echo "$(basename "$rel")" >>"$tmp/named"
  echo "$signed  $(basename "$rel")" >>"$tmp/sums"
  [ -n "$vault" ] || continue
  files=$((files + 1))
  file="$vault/$(basename "$rel")"
  if [ ! -f "$file" ]; then
    problem "file missing: $rel (evidence item $evid)"
    continue
  fi
  actual=$(sha256sum "$file" | cut -c1-64)
  if [ "$actual" != "$signed" ]; then
    size=$(wc -c <"$file" | tr -d ' ')
    problem "file changed: $rel (evidence item $evid) now has SHA-256 $(printf '%s' "$actual" | cut -c1-16)… and $size bytes; the signed acquisition entry $seq records $(printf '%s' "$signed" | cut -c1-16)…"
  fi
done

# 4. Checkpoints: read one (line 1 canonical JSON, line 2 base64 signature) into cp_* variables; 0 when it verifies.
CP="^{\"at\":\"\($S\)\",\"case\":\"\($S\)\",\"format\":\"lariat-custody-checkpoint\",\"hash\":\"$H\",\"seq\":\([0-9]*\),\"signer\":{\"fingerprint\":\"$H\",\"name\":\"\($S\)\"},\"v\":1}\$"
read_checkpoint() {
  head -n 1 "$1" | tr -d '\r\n' >"$tmp/cpline"
  cpflat=$(flatten "$tmp/cpline")
  cp_at=$(field "$cpflat" "s/$CP/\1/p")
  cp_case=$(field "$cpflat" "s/$CP/\2/p")
  cp_hash=$(field "$cpflat" "s/$CP/\3/p")
  cp_seq=$(field "$cpflat" "s/$CP/\4/p")
  cp_fp=$(field "$cpflat" "s/$CP/\5/p")
  cp_name=$(field "$cpflat" "s/$CP/\6/p")
  [ -n "$cp_seq" ] || return 1
  cp_desc="checkpoint of $cp_case at entry $cp_seq (signed by $cp_name, key $cp_fp, at $cp_at)"
  sed -n 2p "$1" | tr -d '\r\n' | openssl base64 -d -A >"$tmp/cpsig" 2>/dev/null
  openssl dgst -sha256 -binary -out "$tmp/cphash" "$tmp/cpline"
  key_ok "$cp_fp" && sigcheck "$cp_fp" "$tmp/cphash" "$tmp/cpsig"
}
entry_hash() { sha256sum "$here/entries/$(printf '%06d' "$1").json" 2>/dev/null | cut -c1-64; }

if [ ! -f "$here/checkpoint.txt" ]; then
  problem "checkpoint.txt missing: this export does not say where its ledger ends"
elif ! read_checkpoint "$here/checkpoint.txt"; then
  if [ -z "$cp_seq" ]; then problem 'signed head invalid: its checkpoint.txt is not a checkpoint'; else problem "signed head invalid: its checkpoint.txt is not validly signed by the key it names ($(short "$cp_fp"))"; fi
elif [ -n "$casenum" ] && [ "$cp_case" != "$casenum" ]; then
  problem "signed head invalid: its checkpoint.txt belongs to case $cp_case"
elif ! accepted "$cp_fp"; then
  problem "signed head invalid: its checkpoint.txt is signed by $cp_name (key $cp_fp), which is not trusted"
elif [ "$cp_seq" -gt "$lastseq" ]; then
  problem "ledger truncated: it ends at entry $lastseq, but its checkpoint.txt names entry $cp_seq ($(short "$cp_hash"), signed by $cp_name at $cp_at)"
elif [ "$cp_seq" -lt "$lastseq" ]; then
  problem "signed head behind: it names entry $cp_seq, but the ledger goes on to entry $lastseq (entries were added without a signed head)"
elif [ "$cp_hash" != "$prev" ]; then
  problem "ledger forked: entry $cp_seq is $(short "$prev"), but its checkpoint.txt names $(short "$cp_hash") (signed by $cp_name at $cp_at)"
else
  head_note="checkpoint.txt: entry $cp_seq, signed by $cp_name at $cp_at"
fi
[ -n "$casenum" ] || casenum=${cp_case:-}

while read -r idx path; do
  [ -n "$idx" ] || continue
  label="checkpoint $idx"
  if [ ! -f "$path" ] || ! head -n 1 "$path" | grep -q '^{"at":"'; then
    problem "$label: not a checkpoint (it is not a Lariat custody checkpoint)"
  elif ! read_checkpoint "$path"; then
    if [ -z "$cp_seq" ]; then
      problem "$label: not a checkpoint (it is not a Lariat custody checkpoint)"
    elif [ "$cp_case" != "$casenum" ]; then
      problem "$label: the $cp_desc is for another case than $casenum"
    else
      problem "$label: the $cp_desc is not validly signed by the key it names"
    fi
  elif [ "$cp_case" != "$casenum" ]; then
    problem "$label: the $cp_desc is for another case than $casenum"
  elif ! accepted "$cp_fp"; then
    problem "$label: the $cp_desc is signed by a key that is not trusted"
  elif [ "$cp_seq" -gt "$lastseq" ]; then
    problem "ledger truncated: it ends at entry $lastseq, but the $cp_desc names entry $cp_seq ($(short "$cp_hash"))"
  elif [ "$cp_seq" -gt 0 ] && [ "$(entry_hash "$cp_seq")" != "$cp_hash" ]; then
    problem "ledger forked: entry $cp_seq is $(short "$(entry_hash "$cp_seq")"), but the $cp_desc names $(short "$cp_hash")"
  else
    echo "$label: the ledger extends the $cp_desc"
  fi
done <"$tmp/cps"

n=0
while read -r idx path; do
  [ -n "$idx" ] || continue
  n=$((n + 1))
  cpfile=$(sed -n "s/^$idx //p" "$tmp/cps")
  if [ -z "$tsaca" ]; then
    problem "time-stamp $n: --tsa-ca (the time-stamp authority's certificate) is needed to check it"
    continue
  fi
  out=$(openssl ts -verify -data "$cpfile" -in "$path" -CAfile "$tsaca" 2>&1)
  case "$out" in
    *'Verification: OK'*) echo "time-stamp $n: RFC 3161 time-stamp verified by openssl over checkpoint $idx" ;;
    *) problem "time-stamp $n: openssl ts -verify refused it ($(printf '%s\n' "$out" | grep -v '^Using configuration' | head -n 1))" ;;
  esac
done <"$tmp/tsrs"

# 5. The readable copies: ledger.jsonl and SHA256SUMS are not signed, so they must say exactly what the signed entries say.
if [ ! -f "$here/ledger.jsonl" ]; then
  problem 'ledger.jsonl missing: the readable ledger of this export is gone (the signed entries/ are what counts)'
else
  sed 's/\\\\/\\u005c/g; s/\\"/\\u0022/g' "$here/ledger.jsonl" >"$tmp/ledger.flat"
  mkdir "$tmp/lines"
  [ -s "$tmp/ledger.flat" ] && split -l 1 -a 7 -d "$tmp/ledger.flat" "$tmp/lines/"
  [ -f "$tmp/ledger.expected" ] && split -l 1 -a 7 -d "$tmp/ledger.expected" "$tmp/lines/x"
  lines=$(wc -l <"$tmp/ledger.flat" | tr -d ' ')
  k=0
  while [ "$k" -lt "$count" ]; do
    n=$(printf '%07d' "$k")
    k=$((k + 1))
    if [ ! -f "$tmp/lines/$n" ] || [ "$(cat "$tmp/lines/$n")" != "$(cat "$tmp/lines/x$n")" ]; then
      problem "ledger.jsonl line $k altered: it does not say what signed entry $k says (the readable ledger was edited; entries/ holds what was signed)"
      break
    fi
  done
  [ "$lines" -gt "$count" ] && problem "ledger.jsonl altered: it has $lines lines for $count signed entries"
fi
if [ -f "$here/SHA256SUMS" ]; then
  sort "$here/SHA256SUMS" >"$tmp/sums.given"
  sort "$tmp/sums" 2>/dev/null >"$tmp/sums.signed"
  if [ "$(sha256sum <"$tmp/sums.given")" != "$(sha256sum <"$tmp/sums.signed")" ]; then
    problem 'SHA256SUMS altered: it does not list exactly the SHA-256 of the signed acquisition entries (do not rely on sha256sum -c with it)'
  fi
fi

# 6. Who signed, and whether each key is trusted; two keys under one name are flagged.
echo "signers (trust anchors: $source):"
while read -r fp; do
  nm=$(cat "$tmp/name/$fp")
  cnt=$(cat "$tmp/count/$fp" 2>/dev/null || echo 0)
  if [ -f "$tmp/provisional.$fp" ] || ! accepted "$fp"; then
    status='NOT trusted'
  else
    case "$trust" in *" $fp "*) status=trusted ;; *) status=introduced ;; esac
  fi
  via=$(cat "$tmp/via/$fp" 2>/dev/null || echo 'not a trust anchor, and never introduced by an accepted key')
  echo "  $fp $nm: $status ($via), $cnt entries"
  printf '%s\n' "$nm" | tr 'A-Z' 'a-z' >"$tmp/lname.$fp"
done <"$tmp/order"
while read -r fp; do cat "$tmp/lname.$fp"; done <"$tmp/order" | sort | uniq -d >"$tmp/dups"
while read -r dup; do
  list=''
  k=0
  first=''
  while read -r fp; do
    [ "$(cat "$tmp/lname.$fp")" = "$dup" ] || continue
    k=$((k + 1))
    [ -n "$first" ] || first=$(cat "$tmp/name/$fp")
    if [ -f "$tmp/provisional.$fp" ] || ! accepted "$fp"; then st='NOT trusted'; else case "$trust" in *" $fp "*) st=trusted ;; *) st=introduced ;; esac; fi
    list="$list${list:+, }$fp ($st)"
  done <"$tmp/order"
  echo "warning: $k keys carry the name $first: $list"
done <"$tmp/dups"

if [ -n "$vault" ]; then
  for f in "$vault"/* "$vault"/.[!.]*; do
    [ -f "$f" ] || continue
    b=$(basename "$f")
    [ "$b" = '.custody-head.json' ] && continue
    grep -qxF -e "$b" "$tmp/named" 2>/dev/null || echo "note: $b in the vault folder is not named by any signed acquisition entry"
  done
else
  echo 'note: evidence files not checked (give the case vault folder as the last argument)'
fi
[ -n "${head_note:-}" ] && echo "$head_note"
if [ "$fail" -eq 0 ]; then
  echo "intact: $count entries, $files files (last hash $prev)"
else
  echo 'NOT intact'
fi
exit "$fail"
