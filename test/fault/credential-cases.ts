import { expect } from 'vitest';
import type { FaultCase } from './harness';
import type { LariatEnv } from '../aws-model/lariat-env';
import type { IamUsersState, UserRecord } from '../aws-model/modules/iam-users';
import type { IamState } from '../aws-model/modules/iam';
import { INCIDENT_START, KEY, NEW_MFA, OLD_MFA, OTHER_KEY, USER, seedCredentials } from '../aws-model/scenario-iam';
import { createAwsModel } from '../aws-model';

const user = (env: LariatEnv): UserRecord => env.model.slice<IamUsersState>('iam-users').users[USER]!;
const role = (env: LariatEnv) => env.model.slice<IamState>('iam').roles['web-role']!;

/** The user exactly as seeded (what a release must give back, password and MFA aside). */
function seededUser(): UserRecord {
  const m = createAwsModel();
  seedCredentials(m);
  return structuredClone(m.slice<IamUsersState>('iam-users').users[USER]!);
}

export const credentialsFull: FaultCase = {
  name: 'credential containment: keys, deny-all, console password, new MFA device',
  kind: 'credentials',
  target: { accessKeyId: KEY },
  options: { accessKeyIds: [KEY, OTHER_KEY], deleteLoginProfile: true, mfaEnabledSince: INCIDENT_START },
  before(env) {
    seedCredentials(env.model);
    return Promise.resolve();
  },
  promise(env) {
    const u = user(env);
    expect(u.keys.map((k) => k.Status)).toEqual(['Inactive', 'Inactive']);
    expect(Object.keys(u.inline).sort()).toEqual(['LariatDenyAll', 'ci-deploy']);
    expect(u.loginProfile).toBeNull();
    expect(u.mfa.map((d) => d.SerialNumber)).toEqual([OLD_MFA]);
    expect(u.mfa.map((d) => d.SerialNumber)).not.toContain(NEW_MFA);
  },
};

export const credentialsRelease: FaultCase = {
  name: 'release of a credential containment',
  kind: 'credentials-release',
  async before(env) {
    seedCredentials(env.model);
    const p = await env.plan('credentials', { accessKeyIds: [KEY, OTHER_KEY] }, { userName: USER });
    await env.run(p.id);
  },
  plan: (env) => env.feature.response.planRelease(env.feature.response.list(env.caseNumber)[0]!.id),
  promise(env) {
    expect(user(env)).toEqual(seededUser());
  },
};

export const roleSessions: FaultCase = {
  name: 'role session revocation',
  kind: 'role-sessions',
  target: { role: 'web-role' },
  before(env) {
    seedCredentials(env.model);
    return Promise.resolve();
  },
  promise(env) {
    expect(Object.keys(role(env).inline)).toEqual(['AWSRevokeOlderSessions']);
  },
};

export const roleSessionsRelease: FaultCase = {
  name: 'release of a role session revocation',
  kind: 'role-sessions-release',
  async before(env) {
    seedCredentials(env.model);
    const p = await env.plan('role-sessions', {}, { role: 'web-role' });
    await env.run(p.id);
  },
  plan: (env) => env.feature.response.planRelease(env.feature.response.list(env.caseNumber)[0]!.id),
  promise(env) {
    expect(role(env).inline).toEqual({});
  },
};
