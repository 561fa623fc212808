import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../main/ipc/dispatch';
import { ACCOUNT, ID, REGION, SECRETS, setup, stubInstance, type Env } from './fixtures';
import { awsError } from './aws-mock';

let e: Env;
beforeEach(() => {
  e = setup({ env: { AWS_SESSION_TOKEN: SECRETS.sessionToken } });
  stubInstance(e.mock);
});
afterEach(() => e.cleanup());

const ROLE = `arn:aws:iam::${ACCOUNT}:role/LariatResponder`;

describe('AWS session', () => {
  it('is not connected until asked, and says who it acts as after sts:GetCallerIdentity', async () => {
    expect(e.feature.aws.whoAmI()).toMatchObject({ connected: false, account: null, region: REGION });
    const who = await e.feature.aws.connect({ source: 'default' });
    expect(who).toEqual({
      connected: true,
      account: ACCOUNT,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/LariatResponder/lariat-responder`,
      profile: null,
      region: REGION,
      source: 'default',
      endpoint: null,
      expiresAt: null,
    });
  });

  it('assumes a role with external id and a one-time MFA code', async () => {
    e.mock.on('sts', 'AssumeRole', {
      Credentials: {
        AccessKeyId: SECRETS.assumedKeyId,
        SecretAccessKey: SECRETS.assumedSecret,
        SessionToken: SECRETS.sessionToken,
        Expiration: new Date('2026-11-27T11:00:00Z'),
      },
      AssumedRoleUser: { Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/LariatResponder/lariat`, AssumedRoleId: 'AROA:lariat' },
    });
    const who = await e.feature.aws.connect({
      source: 'assume-role',
      roleArn: ROLE,
      externalId: 'case-IR-2026',
      mfaSerial: 'arn:aws:iam::999988887777:mfa/alice',
      mfaCode: '123456',
    });
    expect(e.mock.of('sts', 'AssumeRole')).toEqual([
      {
        RoleArn: ROLE,
        RoleSessionName: 'lariat-responder',
        DurationSeconds: 3600,
        ExternalId: 'case-IR-2026',
        SerialNumber: 'arn:aws:iam::999988887777:mfa/alice',
        TokenCode: '123456',
      },
    ]);
    expect(who).toMatchObject({ connected: true, source: 'assume-role', expiresAt: '2026-11-27T11:00:00.000Z' });
    // Nothing about the role session is kept in settings, and never the MFA code.
    const settings = JSON.stringify(e.s.core.db.prepare('SELECT * FROM settings').all());
    expect(settings).not.toContain('123456');
    expect(settings).not.toContain('case-IR-2026');
    await expect(
      e.feature.aws.connect({ source: 'assume-role', roleArn: ROLE, mfaSerial: 'arn:aws:iam::999988887777:mfa/alice' }),
    ).rejects.toMatchObject({ code: 'aws-mfa-required' });
  });

  it('honours the endpoint override from LARIAT_AWS_ENDPOINT over the setting', async () => {
    e.feature.aws.updateConfig({ endpoint: 'http://localhost:4566' });
    expect(e.feature.aws.config().endpoint).toBe('http://localhost:4566');
    const env2 = setup({ env: { LARIAT_AWS_ENDPOINT: 'http://127.0.0.1:5000' } });
    try {
      expect(env2.feature.aws.config()).toMatchObject({ endpoint: 'http://127.0.0.1:5000', endpointFromEnv: true });
      stubInstance(env2.mock);
      expect((await env2.feature.aws.connect({ source: 'default' })).endpoint).toBe('http://127.0.0.1:5000');
    } finally {
      env2.cleanup();
    }
  });

  /**
   * The fault: an environment override that is set but wrong. An endpoint that is no URL failed every call as "AWS
   * rejected sts:GetCallerIdentity: Invalid URL"; a timeout like `5s` was silently replaced by the default.
   */
  it.each([
    [{ LARIAT_AWS_ENDPOINT: 'notaurl' }, 'LARIAT_AWS_ENDPOINT=notaurl is not an http(s) URL.'],
    [{ LARIAT_AWS_ENDPOINT: 'ftp://10.0.0.1' }, 'LARIAT_AWS_ENDPOINT=ftp://10.0.0.1 is not an http(s) URL.'],
    [{ LARIAT_AWS_REQUEST_TIMEOUT_MS: '5s' }, 'LARIAT_AWS_REQUEST_TIMEOUT_MS=5s is not a number of milliseconds.'],
    [{ LARIAT_AWS_CONNECT_TIMEOUT_MS: '-1' }, 'LARIAT_AWS_CONNECT_TIMEOUT_MS=-1 is not a number of milliseconds.'],
  ])('refuses a wrong override %j by name, before any call', async (env, message) => {
    const bad = setup({ env });
    try {
      expect(() => bad.feature.aws.config()).toThrow(message);
      await expect(bad.feature.aws.connect({ source: 'default' })).rejects.toMatchObject({ code: 'invalid-setting', message });
      expect(bad.mock.calls).toHaveLength(0);
    } finally {
      bad.cleanup();
    }
  });

  it('never lets a key id, secret or session token cross IPC or an event during a full session', async () => {
    const pushed: unknown[] = [];
    e.s.core.events.subscribe((name, payload) => pushed.push({ name, payload }));
    e.mock.on('sts', 'AssumeRole', {
      Credentials: {
        AccessKeyId: SECRETS.assumedKeyId,
        SecretAccessKey: SECRETS.assumedSecret,
        SessionToken: SECRETS.sessionToken,
        Expiration: new Date('2026-11-27T11:00:00Z'),
      },
    });
    // A result that echoes credentials, as a misbehaving endpoint might: it must be redacted before storage.
    e.mock.on('ec2', 'CreateTags', { Echo: { AccessKeyId: SECRETS.assumedKeyId, SessionToken: SECRETS.sessionToken } });
    const envelopes: unknown[] = [];
    const call = async (channel: string, input: unknown) => {
      const env = await dispatch(e.handlers, channel, input);
      envelopes.push(env);
      return env;
    };
    await call('awsWhoAmI', {});
    await call('awsConnect', {
      source: 'assume-role',
      roleArn: ROLE,
      externalId: 'ext-id-1',
      mfaSerial: 'arn:aws:iam::999988887777:mfa/alice',
      mfaCode: '654321',
    });
    await call('awsWhoAmI', {});
    await call('awsGetConfig', {});
    await call('findInstances', { caseNumber: e.caseNumber, query: 'web' });
    await call('describeInstance', { caseNumber: e.caseNumber, region: REGION, instanceId: ID });
    await call('addInstanceToCase', { caseNumber: e.caseNumber, region: REGION, instanceId: ID });
    const planned = (await call('planAction', {
      kind: 'isolate',
      caseNumber: e.caseNumber,
      region: REGION,
      instanceId: ID,
      options: { revokeSessions: true },
    })) as { ok: true; value: { id: number } };
    expect(planned.ok).toBe(true);
    const started = (await call('runAction', { actionId: planned.value.id, confirmInstanceId: ID })) as {
      ok: true;
      value: { jobId: string };
    };
    expect(started.ok).toBe(true);
    await e.feature.response.run(planned.value.id, ID).catch(() => undefined);
    for (let i = 0; i < 50 && e.feature.response.get(planned.value.id).state === 'running'; i++)
      await new Promise((r) => setTimeout(r, 20));
    await call('getAction', { actionId: planned.value.id });
    await call('listActions', { caseNumber: e.caseNumber });
    await call('listActivity', { caseNumber: e.caseNumber, limit: 5000 });
    await call('listAssets', { caseNumber: e.caseNumber });
    // An error envelope too.
    e.mock.failNext(
      'ec2',
      'DescribeInstances',
      awsError('ExpiredToken', `token ${SECRETS.sessionToken} expired for ${SECRETS.assumedKeyId}`),
    );
    const failed = (await call('describeInstance', { caseNumber: e.caseNumber, region: REGION, instanceId: ID })) as { ok: false };
    expect(failed.ok).toBe(false);

    const everything = JSON.stringify({ envelopes, pushed });
    expect(e.feature.response.get(planned.value.id).state).toBe('succeeded');
    expect(envelopes.length).toBe(14);
    expect(pushed.length).toBeGreaterThan(10);
    for (const secret of [
      SECRETS.baseKeyId,
      SECRETS.baseSecret,
      SECRETS.assumedKeyId,
      SECRETS.assumedSecret,
      SECRETS.sessionToken,
      '654321',
      'ext-id-1',
    ]) {
      expect(everything, secret).not.toContain(secret);
    }
    expect(everything).not.toMatch(/\b(AKIA|ASIA)[A-Z0-9]{16}\b/);
    // Nor anything Lariat stored: steps, activity, timeline, settings.
    const stored =
      JSON.stringify(e.s.core.db.prepare('SELECT * FROM response_steps').all()) +
      JSON.stringify(e.s.core.db.prepare('SELECT * FROM activity').all()) +
      JSON.stringify(e.s.core.db.prepare('SELECT * FROM settings').all());
    for (const secret of [SECRETS.assumedKeyId, SECRETS.sessionToken, SECRETS.baseSecret]) expect(stored).not.toContain(secret);
  });
});
