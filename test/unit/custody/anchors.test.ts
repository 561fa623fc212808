import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import S3rver from 's3rver';
import { mockClient } from 'aws-sdk-client-mock';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AwsClients } from '../../../main/aws/clients';
import { setup, sh, type Fixture } from './fixture';
import { cli } from '../../helpers/cli';
import { makeServices, tempDir } from '../../helpers/services';
import { timeStampRequest, verifyTimestamp } from '../../../main/custody/anchors/tsa';
import { publishToS3 } from '../../../main/custody/anchors/s3-anchor';

/**
 * External anchors. S3: a real local S3 server (s3rver, loopback, through
 * Lariat's endpoint override) for the round trip, and aws-sdk-client-mock for
 * the Object Lock parameters s3rver ignores. RFC 3161: `openssl ts` acting as
 * the time-stamp authority behind a loopback HTTP server.
 */
let f: Fixture;
afterEach(() => f?.s.cleanup());

/** A TSA made with openssl: a root CA, a time-stamping certificate, and the config `openssl ts -reply` needs. */
function makeTsa(dir: string): { ca: string; cnf: string } {
  fs.writeFileSync(
    path.join(dir, 'tsa.cnf'),
    `[ req ]\ndistinguished_name = dn\n[ dn ]\n[ tsa_ext ]\nbasicConstraints = critical,CA:false\nkeyUsage = critical,digitalSignature\nextendedKeyUsage = critical,timeStamping\n[ ca_ext ]\nbasicConstraints = critical,CA:true\nkeyUsage = critical,keyCertSign,cRLSign\n[ tsa_config ]\nserial = ${dir}/serial\nsigner_cert = ${dir}/tsa.crt\nsigner_key = ${dir}/tsa.key\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256\naccuracy = secs:1\ness_cert_id_alg = sha256\ncerts = ${dir}/tsa.crt\n`,
  );
  fs.writeFileSync(path.join(dir, 'serial'), '01\n');
  const o = (...a: string[]) => execFileSync('openssl', a, { cwd: dir, stdio: 'pipe' });
  o(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-subj',
    '/CN=Lariat test TSA root',
    '-days',
    '30',
    '-config',
    'tsa.cnf',
    '-extensions',
    'ca_ext',
  );
  o('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tsa.key', '-out', 'tsa.csr', '-subj', '/CN=Lariat test TSA', '-config', 'tsa.cnf');
  o(
    'x509',
    '-req',
    '-in',
    'tsa.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'tsa.crt',
    '-days',
    '30',
    '-extfile',
    'tsa.cnf',
    '-extensions',
    'tsa_ext',
  );
  return { ca: path.join(dir, 'ca.crt'), cnf: path.join(dir, 'tsa.cnf') };
}

describe('RFC 3161 time-stamps', () => {
  let dir: string;
  let tsa: { ca: string; cnf: string };
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    dir = tempDir('lariat-tsa-');
    tsa = makeTsa(dir);
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const q = path.join(dir, `q-${Date.now()}-${Math.random()}.tsq`);
        fs.writeFileSync(q, Buffer.concat(chunks));
        const reply = execFileSync('openssl', ['ts', '-reply', '-queryfile', q, '-config', tsa.cnf, '-section', 'tsa_config'], {
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(reply);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`;
  });
  afterAll(() => {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('our TimeStampReq is what openssl reads, and a reply openssl made verifies (and a tampered one does not)', () => {
    const text = 'a checkpoint\n';
    const q = path.join(dir, 'mine.tsq');
    fs.writeFileSync(q, timeStampRequest(text, Buffer.from('0102030405060708', 'hex')));
    const shown = execFileSync('openssl', ['ts', '-query', '-in', q, '-text']).toString();
    expect(shown).toContain('Hash Algorithm: sha256');
    expect(shown).toContain('Nonce: 0x0102030405060708');
    expect(shown).toContain('Certificate required: yes');
    const reply = execFileSync('openssl', ['ts', '-reply', '-queryfile', q, '-config', tsa.cnf, '-section', 'tsa_config'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const ca = fs.readFileSync(tsa.ca, 'utf8');
    expect(verifyTimestamp(reply, [text], [ca])).toMatchObject({
      ok: true,
      message: expect.stringMatching(/^RFC 3161 time-stamp by CN=Lariat test TSA at \d{4}-/),
    });
    expect(verifyTimestamp(reply, ['another checkpoint\n'], [ca])).toEqual({
      ok: false,
      message: 'the time-stamp by CN=Lariat test TSA covers none of the checkpoints given',
    });
    const bad = Buffer.from(reply);
    bad[bad.length - 20] ^= 1;
    expect(verifyTimestamp(bad, [text], [ca]).ok).toBe(false);
    const other = makeTsa(tempDir('lariat-tsa2-'));
    expect(verifyTimestamp(reply, [text], [fs.readFileSync(other.ca, 'utf8')])).toEqual({
      ok: false,
      message: 'the time-stamp is signed by CN=Lariat test TSA, which is not among the TSA certificates given',
    });
    expect(verifyTimestamp(Buffer.from('not DER'), [text], [ca]).ok).toBe(false);
  });

  it('lariat custody anchor stamps a checkpoint; verify checks the token with the CLI and with verify.sh (openssl ts)', async () => {
    f = setup();
    await f.s.custody.evidence.importFile(f.caseNumber, f.file('a.log', 'x\n'), {});
    f.s.close();
    const d = f.s.dataDir;
    expect((await cli(d, 'custody', 'anchors', '--tsa-url', url)).out).toContain(`RFC 3161 time-stamp authority: ${url}`);
    const out = path.join(d, 'anchors');
    const a = await cli(d, 'custody', 'anchor', f.caseNumber, '--out', out);
    expect(a.code, a.err).toBe(0);
    expect(a.out).toMatch(
      /^tsa: checkpoint of entry 1 at http:\/\/127\.0\.0\.1:\d+\/tsa \(time \d{4}-.*, serial \w+, by CN=Lariat test TSA\)$/m,
    );
    const cpFile = path.join(out, `${f.caseNumber}-1.checkpoint.txt`);
    const tsr = path.join(out, `${f.caseNumber}-1.tsr`);
    const v = await cli(d, 'custody', 'verify', f.caseNumber, '--checkpoint', cpFile, '--tsr', tsr, '--tsa-ca', tsa.ca);
    expect(v.code, v.out).toBe(0);
    expect(v.out).toMatch(
      /^anchor: time-stamp 1: RFC 3161 time-stamp by CN=Lariat test TSA at .* over the checkpoint of IR-2026-0001 at entry 1 /m,
    );
    const s = makeServices({ dataDir: d });
    expect(s.custody.ledger.list(f.caseNumber).map((e) => e.action)).toEqual(['imported', 'anchored', 'hash-verified']);
    const me = s.custody.identity.current()!;
    const exportDir = path.join(d, 'export');
    s.custody.exporter.exportTo(f.caseNumber, exportDir);
    s.close();
    const sh1 = sh('sh', [
      path.join(exportDir, 'verify.sh'),
      '--trust',
      me.fingerprint,
      '--checkpoint',
      cpFile,
      '--tsr',
      tsr,
      '--tsa-ca',
      tsa.ca,
    ]);
    expect(sh1.out).toContain('time-stamp 1: RFC 3161 time-stamp verified by openssl over checkpoint 1');
    expect(sh1.status).toBe(0);
    // A token altered after it was issued is refused by both.
    const forged = path.join(d, 'forged.tsr');
    const bytes = fs.readFileSync(tsr);
    bytes[bytes.length - 30] ^= 1;
    fs.writeFileSync(forged, bytes);
    const v3 = await cli(d, 'custody', 'verify', f.caseNumber, '--checkpoint', cpFile, '--tsr', forged, '--tsa-ca', tsa.ca);
    expect(v3.out.split('\n')[0]).toMatch(/^broken: time-stamp 1: not a valid RFC 3161 time-stamp \(/);
    const sh2 = sh('sh', [
      path.join(exportDir, 'verify.sh'),
      '--trust',
      me.fingerprint,
      '--checkpoint',
      cpFile,
      '--tsr',
      forged,
      '--tsa-ca',
      tsa.ca,
    ]);
    expect(sh2.out).toMatch(/time-stamp 1: openssl ts -verify refused it \(/);
    expect(sh2.status).toBe(1);
  });
});

describe('S3 Object Lock anchors', () => {
  it('against a local S3 server: published through the endpoint override, read back, and judged not locked (s3rver has no Object Lock)', async () => {
    const dir = tempDir('lariat-s3rver-');
    const s3 = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: dir,
      configureBuckets: [{ name: 'custody-anchors', configs: [] }],
    });
    const { port } = (await s3.run()) as AddressInfo;
    try {
      f = setup({
        env: {
          LARIAT_AWS_ENDPOINT: `http://127.0.0.1:${port}`,
          AWS_ACCESS_KEY_ID: 'S3RVER',
          AWS_SECRET_ACCESS_KEY: 'S3RVER',
          AWS_REGION: 'eu-west-1',
        },
      });
      f.s.custody.evidence.recordCustody(f.caseNumber, { evidenceId: null, action: 'note', purpose: 'first' });
      f.s.custody.anchors.setSettings({ s3: { bucket: 'custody-anchors', prefix: 'lariat/', region: 'eu-west-1', retentionDays: 3650 } });
      // The clients Lariat builds from its endpoint override (the session's STS check is skipped: s3rver has no STS).
      const endpoint = f.s.response.aws.config().endpoint;
      expect(endpoint).toBe(`http://127.0.0.1:${port}`);
      const clients = new AwsClients({ credentials: async () => ({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }), endpoint });
      const aws = () => Promise.resolve(clients);
      const [rec] = await f.s.custody.anchors.anchor(f.caseNumber, aws);
      expect(rec).toMatchObject({
        kind: 's3',
        seq: 1,
        location: expect.stringMatching(/^s3:\/\/custody-anchors\/lariat\/IR-2026-0001\/000001-[0-9a-f]{16}\.checkpoint/),
      });
      const key = rec!.location.replace('s3://custody-anchors/', '').replace(/\?versionId=.*/, '');
      expect(fs.readFileSync(path.join(dir, 'custody-anchors', `${key}._S3rver_object`), 'utf8')).toBe(rec!.checkpoint);
      // Publishing the same checkpoint again (a retry after a lost reply) finds it and writes nothing.
      const settings = f.s.custody.anchors.settings().s3!;
      const cp = { ...f.s.custody.ledger.checkpoint(f.caseNumber), text: rec!.checkpoint, seq: 1 };
      const again = await publishToS3(clients, settings, cp, new Date());
      expect(again.detail).toMatch(/^already published; /);
      const fetched = await f.s.custody.anchors.fetchS3([`s3://custody-anchors/${key}`], aws);
      expect(fetched.reports).toEqual([
        {
          kind: 's3',
          ok: false,
          message: `s3://custody-anchors/${key}: the object is not under Object Lock in COMPLIANCE mode (mode none; reading the lock needs s3:GetObjectRetention), so whoever controls the bucket could have replaced it`,
        },
      ]);
      const v = await f.s.custody.verify.verify(f.caseNumber, { anchors: fetched.reports });
      expect(v.intact).toBe(false);
      expect(v.problems.map((p) => p.kind)).toEqual(['anchor-invalid']);
    } finally {
      await s3.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with the SDK mocked: PutObject carries COMPLIANCE mode and the retain-until date; verify accepts only a COMPLIANCE lock still in force', async () => {
    const mock = mockClient(S3Client);
    try {
      f = setup({ env: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'eu-west-1' } });
      f.s.custody.evidence.recordCustody(f.caseNumber, { evidenceId: null, action: 'note', purpose: 'first' });
      f.s.custody.anchors.setSettings({ s3: { bucket: 'forensic-anchors', prefix: '', region: 'eu-west-1', retentionDays: 30 } });
      mock.on(HeadObjectCommand).rejects(Object.assign(new Error('Not Found'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }));
      mock.on(PutObjectCommand).resolves({ VersionId: 'v1' });
      const clients = new AwsClients({ credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }) });
      const aws = () => Promise.resolve(clients);
      const before = f.s.core.clock.now().getTime();
      const [rec] = await f.s.custody.anchors.anchor(f.caseNumber, aws);
      const put = mock.commandCalls(PutObjectCommand)[0]!.args[0].input;
      expect(put).toMatchObject({
        Bucket: 'forensic-anchors',
        ObjectLockMode: 'COMPLIANCE',
        ChecksumAlgorithm: 'SHA256',
        Body: rec!.checkpoint,
      });
      const until = (put.ObjectLockRetainUntilDate as Date).getTime();
      expect(until - before).toBeGreaterThanOrEqual(30 * 86_400_000);
      expect(until - before).toBeLessThan(30 * 86_400_000 + 60_000);
      expect(rec!.location).toMatch(/\?versionId=v1$/);
      const body = (text: string) => ({ transformToString: () => Promise.resolve(text) });
      const uri = rec!.location;
      mock.on(GetObjectCommand).callsFake(() => ({
        Body: body(rec!.checkpoint),
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockRetainUntilDate: new Date(until),
        VersionId: 'v1',
      }));
      let r = await f.s.custody.anchors.fetchS3([uri], aws);
      expect(r.reports[0]).toMatchObject({
        ok: true,
        message: expect.stringContaining(
          `: Object Lock COMPLIANCE until ${new Date(until).toISOString()}; holds the checkpoint of ${f.caseNumber} at entry 1`,
        ),
      });
      expect(r.checkpoints).toEqual([{ text: rec!.checkpoint, label: `S3 anchor ${uri}` }]);
      mock
        .on(GetObjectCommand)
        .callsFake(() => ({ Body: body(rec!.checkpoint), ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: new Date(until) }));
      r = await f.s.custody.anchors.fetchS3([uri], aws);
      expect(r.reports[0]!.ok).toBe(false);
      expect(r.reports[0]!.message).toContain('is not under Object Lock in COMPLIANCE mode (mode GOVERNANCE');
      mock.on(GetObjectCommand).callsFake(() => ({
        Body: body(rec!.checkpoint),
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockRetainUntilDate: new Date(before - 1000),
      }));
      r = await f.s.custody.anchors.fetchS3([uri], aws);
      expect(r.reports[0]!.message).toMatch(/its Object Lock retention ended .*, so it could have been replaced since$/);
    } finally {
      mock.restore();
    }
  });

  it('is off by default: no anchor configured, nothing goes online', async () => {
    f = setup();
    expect(f.s.custody.anchors.settings()).toEqual({ s3: null, tsa: null });
    await expect(f.s.custody.anchors.anchor(f.caseNumber, () => Promise.reject(new Error('must not connect')))).rejects.toThrow(
      /No external anchor is configured/,
    );
  });
});
