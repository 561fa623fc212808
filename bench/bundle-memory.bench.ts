// Peak memory of `lariat verify` on hostile bundles, beside `node -e 0` (the
// floor of any Node process) and `sha256sum` of the same file, measured by
// GNU time in the same run (peak RSS, user+system CPU, wall). Bundles:
//   1. the bomb: a small archive listing two 992 MiB key files
//      (deflated, under the 200:1 ratio limit) — refused from the manifest;
//   2. one that fills the in-memory budget (case data just under 128 MiB,
//      compressed ~1000:1, signed by its own key and trusted with --trust so
//      that it is read and parsed) — the worst a bundle can make Lariat hold;
//   3. an honest bundle with evidence (streamed, never held).
// --quick shrinks the key files to 64 MiB and the budget bundle to 64 MiB.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { createServices } from '../main/services';
import { makeCheckpoint } from '../main/custody/checkpoint';

const quick = process.argv.includes('--quick');
const MiB = 1024 * 1024;
const KEY_MB = quick ? 64 : 992;
const CASE_MB = quick ? 64 : 126;
const work = path.resolve('bench/.work/bundle-memory');
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });

interface Entry {
  name: string;
  /** Produces the content in chunks (never all of it in memory). */
  chunks: () => Iterable<Buffer>;
  deflate: boolean;
}

/** Writes a zip by streaming each entry through deflate into a temp file first (to know its sizes and CRC). */
async function writeZip(file: string, entries: Entry[]): Promise<void> {
  const out = fs.openSync(file, 'w');
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const tmp = path.join(work, 'entry.tmp');
    let crc = 0;
    let size = 0;
    const source = (function* () {
      for (const c of e.chunks()) {
        crc = zlib.crc32(c, crc);
        size += c.length;
        yield c;
      }
    })();
    if (e.deflate) await pipeline(Readable.from(source), zlib.createDeflateRaw({ level: 6 }), fs.createWriteStream(tmp));
    else await pipeline(Readable.from(source), fs.createWriteStream(tmp));
    const csize = fs.statSync(tmp).size;
    const name = Buffer.from(e.name);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(0x800, 6);
    h.writeUInt16LE(e.deflate ? 8 : 0, 8);
    h.writeUInt32LE(crc >>> 0, 14);
    h.writeUInt32LE(csize, 18);
    h.writeUInt32LE(size, 22);
    h.writeUInt16LE(name.length, 26);
    fs.writeSync(out, Buffer.concat([h, name]));
    const fd = fs.openSync(tmp, 'r');
    const buf = Buffer.allocUnsafe(8 * MiB);
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0;) fs.writeSync(out, buf, 0, n);
    fs.closeSync(fd);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE((3 << 8) | 20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x800, 8);
    c.writeUInt16LE(e.deflate ? 8 : 0, 10);
    c.writeUInt32LE(crc >>> 0, 16);
    c.writeUInt32LE(csize, 20);
    c.writeUInt32LE(size, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += 30 + name.length + csize;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  fs.writeSync(out, Buffer.concat([cd, end]));
  fs.closeSync(out);
}

const sha = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');
const key = crypto.generateKeyPairSync('ed25519');
const pem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const fp = sha(key.publicKey.export({ type: 'spki', format: 'der' }));
const signer = { name: 'Mallory', fingerprint: fp, sign: (m: Uint8Array) => crypto.sign(null, m, key.privateKey) };

function manifest(files: { path: string; size: number; sha256: string; role: string }[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      format: 'lariat-case-bundle',
      formatVersion: 2,
      bundleId: crypto.randomUUID(),
      createdAt: '2026-11-27T10:00:00.000Z',
      lariatVersion: '0.1.0',
      case: { number: 'IR-2026-0001', title: 'hostile', tlp: 'amber' },
      exporter: { name: 'Mallory', fingerprint: fp, publicKey: `keys/${fp}.pem` },
      ledger: { entries: 0, head: null },
      withEvidence: false,
      files,
    }),
  );
}

/** A repeating 1 MiB block, mostly zeros with a random tail: deflates about 170:1. */
function* repeated(total: number): Iterable<Buffer> {
  const block = Buffer.alloc(MiB);
  crypto.randomFillSync(block, 0, 5500);
  for (let done = 0; done < total; done += block.length) yield block.subarray(0, Math.min(block.length, total - done));
}

// 1. The bomb of the issue: two huge "key files".
const bomb = path.join(work, 'bomb.lariat');
{
  const size = KEY_MB * MiB;
  const keyFiles = [`keys/${fp}.pem`, `keys/${'0'.repeat(64)}.pem`];
  const m = manifest(keyFiles.map((p) => ({ path: p, size, sha256: '0'.repeat(64), role: 'key' })));
  await writeZip(bomb, [
    { name: 'manifest.json', chunks: () => [m], deflate: true },
    { name: 'manifest.sig', chunks: () => [signer.sign(m)], deflate: false },
    ...keyFiles.map((name) => ({ name, chunks: () => repeated(size), deflate: true })),
  ]);
}

// 2. A bundle that fills the memory budget with case data (valid JSON, so it is parsed).
const budget = path.join(work, 'budget.lariat');
{
  const head = Buffer.from('{"format":"lariat-case-data","version":1,"padding":"');
  const tail = Buffer.from('"}');
  const body = CASE_MB * MiB - head.length - tail.length;
  // Letters with a random stretch in each MiB: valid JSON text that deflates about 150:1 (under the 200:1 ratio limit).
  const pad = Buffer.alloc(MiB, 0x61);
  for (let i = 0; i < 14_000; i++) pad[i] = 0x61 + crypto.randomInt(26);
  function* caseJson(): Iterable<Buffer> {
    yield head;
    for (let done = 0; done < body; done += pad.length) yield pad.subarray(0, Math.min(pad.length, body - done));
    yield tail;
  }
  const hash = crypto.createHash('sha256');
  for (const c of caseJson()) hash.update(c);
  const ledger = Buffer.alloc(0);
  const cp = Buffer.from(
    makeCheckpoint({ case: 'IR-2026-0001', seq: 0, hash: '0'.repeat(64), at: '2026-11-27T10:00:00.000Z' }, signer).text,
  );
  const m = manifest([
    { path: 'case.json', size: CASE_MB * MiB, sha256: hash.digest('hex'), role: 'case' },
    { path: 'ledger.jsonl', size: 0, sha256: sha(ledger), role: 'ledger' },
    { path: `keys/${fp}.pem`, size: Buffer.byteLength(pem), sha256: sha(pem), role: 'key' },
    { path: 'checkpoint.txt', size: cp.length, sha256: sha(cp), role: 'checkpoint' },
  ]);
  await writeZip(budget, [
    { name: 'manifest.json', chunks: () => [m], deflate: true },
    { name: 'manifest.sig', chunks: () => [signer.sign(m)], deflate: false },
    { name: 'case.json', chunks: caseJson, deflate: true },
    { name: 'ledger.jsonl', chunks: () => [ledger], deflate: false },
    { name: `keys/${fp}.pem`, chunks: () => [Buffer.from(pem)], deflate: false },
    { name: 'checkpoint.txt', chunks: () => [cp], deflate: false },
  ]);
}

// 3. An honest bundle with evidence, for comparison.
const honest = path.join(work, 'honest.lariat');
{
  const s = createServices({ dataDir: path.join(work, 'sender'), env: {} });
  const me = s.custody.identity.create({ name: 'Bench Investigator' });
  const c = s.core.cases.create({ title: 'Memory benchmark', severity: 'low' });
  const ev = path.join(work, 'disk.img');
  const fd = fs.openSync(ev, 'w');
  const chunk = crypto.randomBytes(8 * MiB);
  for (let i = 0; i < (quick ? 8 : 32); i++) fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  await s.custody.evidence.importFile(c.number, ev, {});
  await s.reports.bundles.export({ caseNumber: c.number, outPath: honest, withEvidence: true });
  s.close();
  fs.rmSync(ev);
  fs.writeFileSync(path.join(work, 'honest.fp'), me.fingerprint);
}

const dataDir = path.join(work, 'receiver');
fs.mkdirSync(dataDir);
function measure(
  cmd: string[],
  env: NodeJS.ProcessEnv = process.env,
): { rss: number; cpu: number; wall: number; status: number; out: string } {
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S %e', ...cmd], { env, encoding: 'utf8', maxBuffer: 64 * MiB });
  const last = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { rss: last[0]! / 1024, cpu: last[1]! + last[2]!, wall: last[3]!, status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}
const lariat = (file: string, ...extra: string[]) =>
  measure([process.execPath, 'bin/lariat.js', 'verify', file, ...extra], { ...process.env, LARIAT_DATA_DIR: dataDir });
const floor = measure([process.execPath, '-e', '0']);
const cliFloor = measure([process.execPath, 'bin/lariat.js', 'case', 'list'], { ...process.env, LARIAT_DATA_DIR: dataDir });
const fmt = (m: { rss: number; cpu: number; wall: number }) =>
  `peak RSS ${m.rss.toFixed(0).padStart(5)} MiB, CPU ${m.cpu.toFixed(2)} s, wall ${m.wall.toFixed(2)} s`;
console.log(`reference node -e 0:            ${fmt(floor)}`);
console.log(`reference lariat case list:     ${fmt(cliFloor)}   (the CLI with its services open, nothing verified)`);
for (const [label, file, extra] of [
  [`bomb (2 x ${KEY_MB} MiB keys)`, bomb, []],
  [`budget (case.json ${CASE_MB} MiB)`, budget, ['--trust', fp]],
  ['honest bundle with evidence', honest, ['--trust', fs.readFileSync(path.join(work, 'honest.fp'), 'utf8')]],
] as const) {
  const size = fs.statSync(file).size;
  const m = lariat(file, ...extra);
  const ref = measure(['sha256sum', file]);
  const verdict = m.out.split('\n').find((l) => /^(REFUSED|intact|NOT ANCHORED)/.test(l)) ?? `exit ${m.status}`;
  console.log(`\n${label}: ${(size / MiB).toFixed(1)} MiB on disk`);
  console.log(
    `  lariat verify:  ${fmt(m)}   (${(m.rss / floor.rss).toFixed(1)}x node -e 0, ${m.rss >= cliFloor.rss ? '+' : ''}${(m.rss - cliFloor.rss).toFixed(0)} MiB against lariat case list)`,
  );
  console.log(`                  ${verdict.slice(0, 150)}`);
  console.log(`  sha256sum:      ${fmt(ref)}`);
}
fs.rmSync(work, { recursive: true, force: true });
