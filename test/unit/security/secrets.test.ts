import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../main/ipc/dispatch';
import { withOperationLog } from '../../../main/ipc/operation-log';
import { runCli } from '../../../main/cli/main';
import { tempDir } from '../../helpers/services';
import { ACCOUNT, ID, REGION, SECRETS, setup, stubInstance, type Env } from '../response/fixtures';
import { awsError } from '../response/aws-mock';
import { readZip } from '../reports/zip-tools';

/** A recognisable fake private key (not a real key: the base64 spells what it is). */
const PEM = [
  '-----BEGIN PRIVATE KEY-----',
  'TGFyaWF0RmFrZVByaXZhdGVLZXlNYXRlcmlhbEZvclRoZUxlYWtUZXN0T25seQ==',
  'U2Vjb25kTGluZU9mVGhlRmFrZVByaXZhdGVLZXlNYXRlcmlhbExhcmlhdA==',
  '-----END PRIVATE KEY-----',
].join('\n');
const EXTERNAL_ID = 'ext-id-Secret-7f3a';

/**
 * A whole working session with recognisable fake secrets injected everywhere they can enter: AWS
 * keys and a session token in the environment, assumed-role credentials in an STS answer, a result
 * that echoes them, AWS errors that quote them, an unexpected error and a failed job that carry a
 * PEM private key, a CLI run with them in its environment. Then every file it produced (the log,
 * the case database and its -wal, the search index, the vault, the report, the bundle's entries, the
 * custody export) is searched byte for byte; none of the secrets may be there, nor the investigator's
 * own signing key outside its key file.
 */
describe('no secret reaches a log, database, report or bundle', () => {
  let e: Env;
  let out: string;
  const ROLE = `arn:aws:iam::${ACCOUNT}:role/LariatResponder`;

  beforeAll(async () => {
    e = setup({ env: { AWS_SESSION_TOKEN: SECRETS.sessionToken } });
    stubInstance(e.mock);
    out = tempDir('lariat-secrets-out-');
    const call = async (channel: string, input: unknown) => dispatch(e.handlers, channel, input, e.s.core.log);
    e.mock.on('sts', 'AssumeRole', {
      Credentials: {
        AccessKeyId: SECRETS.assumedKeyId,
        SecretAccessKey: SECRETS.assumedSecret,
        SessionToken: SECRETS.sessionToken,
        Expiration: new Date('2099-01-01T00:00:00Z'),
      },
    });
    e.mock.on('ec2', 'CreateTags', { Echo: { AccessKeyId: SECRETS.assumedKeyId, SessionToken: SECRETS.sessionToken, Note: PEM } });
    const quoted = `User ${SECRETS.assumedKeyId} (secret ${SECRETS.assumedSecret}, token ${SECRETS.sessionToken}) is not authorized`;
    e.mock.failNext('ec2', 'ModifyInstanceAttribute', awsError('AccessDenied', quoted));
    e.mock.failNext('ec2', 'DescribeInstances', awsError('UnrecognizedClientException', quoted));

    await call('awsConnect', { source: 'assume-role', roleArn: ROLE, externalId: EXTERNAL_ID });
    await call('findInstances', { caseNumber: e.caseNumber, query: 'web' }); // fails, quoting the secrets
    await call('describeInstance', { caseNumber: e.caseNumber, region: REGION, instanceId: ID });
    await call('addInstanceToCase', { caseNumber: e.caseNumber, region: REGION, instanceId: ID });
    const plan = (await call('planAction', { kind: 'isolate', caseNumber: e.caseNumber, region: REGION, instanceId: ID })) as {
      ok: true;
      value: { id: number };
    };
    expect(plan.ok).toBe(true);
    for (let attempt = 0; attempt < 2; attempt++) {
      const run = (await call('runAction', { actionId: plan.value.id, confirmInstanceId: ID })) as {
        ok: boolean;
        value?: { jobId: string };
      };
      if (run.ok) await e.s.core.jobs.wait(run.value!.jobId).catch(() => undefined);
    }
    await call('getAction', { actionId: plan.value.id });

    // A bug that throws with secrets in its message, through the same operation wrapper as every handler.
    const buggy = withOperationLog(
      {
        crash: () => {
          throw new Error(`parse failed near ${PEM} with ${SECRETS.baseSecret} X-Amz-Signature=${'ab12'.repeat(16)}`);
        },
      },
      { log: e.s.core.log, dbFile: e.s.core.paths.dbFile },
    );
    expect(() => buggy.crash()).toThrow();
    // A job that fails with one.
    await e.s.core.jobs
      .run({ kind: 'probe', label: 'probe' }, async () => Promise.reject(new Error(`token ${SECRETS.sessionToken}`)))
      .catch(() => undefined);

    // A CLI run with the secrets in its environment, on the same data folder.
    const io = { out: () => undefined, err: () => undefined };
    await runCli(['aws', 'whoami'], {
      io,
      env: {
        LARIAT_DATA_DIR: e.s.dataDir,
        AWS_ACCESS_KEY_ID: SECRETS.baseKeyId,
        AWS_SECRET_ACCESS_KEY: SECRETS.baseSecret,
        AWS_SESSION_TOKEN: SECRETS.sessionToken,
      },
    });

    // What leaves the machine: the report, the bundle, the custody export.
    const grant = (name: string) => e.s.core.grants.grant(path.join(out, name), 'write').token;
    expect(await call('exportReport', { caseNumber: e.caseNumber, format: 'html', out: grant('report.html') })).toMatchObject({ ok: true });
    expect(await call('exportBundle', { caseNumber: e.caseNumber, out: grant('case.lariat') })).toMatchObject({ ok: true });
    expect(await call('exportCustody', { caseNumber: e.caseNumber, out: grant('custody') })).toMatchObject({ ok: true });
  }, 120_000);

  afterAll(() => {
    e.cleanup();
    fs.rmSync(out, { recursive: true, force: true });
  });

  /** Every file produced, as [name, bytes]; zip archives are opened and searched entry by entry. */
  async function produced(): Promise<[string, Buffer][]> {
    const files: [string, Buffer][] = [];
    const walk = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
    for (const f of [...walk(e.s.dataDir), ...walk(out)]) {
      // The investigator's own key file is where the private key is meant to be.
      if (path.dirname(f) === e.s.core.paths.keysDir && f.endsWith('.pem')) continue;
      files.push([f, fs.readFileSync(f)]);
      if (f.endsWith('.lariat')) for (const [name, bytes] of await readZip(f)) files.push([`${f}!${name}`, bytes]);
    }
    return files;
  }

  it('the run produced what is searched: log lines for the failures, the database, search index, report, bundle and export', async () => {
    const names = (await produced()).map(([f]) => path.basename(f.split('!').pop()!));
    expect(names).toEqual(
      expect.arrayContaining(['lariat.log', 'lariat.db', 'lariat-search.db', 'report.html', 'case.lariat', 'ledger.jsonl']),
    );
    const log = fs.readFileSync(e.s.core.log.file!, 'utf8');
    // The failures were logged (so the search below looked at real error text), redacted.
    expect(log).toMatch(/"op":"crash".*"code":"internal"/);
    expect(log).toContain('[private key redacted]');
    expect(log).toMatch(/"event":"job".*"kind":"probe"/);
    expect(log).toMatch(/"event":"cli","command":"aws whoami"/);
    expect(log).toMatch(/"op":"findInstances","ok":false/);
    // The step that failed with the quoted secrets was retried (its error went through the AWS error mapping).
    const steps = JSON.stringify(e.s.core.db.prepare('SELECT * FROM response_steps').all());
    expect(steps).toContain('"attempts":2');
    expect(steps).toContain('ASIA[redacted]');
  });

  it('finds none of the fake secrets in any of those files', async () => {
    const keyFile = fs.readdirSync(e.s.core.paths.keysDir).find((f) => f.endsWith('.pem'))!;
    const ownKey = fs
      .readFileSync(path.join(e.s.core.paths.keysDir, keyFile), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'));
    const secrets = [
      SECRETS.baseKeyId,
      SECRETS.baseSecret,
      SECRETS.assumedKeyId,
      SECRETS.assumedSecret,
      SECRETS.sessionToken,
      EXTERNAL_ID,
      ...PEM.split('\n').filter((l) => !l.startsWith('-----')),
      'ab12'.repeat(16),
      ...ownKey,
    ];
    expect(ownKey.length).toBeGreaterThan(0);
    const leaks: string[] = [];
    for (const [file, bytes] of await produced())
      for (const s of secrets) if (bytes.includes(Buffer.from(s))) leaks.push(`${s.slice(0, 12)}… in ${file}`);
    expect(leaks).toEqual([]);
  });
});
