import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateChain, type ChainInput } from '../../../main/acquire/validate/chain';
import { parseDigest, signingString, verifyDigestSignature } from '../../../main/acquire/validate/digest';
import { publicKeyObject } from '../../../main/acquire/cloudtrail/public-keys';
import { generateTrail, makeKey, resign, type TrailKey, type TrailObject } from './trail-fixture';

const BUCKET = 'org-trail-logs';
const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
let key: TrailKey;
let otherKey: TrailKey;
let attackerKey: TrailKey;
let usKey: TrailKey;
let trail: TrailObject[];

beforeAll(() => {
  key = makeKey(REGION);
  otherKey = makeKey(REGION);
  attackerKey = makeKey(REGION);
  usKey = makeKey('us-east-1');
  trail = generateTrail({
    bucket: BUCKET,
    account: ACCOUNT,
    region: REGION,
    trail: 'main',
    start: new Date('2026-11-20T09:00:31Z'),
    hours: 4,
    logsPerHour: 3,
    key,
  });
});

const folder = (k: string) => `${BUCKET}/${k.slice(0, k.lastIndexOf('/') + 1)}`;
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/** What the validation service would read from the vault for these objects. */
function input(objects: TrailObject[], extra: Partial<ChainInput> = {}): ChainInput {
  return {
    digests: objects
      .filter((o) => o.kind === 'digest')
      .map((o, i) => ({
        bucket: BUCKET,
        key: o.key,
        evidenceId: 100 + i,
        content: o.uncompressed,
        unreadable: null,
        signature: o.metadata?.signature ?? null,
      })),
    otherDigests: [],
    logs: objects
      .filter((o) => o.kind === 'log')
      .map((o, i) => ({
        bucket: BUCKET,
        key: o.key,
        evidenceId: i + 1,
        state: 'done' as const,
        sha256: sha(o.uncompressed),
        lastModified: o.at.toISOString(),
      })),
    keys: [key, otherKey, usKey].map((k) => ({
      region: k.region,
      fingerprint: k.fingerprint,
      key: publicKeyObject(k.der.toString('base64')),
    })),
    listedPrefixes: new Set(trail.map((o) => folder(o.key))),
    ...extra,
  };
}

const kinds = (r: ReturnType<typeof validateChain>) => r.problems.map((p) => `${p.severity}:${p.kind}`);
const digests = () => trail.filter((o) => o.kind === 'digest');
const logs = () => trail.filter((o) => o.kind === 'log');

describe('CloudTrail digest format', () => {
  it('builds the signing string AWS documents and verifies a PKCS#1 v1.5 SHA-256 signature', () => {
    const d = digests()[1]!;
    const f = parseDigest(d.uncompressed);
    if (typeof f === 'string') throw new Error(f);
    const s = signingString(f, d.uncompressed);
    const lines = s.split('\n');
    expect(lines).toEqual([f.digestEndTime, `${BUCKET}/${d.key}`, sha(d.uncompressed), f.previousDigestSignature]);
    expect(lines[0]).toBe('2026-11-20T11:00:31Z');
    const pub = publicKeyObject(key.der.toString('base64'))!;
    expect(verifyDigestSignature(f, d.uncompressed, d.metadata!.signature!, pub)).toBe(true);
    // The hash in the string is over the uncompressed digest: the gzip bytes give another string that fails.
    expect(verifyDigestSignature(f, zlib.gzipSync(d.uncompressed), d.metadata!.signature!, pub)).toBe(false);
    // A starting digest signs the literal "null" in place of the previous signature.
    const first = parseDigest(digests()[0]!.uncompressed);
    expect(typeof first !== 'string' && signingString(first, digests()[0]!.uncompressed).endsWith('\nnull')).toBe(true);
  });

  it('reads the key as DER PKCS#1, as base64 text of it (as the AWS CLI decodes it), and as SubjectPublicKeyInfo', () => {
    const spki = crypto.createPublicKey({ key: key.der, format: 'der', type: 'pkcs1' }).export({ format: 'der', type: 'spki' });
    for (const v of [key.der.toString('base64'), Buffer.from(key.der.toString('base64')).toString('base64'), spki.toString('base64')])
      expect(publicKeyObject(v)?.export({ format: 'der', type: 'pkcs1' }).equals(key.der)).toBe(true);
    expect(publicKeyObject(Buffer.from('not a key').toString('base64'))).toBeNull();
  });
});

describe('offline validation of the digest chain', () => {
  it('proves every log and digest of an untouched trail authentic', () => {
    const r = validateChain(input(trail));
    expect(r.problems).toEqual([]);
    expect(r.valid).toBe(4);
    expect(r.files.filter((f) => f.kind === 'log').map((f) => f.status)).toEqual(Array(12).fill('authentic'));
  });

  it('names a changed log (its uncompressed SHA-256 is not the one the signed digest records)', () => {
    const target = logs()[4]!;
    const changed = trail.map((o) =>
      o === target ? { ...o, uncompressed: Buffer.from(o.uncompressed.toString().replace('198.51.100.23', '198.51.100.99')) } : o,
    );
    const r = validateChain(input(changed));
    expect(kinds(r)).toEqual(['tampering:log-changed']);
    expect(r.problems[0]!.key).toBe(target.key);
    expect(r.files.find((f) => f.key === target.key)!.status).toBe('changed');
  });

  it('names a deleted log (listed by a digest, not in the day folder that was listed)', () => {
    const target = logs()[7]!;
    const r = validateChain(input(trail.filter((o) => o !== target)));
    expect(kinds(r)).toEqual(['tampering:log-deleted']);
    expect(r.files.find((f) => f.key === target.key)).toMatchObject({ status: 'deleted', evidenceId: null });
  });

  it('does not call a log deleted when its folder was never listed (outside the acquisition)', () => {
    const target = logs()[7]!;
    const r = validateChain(
      input(
        trail.filter((o) => o !== target),
        { listedPrefixes: new Set() },
      ),
    );
    expect(r.problems).toEqual([]);
    expect(r.files.find((f) => f.key === target.key)!.status).toBe('not-acquired');
  });

  it('names a changed digest (a log removed from its list without the private key) and stops trusting its list', () => {
    const target = digests()[1]!;
    const fields = JSON.parse(target.uncompressed.toString()) as { logFiles: unknown[] };
    fields.logFiles.pop();
    const edited = { ...target, uncompressed: Buffer.from(JSON.stringify(fields)) };
    const r = validateChain(input(trail.map((o) => (o === target ? edited : o))));
    expect(kinds(r)).toContain('tampering:digest-changed');
    // The next (authentic) digest records another hash for it: the link is broken there too.
    expect(kinds(r)).toContain('tampering:chain-broken');
    expect(r.files.find((f) => f.key === target.key)!.status).toBe('changed');
    // Its logs are no longer proven by it.
    expect(r.files.filter((f) => f.kind === 'log' && f.status === 'unverified')).toHaveLength(3);
  });

  it('names a broken chain: a validly signed digest that is not the one its successor records', () => {
    const [, second, third] = digests();
    const forged = resign(second!, (f) => (f.newestEventTime = '2026-11-20T10:59:00Z'), key.privateKey);
    const r = validateChain(input(trail.map((o) => (o === second ? forged : o))));
    expect(kinds(r)).toEqual(['tampering:chain-broken']);
    expect(r.problems[0]!.message).toContain(third!.key);
    expect(r.files.find((f) => f.key === second!.key)!.status).toBe('changed');
  });

  it('reports a chain that restarts (validation or logging stopped) as a gap, not as tampering', () => {
    const third = digests()[2]!;
    const restarted = resign(
      third,
      (f) => {
        for (const k of [
          'previousDigestS3Bucket',
          'previousDigestS3Object',
          'previousDigestHashValue',
          'previousDigestHashAlgorithm',
          'previousDigestSignature',
        ])
          f[k] = null;
      },
      key.privateKey,
    );
    const fourth = resign(digests()[3]!, (f) => (f.previousDigestSignature = restarted.metadata!.signature), key.privateKey);
    const fourthLinked = resign(fourth, (f) => (f.previousDigestHashValue = sha(restarted.uncompressed)), key.privateKey);
    const r = validateChain(input(trail.map((o) => (o === third ? restarted : o === digests()[3] ? fourthLinked : o))));
    expect(kinds(r)).toEqual(['gap:chain-broken']);
  });

  it('names a wrong key: an unknown fingerprint, another region, or a signature by a key other than the named one', () => {
    const d = digests()[2]!;
    const byAttacker = resign(d, (f) => (f.digestPublicKeyFingerprint = attackerKey.fingerprint), attackerKey.privateKey);
    let r = validateChain(input(trail.map((o) => (o === d ? byAttacker : o))));
    expect(kinds(r)).toContain('tampering:wrong-key');
    expect(r.problems.find((p) => p.kind === 'wrong-key')!.message).toContain('not one of CloudTrail');

    const usRegion = resign(d, (f) => (f.digestPublicKeyFingerprint = usKey.fingerprint), usKey.privateKey);
    r = validateChain(input(trail.map((o) => (o === d ? usRegion : o))));
    expect(r.problems.find((p) => p.kind === 'wrong-key')!.message).toContain('a CloudTrail key of us-east-1');

    const mismatched = resign(d, () => undefined, otherKey.privateKey);
    r = validateChain(input(trail.map((o) => (o === d ? mismatched : o))));
    expect(r.problems.find((p) => p.key === d.key)).toMatchObject({
      kind: 'wrong-key',
      message: expect.stringContaining(`signed with key ${otherKey.fingerprint}`),
    });
  });

  it('names a missing (deleted) digest from its successor’s link, and leaves its logs unproven', () => {
    const target = digests()[1]!;
    const r = validateChain(input(trail.filter((o) => o !== target)));
    expect(kinds(r)).toEqual(['tampering:digest-missing']);
    expect(r.files.find((f) => f.key === target.key)).toMatchObject({ kind: 'digest', status: 'deleted' });
    expect(r.files.filter((f) => f.kind === 'log' && f.status === 'unverified')).toHaveLength(3);
  });

  it('names a digest moved from where it was delivered', () => {
    const d = digests()[3]!;
    const r = validateChain(
      input(trail, { digests: input(trail).digests.map((x) => (x.key === d.key ? { ...x, key: d.key.replace('_main_', '_copy_') } : x)) }),
    );
    expect(kinds(r)).toContain('tampering:digest-moved');
  });

  it('takes an earlier digest’s signature from its successor when the S3 metadata is missing', () => {
    const base = input(trail);
    const r = validateChain({ ...base, digests: base.digests.map((x, i) => (i === 1 ? { ...x, signature: null } : x)) });
    expect(r.problems).toEqual([]);
    expect(r.valid).toBe(4);
    // The newest digest has no successor: without its metadata it cannot be proven.
    const r2 = validateChain({ ...base, digests: base.digests.map((x, i) => (i === 3 ? { ...x, signature: null } : x)) });
    expect(r2.files.find((f) => f.key === digests()[3]!.key)!.status).toBe('unverified');
  });

  it('names a log no digest lists although one covers its delivery time (inserted afterwards)', () => {
    const extra = {
      bucket: BUCKET,
      key: logs()[0]!.key.replace(/_[0-9a-f]{16}\.json\.gz$/, '_ffffffffffffffff.json.gz'),
      evidenceId: 99,
      state: 'done' as const,
      sha256: 'ab'.repeat(32),
      lastModified: '2026-11-20T10:30:00.000Z',
    };
    const base = input(trail);
    const r = validateChain({ ...base, logs: [...base.logs, extra] });
    expect(kinds(r)).toEqual(['gap:log-not-in-digest']);
    expect(r.files.find((f) => f.key === extra.key)!.status).toBe('missing');
  });
});
