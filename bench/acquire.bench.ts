// Acquisition of gzipped CloudTrail log objects from a real local S3 server
// (s3rver, in its own process so its CPU is not counted) into a case: Lariat's
// `acquire bucket` (list, stream each object into the vault hashed as written,
// custody entry per object, then the timeline import of the vault files),
// beside the bare AWS SDK downloading the same objects to disk followed by
// Lariat's own import of those files (copy into the vault, hashes, timeline).
// Wall and CPU time (user+sys of this process, all threads) for each, as
// ratios. ~1 GB of gzip by default; LARIAT_BENCH_ACQUIRE_MB sets it, --quick
// uses 32 MB. --lariat-first runs Lariat before the reference.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { mockClient } from 'aws-sdk-client-mock';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createServices, type Services } from '../main/services';
import * as ops from '../main/acquire/operations';
import { PlanBucketInput } from '../common/contract/acquire';

const MB = Number(process.env.LARIAT_BENCH_ACQUIRE_MB ?? (process.argv.includes('--quick') ? 32 : 1024));
const WORK = path.resolve('bench/.work/acquire');
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const BUCKET = 'bench-trail';
const RECORDS_PER_FILE = 1000;
const PARALLEL = 4;

type Rec = Record<string, unknown>;

function templates(): Rec[] {
  const dir = path.resolve('resources/demo/cloudtrail/panther');
  return fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .flatMap((n) => (JSON.parse(fs.readFileSync(path.join(dir, n), 'utf8')) as { Records: Rec[] }).Records)
    .filter((r) => typeof r.eventName === 'string');
}

/** A shared sample with a new id, time, source IP, user and key, so the files compress as real ones do. */
function vary(t: Rec, i: number, base: number): Rec {
  const user = `user${i % 997}`;
  return {
    ...t,
    eventVersion: '1.08',
    eventID: crypto.createHash('md5').update(String(i)).digest('hex'),
    requestID: crypto.createHash('sha1').update(String(i)).digest('hex').slice(0, 36),
    eventTime: new Date(base + i * 50).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    sourceIPAddress: `${(i >> 16) & 255 || 1}.${(i >> 8) & 255}.${i & 255}.${i % 7}`,
    recipientAccountId: ACCOUNT,
    userIdentity: {
      type: 'IAMUser',
      userName: user,
      arn: `arn:aws:iam::${ACCOUNT}:user/${user}`,
      accessKeyId: `AKIABENCH${String(i % 5003).padStart(11, '0')}`,
    },
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Writes gzipped delivery files in CloudTrail's layout until MB megabytes (kept between runs). */
function generate(): { dir: string; keys: string[]; bytes: number; records: number } {
  const dir = path.join(WORK, `objects-${MB}`);
  const marker = path.join(dir, '.complete');
  if (!fs.existsSync(marker)) {
    fs.rmSync(dir, { recursive: true, force: true });
    const tpl = templates();
    const base = Date.parse('2026-11-20T00:00:00Z');
    let bytes = 0;
    let records = 0;
    for (let f = 0; bytes < MB * 1024 * 1024; f++) {
      const recs: Rec[] = [];
      for (let i = 0; i < RECORDS_PER_FILE; i++, records++) recs.push(vary(tpl[records % tpl.length]!, records, base));
      const at = new Date(base + records * 50);
      const day = `${at.getUTCFullYear()}/${pad(at.getUTCMonth() + 1)}/${pad(at.getUTCDate())}`;
      const stamp = `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}T${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}Z`;
      const key = `AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/${day}/${ACCOUNT}_CloudTrail_${REGION}_${stamp}_${String(f).padStart(8, '0')}.json.gz`;
      const body = zlib.gzipSync(JSON.stringify({ Records: recs }));
      fs.mkdirSync(path.dirname(path.join(dir, key)), { recursive: true });
      fs.writeFileSync(path.join(dir, key), body);
      bytes += body.length;
    }
    fs.writeFileSync(path.join(dir, '.records'), String(records));
    fs.writeFileSync(marker, '');
  }
  const keys: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json.gz')) keys.push(path.relative(dir, p));
    }
  };
  walk(dir);
  keys.sort();
  return {
    dir,
    keys,
    bytes: keys.reduce((n, k) => n + fs.statSync(path.join(dir, k)).size, 0),
    records: Number(fs.readFileSync(path.join(dir, '.records'), 'utf8')),
  };
}

/** s3rver in a child process on a loopback port, its store kept between runs of the same size. */
async function startServer(): Promise<{ endpoint: string; child: ChildProcess; fresh: boolean }> {
  const store = path.join(WORK, `s3rver-${MB}`);
  const fresh = !fs.existsSync(path.join(store, '.complete'));
  if (fresh) fs.rmSync(store, { recursive: true, force: true });
  fs.mkdirSync(store, { recursive: true });
  const code = `import S3rver from 's3rver';
const s = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: ${JSON.stringify(store)}, configureBuckets: [{ name: '${BUCKET}' }] });
const a = await s.run(); process.stdout.write(a.port + '\\n');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  return { endpoint: `http://127.0.0.1:${port}`, child, fresh };
}

function s3(endpoint: string): S3Client {
  return new S3Client({
    region: REGION,
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
}

async function upload(endpoint: string, dir: string, keys: string[]): Promise<void> {
  const c = s3(endpoint);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < keys.length) {
        const k = keys[next++]!;
        await c.send(new PutObjectCommand({ Bucket: BUCKET, Key: k, Body: fs.readFileSync(path.join(dir, k)) }));
      }
    }),
  );
  c.destroy();
}

function openServices(name: string, endpoint: string): { s: Services; caseNumber: string } {
  const dataDir = path.join(WORK, `data-${name}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const s = createServices({
    dataDir,
    env: { LARIAT_AWS_ENDPOINT: endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: REGION },
  });
  s.custody.identity.create({ name: 'Bench investigator', role: 'bench', organisation: 'Lariat bench', contact: '' });
  return { s, caseNumber: s.core.cases.create({ title: `Acquisition benchmark (${name})`, severity: 'low', regions: [REGION] }).number };
}

interface Measure {
  wall: number;
  cpu: number;
  imported: number;
  /** Seconds of each phase, in order. */
  phases: [string, number][];
}

async function measure(work: (phase: (name: string) => void) => Promise<number>): Promise<Measure> {
  global.gc?.();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const phases: [string, number][] = [];
  let last = t0;
  const phase = (name: string) => {
    const now = performance.now();
    phases.push([name, (now - last) / 1000]);
    last = now;
  };
  const imported = await work(phase);
  const cpu = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6, imported, phases };
}

/** The reference: the bare SDK lists and downloads every object to disk (4 at a time), then Lariat imports the files. */
async function reference(endpoint: string): Promise<Measure> {
  const { s, caseNumber } = openServices('reference', endpoint);
  const out = path.join(WORK, 'downloaded');
  fs.rmSync(out, { recursive: true, force: true });
  try {
    return await measure(async (phase) => {
      const c = s3(endpoint);
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await c.send(
          new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `AWSLogs/${ACCOUNT}/CloudTrail/`, ContinuationToken: token }),
        );
        for (const o of page.Contents ?? []) keys.push(o.Key!);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      let next = 0;
      await Promise.all(
        Array.from({ length: PARALLEL }, async () => {
          while (next < keys.length) {
            const k = keys[next++]!;
            const file = path.join(out, k);
            fs.mkdirSync(path.dirname(file), { recursive: true });
            const got = await c.send(new GetObjectCommand({ Bucket: BUCKET, Key: k }));
            await pipeline(got.Body as Readable, fs.createWriteStream(file));
          }
        }),
      );
      c.destroy();
      phase('download');
      const report = await s.timeline.imports.importPaths(caseNumber, [out]);
      phase('import');
      return report.imported;
    });
  } finally {
    s.close();
    fs.rmSync(out, { recursive: true, force: true });
  }
}

/** Lariat: plan the window, then stream every object into the vault with custody, then import the vault files. */
async function lariat(endpoint: string): Promise<Measure> {
  const { s, caseNumber } = openServices('lariat', endpoint);
  try {
    // Bench-only hook: note when the acquisition hands its vault files to the timeline import.
    const importer = s.acquire.importer as { importPaths: Services['acquire']['importer']['importPaths'] };
    const importPaths = importer.importPaths.bind(importer);
    return await measure(async (phase) => {
      importer.importPaths = async (...args) => {
        phase('download');
        const r = await importPaths(...args);
        phase('import');
        return r;
      };
      const plan = await ops.planBucketAcquisition(
        s.acquire,
        PlanBucketInput.parse({
          caseNumber,
          bucket: BUCKET,
          accounts: [ACCOUNT],
          regions: [REGION],
          digests: false,
          window: { from: '2026-11-19', to: '2026-12-31' },
        }),
      );
      const done = await ops.runAcquisition(s.acquire, plan.acquisition.id);
      return Number((done.result.timeline as { imported: number }).imported);
    });
  } finally {
    s.acquire.session.disconnect();
    s.close();
  }
}

async function main(): Promise<void> {
  fs.mkdirSync(WORK, { recursive: true });
  const g0 = performance.now();
  const { dir, keys, bytes, records } = generate();
  console.log(
    `input: ${keys.length} gzipped CloudTrail objects, ${(bytes / 1048576).toFixed(0)} MiB (${records.toLocaleString('en-US')} records; ready in ${((performance.now() - g0) / 1000).toFixed(1)} s)`,
  );
  const sts = mockClient(STSClient);
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/bench` });
  const server = await startServer();
  try {
    if (server.fresh) {
      await upload(server.endpoint, dir, keys);
      fs.writeFileSync(path.join(WORK, `s3rver-${MB}`, '.complete'), '');
    }
    const phases = (m: Measure) => m.phases.map(([n, t]) => `${n} ${t.toFixed(1)} s`).join(', ');
    const runRef = async () => {
      const m = await reference(server.endpoint);
      console.log(
        `reference  bare SDK download to disk + Lariat import:  wall ${m.wall.toFixed(1)} s, CPU ${m.cpu.toFixed(1)} s (${m.imported.toLocaleString('en-US')} events; ${phases(m)})`,
      );
      return m;
    };
    const runLariat = async () => {
      const m = await lariat(server.endpoint);
      console.log(
        `lariat     acquire bucket (vault, custody) + import:   wall ${m.wall.toFixed(1)} s, CPU ${m.cpu.toFixed(1)} s (${m.imported.toLocaleString('en-US')} events; ${phases(m)})`,
      );
      return m;
    };
    // --lariat-first swaps the order, so a warm page cache or a load that changes during the run favours neither side.
    const lariatFirst = process.argv.includes('--lariat-first');
    const lar = lariatFirst ? await runLariat() : undefined;
    const ref = await runRef();
    const larDone = lar ?? (await runLariat());
    console.log(
      `ratio      lariat / reference:  wall ${(larDone.wall / ref.wall).toFixed(2)}, CPU ${(larDone.cpu / ref.cpu).toFixed(2)}  (goal <= 1.00)`,
    );
    console.log(
      `throughput lariat ${(bytes / 1048576 / larDone.wall).toFixed(1)} MiB/s of gzip, reference ${(bytes / 1048576 / ref.wall).toFixed(1)} MiB/s`,
    );
  } finally {
    sts.restore();
    server.child.kill();
  }
}

await main();
