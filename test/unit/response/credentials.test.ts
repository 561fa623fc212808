import { afterEach, describe, expect, it } from 'vitest';
import { lariatWithModel, type LariatEnv } from '../../aws-model/lariat-env';
import { INCIDENT_START, KEY, NEW_MFA, OLD_MFA, OTHER_KEY, SLR, USER, seedCredentials, seedTrail } from '../../aws-model/scenario-iam';
import type { IamUsersState, UserRecord } from '../../aws-model/modules/iam-users';
import type { IamState } from '../../aws-model/modules/iam';

let e: LariatEnv;
afterEach(() => e?.cleanup());

const setup = () => {
  e = lariatWithModel();
  seedCredentials(e.model);
};
const user = (): UserRecord => e.model.slice<IamUsersState>('iam-users').users[USER]!;
const role = (name: string) => e.model.slice<IamState>('iam').roles[name]!;

describe('credential containment (against the AWS model)', () => {
  it('resolves a key to its user, saves the user as evidence first, then deactivates, denies, removes the password and the new MFA device', async () => {
    setup();
    const before = structuredClone(user());
    const p = await e.plan('credentials', { deleteLoginProfile: true, mfaEnabledSince: INCIDENT_START }, { accessKeyId: KEY });
    expect(p.target).toEqual({ type: 'iam-user', id: USER, region: 'eu-west-1' });
    expect(p.steps.map((s) => `${s.key} ${s.service}:${s.operation}`)).toEqual([
      'evidence iam:GetUser',
      `key:${KEY} iam:UpdateAccessKey`,
      'deny iam:PutUserPolicy',
      'login-profile iam:DeleteLoginProfile',
      `mfa:${NEW_MFA} iam:DeactivateMFADevice`,
    ]);
    expect(p.steps[0]!.checks).toEqual(expect.arrayContaining(['iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed', 'iam:GetLoginProfile']));
    expect(p.warnings.join('\n')).toMatch(/Active access keys left as they are: AKIAIOSFODNN7SECOND2/);
    expect(p.warnings.join('\n')).toMatch(/cannot be undone by release/);
    // Planning changed nothing.
    expect(user()).toEqual(before);

    const done = await e.run(p.id);
    expect(done.state).toBe('succeeded');
    expect(user().keys.map((k) => [k.AccessKeyId, k.Status])).toEqual([
      [KEY, 'Inactive'],
      [OTHER_KEY, 'Active'],
    ]);
    expect(JSON.parse(user().inline.LariatDenyAll!)).toMatchObject({ Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] });
    expect(user().loginProfile).toBeNull();
    expect(user().mfa.map((d) => d.SerialNumber)).toEqual([OLD_MFA]);
    // The evidence was taken before any change, with its custody entry.
    const items = e.services.custody.vault.list(e.caseNumber);
    const ev = items.find((i) => i.description.startsWith(`IAM user ${USER} before containment`))!;
    expect(ev).toBeDefined();
    const firstChange = e.model.calls.findIndex((c) => c.applied);
    expect(e.model.calls.findIndex((c) => c.op === 'GetLoginProfile')).toBeLessThan(firstChange);
    expect(e.services.custody.ledger.list(e.caseNumber, ev.id).length).toBeGreaterThan(0);
    expect(e.model.unhandled).toEqual([]);

    // Release re-activates exactly the key it deactivated and removes only its policy; the rest is said, not done.
    const rel = await e.feature.response.planRelease(p.id);
    expect(rel.kind).toBe('credentials-release');
    expect(rel.steps.map((s) => `${s.service}:${s.operation}`)).toEqual(['iam:UpdateAccessKey', 'iam:DeleteUserPolicy']);
    expect(rel.warnings.join('\n')).toMatch(/console password .* release cannot restore it/);
    expect(rel.warnings.join('\n')).toMatch(/MFA devices .*deploy-bot-attacker/);
    await e.run(rel.id);
    expect(user().keys).toEqual(before.keys);
    expect(user().inline).toEqual(before.inline);
  });

  it('a key already inactive before the containment stays inactive after release; repeating a step changes nothing', async () => {
    setup();
    user().keys[1]!.Status = 'Inactive';
    const p = await e.plan('credentials', { accessKeyIds: [KEY, OTHER_KEY], denyAll: false }, { userName: USER });
    expect(p.warnings.join('\n')).toMatch(/already Inactive/);
    await e.run(p.id);
    const rec = e.feature.response.get(p.id);
    expect(rec.steps.find((s) => s.key === `key:${OTHER_KEY}`)!.result).toMatchObject({ AlreadyInPlace: true });
    expect(e.model.calls.filter((c) => c.op === 'UpdateAccessKey').map((c) => c.input.AccessKeyId)).toEqual([KEY]);
    const rel = await e.feature.response.planRelease(p.id);
    expect(rel.steps.map((s) => s.request)).toEqual([{ UserName: USER, AccessKeyId: KEY, Status: 'Active' }]);
    await e.run(rel.id);
    expect(user().keys.map((k) => k.Status)).toEqual(['Active', 'Inactive']);
  });

  it('refuses an unknown user, a key of another user, and names the IAM action AWS denied', async () => {
    setup();
    await expect(e.plan('credentials', {}, { userName: 'nobody' })).rejects.toMatchObject({ code: 'iam-principal-not-found' });
    await expect(e.plan('credentials', { accessKeyIds: ['AKIAIOSFODNN7NOTHERS'] }, { userName: USER })).rejects.toMatchObject({
      code: 'access-key-not-of-user',
    });
    await expect(e.plan('credentials', {}, { accessKeyId: 'AKIAIOSFODNN7UNKNOWN' })).rejects.toThrow(/iam:GetAccessKeyLastUsed/);
    const p = await e.plan('credentials', {}, { userName: USER });
    e.model.inject({ op: 'UpdateAccessKey', fault: { kind: 'fail', code: 'AccessDenied' } });
    await expect(e.run(p.id)).rejects.toThrow(/iam:UpdateAccessKey/);
  });

  it('"still in use?": imports the calls since containment (denied ones counted) as evidence and timeline events', async () => {
    setup();
    const p = await e.plan('credentials', {}, { accessKeyId: KEY });
    const done = await e.run(p.id);
    seedTrail(e.model, done.startedAt!, 60);
    e.clock.advance(2 * 3600_000);
    const { result, jobId } = e.feature.response.startUseCheck(p.id);
    expect(jobId).toBeTruthy();
    const check = await result;
    expect(check).toMatchObject({ calls: 60, denied: 30, since: done.startedAt });
    expect(check.lookups).toEqual([
      `AccessKeyId=${KEY} in eu-west-1`,
      `Username=${USER} in eu-west-1`,
      `AccessKeyId=${KEY} in us-east-1`,
      `Username=${USER} in us-east-1`,
    ]);
    // 60 events: two pages per lookup in the action's region.
    expect(e.model.calls.filter((c) => c.op === 'LookupEvents' && c.region === 'eu-west-1').length).toBe(4);
    const ev = e.services.custody.vault.list(e.caseNumber).find((i) => i.id === check.evidenceId)!;
    expect(ev.description).toMatch(/60 calls, 30 denied/);
    expect(e.services.custody.ledger.list(e.caseNumber, ev.id).length).toBeGreaterThan(0);
    expect(e.feature.response.get(p.id).useCheck).toMatchObject({ calls: 60, denied: 30 });
    // Throttling is retried; a denied lookup names its IAM action and records nothing.
    e.model.inject({ op: 'LookupEvents', fault: { kind: 'throttle', times: 2 } });
    expect((await e.feature.response.startUseCheck(p.id).result).calls).toBe(60);
    e.model.inject({ op: 'LookupEvents', fault: { kind: 'fail', code: 'AccessDenied' } });
    await expect(e.feature.response.startUseCheck(p.id).result).rejects.toThrow(/cloudtrail:LookupEvents/);
    expect(e.feature.response.get(p.id).useCheck!.id).toBe(2);
  });
});

describe('role session revocation (against the AWS model)', () => {
  it('writes AWSRevokeOlderSessions with the cut-off at run time, and release removes only that policy', async () => {
    setup();
    role('web-role').inline.keep = '{"Version":"2012-10-17","Statement":[]}';
    const p = await e.plan('role-sessions', {}, { role: 'arn:aws:iam::111122223333:role/web-role' });
    expect(p.steps.map((s) => `${s.service}:${s.operation}`)).toEqual(['iam:GetRole', 'iam:PutRolePolicy']);
    await e.run(p.id);
    const doc = JSON.parse(role('web-role').inline.AWSRevokeOlderSessions!) as {
      Statement: { Condition: { DateLessThan: Record<string, string> } }[];
    };
    expect(doc.Statement[0]!.Condition.DateLessThan['aws:TokenIssueTime']).toMatch(/^2026-11-27T10:/);
    const rel = await e.feature.response.planRelease(p.id);
    await e.run(rel.id);
    expect(Object.keys(role('web-role').inline)).toEqual(['keep']);
  });

  it('refuses a service-linked role with a clear message', async () => {
    setup();
    await expect(e.plan('role-sessions', {}, { role: SLR })).rejects.toMatchObject({
      code: 'service-linked-role',
      message: expect.stringMatching(/service-linked role \(path \/aws-service-role\//),
    });
  });
});

describe('least-privilege policy covers the credential containments', () => {
  it('allows every call and check of every credential plan and release', async () => {
    const fs = await import('node:fs');
    const policy = JSON.parse(fs.readFileSync('resources/iam/lariat-responder-policy.json', 'utf8')) as {
      Statement: { Effect: string; Action: string[] }[];
    };
    const allowed = new Set(policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action));
    setup();
    const c = await e.plan('credentials', { deleteLoginProfile: true, mfaEnabledSince: INCIDENT_START }, { accessKeyId: KEY });
    await e.run(c.id);
    const r = await e.plan('role-sessions', {}, { role: 'web-role' });
    await e.run(r.id);
    const plans = [c, r, await e.feature.response.planRelease(c.id), await e.feature.response.planRelease(r.id)];
    const needed = plans.flatMap((p) => p.steps.flatMap((s) => [s.iamAction, ...s.checks]));
    expect(needed.length).toBeGreaterThan(10);
    expect(needed.filter((a) => !allowed.has(a))).toEqual([]);
    const made = e.model.calls.filter((x) => x.service === 'iam').map((x) => `iam:${x.op}`);
    expect(made.filter((a) => !allowed.has(a))).toEqual([]);
  });
});
