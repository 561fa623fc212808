// Synthetic CloudTrail deliveries made by varying the public samples Lariat ships for its demo
// (resources/demo/cloudtrail: Panther's rule-test events and OTRF's exfiltration scenario). Shared by the
// import benchmark (bench/import.bench.ts, up to a million records) and the e2e tier's 100,000-event case
// (test/e2e/timeline-100k.test.ts), so both measure and look at the same kind of data. Deterministic: the
// same record count writes the same bytes. No AWS account and no network needed.
import fs from 'node:fs';
import path from 'node:path';

type Rec = Record<string, unknown>;

const SAMPLES = path.resolve(import.meta.dirname, '..', '..', 'resources', 'demo', 'cloudtrail');
/** Records per delivery file, as CloudTrail writes them (it batches a few minutes of calls per object). */
export const PER_FILE = 1000;
/** The account every generated record belongs to. */
export const ACCOUNT = '111122223333';

/** The sample records with an event name (the templates varied into the synthetic records). */
export function templates(): Rec[] {
  const out: Rec[] = [];
  const panther = path.join(SAMPLES, 'panther');
  for (const f of fs
    .readdirSync(panther)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    out.push(...(JSON.parse(fs.readFileSync(path.join(panther, f), 'utf8')) as { Records: Rec[] }).Records);
  }
  for (const line of fs.readFileSync(path.join(SAMPLES, 'otrf', 'ec2_proxy_s3_exfiltration_2020-09-14011940.json'), 'utf8').split('\n')) {
    if (line.trim()) out.push(JSON.parse(line) as Rec);
  }
  return out.filter((r) => typeof r.eventName === 'string');
}

/** The user name record `i` is attributed to (997 users: every name shows up many times in a large case). */
export const userOf = (i: number): string => `user${i % 997}`;

/** Deterministic variation of a sample: new id, time (one a second from `base`), source IP, access key and user. */
export function vary(t: Rec, i: number, base: number): Rec {
  const ui = (t.userIdentity && typeof t.userIdentity === 'object' ? t.userIdentity : {}) as Rec;
  const user = userOf(i);
  return {
    ...t,
    eventID: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
    eventTime: new Date(base + i * 1000).toISOString().replace('.000', ''),
    sourceIPAddress: `${(i >> 16) & 255 || 1}.${(i >> 8) & 255}.${i & 255}.${i % 7}`,
    recipientAccountId: ACCOUNT,
    userIdentity: {
      ...ui,
      type: ui.type ?? 'IAMUser',
      userName: user,
      arn: `arn:aws:iam::${ACCOUNT}:user/${user}`,
      accessKeyId: `AKIABENCH${String(i % 5003).padStart(11, '0')}`,
    },
  };
}

/**
 * Writes `records` synthetic records into `dir` as CloudTrail delivery files of {@link PER_FILE} records
 * (`<account>_CloudTrail_us-east-1_NNNNNN.json`), the first at `start`, one a second after it. Returns the files.
 */
export function writeCloudTrailDeliveries(dir: string, records: number, start = '2024-01-01T00:00:00Z'): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const tpl = templates();
  const base = Date.parse(start);
  const files: string[] = [];
  for (let f = 0; f * PER_FILE < records; f++) {
    const recs: Rec[] = [];
    for (let i = f * PER_FILE; i < Math.min(records, (f + 1) * PER_FILE); i++) recs.push(vary(tpl[i % tpl.length]!, i, base));
    const file = path.join(dir, `${ACCOUNT}_CloudTrail_us-east-1_${String(f).padStart(6, '0')}.json`);
    fs.writeFileSync(file, JSON.stringify({ Records: recs }));
    files.push(file);
  }
  return files;
}
