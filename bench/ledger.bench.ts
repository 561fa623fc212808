// Custody ledger throughput: append N entries (each its own IMMEDIATE
// transaction, synchronous=FULL, hashed and Ed25519-signed) and verify them
// all, beside references measured in the same run: plain durable SQLite
// inserts of the same rows (what append costs without hashing and signing)
// and a bare node:crypto SHA-256 + Ed25519 verify loop (the floor for
// verification). LARIAT_BENCH_ENTRIES (default 10000) sets N.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createServices } from '../main/services';

const n = Number(process.env.LARIAT_BENCH_ENTRIES ?? (process.argv.includes('--quick') ? 2000 : 10000));
const work = path.resolve('bench/.work');
fs.mkdirSync(work, { recursive: true });
const dataDir = fs.mkdtempSync(path.join(work, 'ledger-'));
const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

const s = createServices({ dataDir, env: {} });
s.custody.identity.create({ name: 'Bench' });
const c = s.core.cases.create({ title: 'ledger bench', severity: 'low' });
let t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++)
  s.custody.evidence.recordCustody(c.number, { evidenceId: null, action: 'note', purpose: `entry ${i}`, details: { i } });
const append = seconds(t0);
t0 = process.hrtime.bigint();
const result = await s.custody.verify.verify(c.number);
const verify = seconds(t0);
if (!result.intact || result.entries !== n) throw new Error(`verification failed: ${result.summary}`);
const rows = s.core.db
  .prepare<[], { body: string; hash: string; signature: string }>('SELECT body, hash, signature FROM custody_entries ORDER BY seq')
  .all();
const pub = crypto.createPublicKey(s.custody.identity.current()!.publicKeyPem);
s.close();

// Reference 1: the same rows inserted one transaction each with the same durability, no crypto.
const ref = new Database(path.join(dataDir, 'ref.db'));
ref.pragma('journal_mode = WAL');
ref.pragma('synchronous = FULL');
ref.exec('CREATE TABLE t (seq INTEGER PRIMARY KEY, body TEXT NOT NULL, hash TEXT NOT NULL, signature TEXT NOT NULL) STRICT');
const ins = ref.prepare('INSERT INTO t (seq, body, hash, signature) VALUES (?, ?, ?, ?)');
const one = ref.transaction((i: number) => ins.run(i + 1, rows[i]!.body, rows[i]!.hash, rows[i]!.signature));
t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) one.immediate(i);
const refAppend = seconds(t0);
ref.close();

// Reference 2: bare hash + signature check of the same entries in memory.
t0 = process.hrtime.bigint();
for (const r of rows) {
  const d = crypto.createHash('sha256').update(r.body).digest();
  if (!crypto.verify(null, d, pub, Buffer.from(r.signature, 'base64'))) throw new Error('bad signature');
}
const refVerify = seconds(t0);
fs.rmSync(dataDir, { recursive: true, force: true });

const rate = (t: number) => `${Math.round(n / t).toLocaleString('en-US')} entries/s`.padStart(20);
console.log(`${n} entries`);
console.log(
  `append  Lariat ${append.toFixed(2)} s ${rate(append)}  | durable SQLite inserts, no crypto ${refAppend.toFixed(2)} s ${rate(refAppend)} | ratio ${(refAppend / append).toFixed(2)}x`,
);
console.log(
  `verify  Lariat ${verify.toFixed(2)} s ${rate(verify)}  | bare SHA-256 + Ed25519 verify     ${refVerify.toFixed(2)} s ${rate(refVerify)} | ratio ${(refVerify / verify).toFixed(2)}x`,
);
