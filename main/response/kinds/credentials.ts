import { AppError } from '../../core/errors';
import type { Plan, StepSpec } from '../plans/types';
import { defineActionKind, type PlanEnv, type StoredAction } from './registry';
import { DENY_ALL_POLICY, changed, denyAllDocument, iamRead, nameFromArn, notFound } from './iam-common';

interface KeyFacts {
  AccessKeyId: string;
  Status: string;
  CreateDate: string | null;
}
/** What the containment recorded before changing anything (what its release reads). */
export interface CredentialsRecord {
  user: { UserName: string; Arn: string | null; UserId: string | null };
  keys: KeyFacts[];
  /** The key the plan was started from, if any. */
  fromAccessKeyId: string | null;
  denyPolicy: string | null;
  loginProfile: { existed: boolean; deleting: boolean };
  mfa: { SerialNumber: string; EnableDate: string | null; deactivating: boolean }[];
}

const iso = (d: unknown): string | null => (d instanceof Date ? d.toISOString() : typeof d === 'string' ? d : null);

async function resolveUser(
  env: PlanEnv,
  region: string,
  i: { accessKeyId?: string; userName?: string; userArn?: string },
): Promise<string> {
  const given = [i.accessKeyId, i.userName, i.userArn].filter(Boolean).length;
  if (given !== 1)
    throw new AppError(
      'credentials-target',
      'Name exactly one of: an access key id, a user name, a user ARN.',
      'For example --access-key-id AKIA... or --user alice.',
    );
  if (i.userName) return i.userName;
  if (i.userArn) return nameFromArn(i.userArn);
  const out = await iamRead<{ UserName?: string }>(env, region, 'GetAccessKeyLastUsed', { AccessKeyId: i.accessKeyId });
  if (!out.UserName)
    throw new AppError(
      'access-key-not-a-user',
      `Access key ${i.accessKeyId} does not belong to an IAM user of this account (a root key, another account, or a temporary ASIA key).`,
      'For a temporary key, contain the role it came from (lariat respond role-sessions --role NAME); for another account, connect to it first.',
    );
  return out.UserName;
}

async function listAll<T>(env: PlanEnv, region: string, op: string, params: Record<string, unknown>, key: string): Promise<T[]> {
  const items: T[] = [];
  let marker: string | undefined;
  do {
    const out = await iamRead<Record<string, unknown> & { IsTruncated?: boolean; Marker?: string }>(env, region, op, {
      ...params,
      ...(marker ? { Marker: marker } : {}),
    });
    items.push(...((out[key] as T[] | undefined) ?? []));
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
  return items;
}

/**
 * IAM user and access key compromise. Evidence first (the user's keys,
 * last-used data, policies, groups, MFA devices and login profile as JSON),
 * then, each optional and shown: deactivate chosen keys (never delete), a
 * deny-all inline policy, delete the console password, deactivate MFA
 * devices enabled during the incident window.
 */
defineActionKind({
  kind: 'credentials',
  label: 'Contain credentials of',
  async prepare(input, env) {
    const region = input.region ?? env.region();
    const o = input.options;
    const UserName = await resolveUser(env, region, input);
    const user = await iamRead<{ User?: { Arn?: string; UserId?: string } }>(env, region, 'GetUser', { UserName }).catch((err: unknown) =>
      notFound(`IAM user ${UserName}`, err),
    );
    const keys: KeyFacts[] = (
      await listAll<{ AccessKeyId?: string; Status?: string; CreateDate?: Date }>(
        env,
        region,
        'ListAccessKeys',
        { UserName },
        'AccessKeyMetadata',
      )
    ).map((k) => ({ AccessKeyId: k.AccessKeyId ?? '', Status: k.Status ?? '', CreateDate: iso(k.CreateDate) }));
    const chosen =
      o.accessKeyIds ?? (input.accessKeyId ? [input.accessKeyId] : keys.filter((k) => k.Status === 'Active').map((k) => k.AccessKeyId));
    const foreign = chosen.filter((id) => !keys.some((k) => k.AccessKeyId === id));
    if (foreign.length)
      throw new AppError(
        'access-key-not-of-user',
        `User ${UserName} has no access key ${foreign.join(', ')}.`,
        `Its keys are ${keys.map((k) => k.AccessKeyId).join(', ') || 'none'}; choose among them.`,
      );
    let loginExists = false;
    if (o.deleteLoginProfile) {
      loginExists = await iamRead(env, region, 'GetLoginProfile', { UserName }).then(
        () => true,
        (err: unknown) => {
          if (err instanceof AppError && err.code === 'aws-not-found') return false;
          throw err;
        },
      );
    }
    const mfa = o.mfaEnabledSince
      ? (await listAll<{ SerialNumber?: string; EnableDate?: Date }>(env, region, 'ListMFADevices', { UserName }, 'MFADevices')).map(
          (d) => ({
            SerialNumber: d.SerialNumber ?? '',
            EnableDate: iso(d.EnableDate),
            deactivating: Boolean(d.EnableDate && iso(d.EnableDate)! >= new Date(o.mfaEnabledSince!).toISOString()),
          }),
        )
      : [];
    const recorded: CredentialsRecord = {
      user: { UserName, Arn: user.User?.Arn ?? null, UserId: user.User?.UserId ?? null },
      keys,
      fromAccessKeyId: input.accessKeyId ?? null,
      denyPolicy: o.denyAll ? DENY_ALL_POLICY : null,
      loginProfile: { existed: loginExists, deleting: o.deleteLoginProfile && loginExists },
      mfa,
    };
    const account = /^arn:aws[\w-]*:iam::(\d{12}):/.exec(recorded.user.Arn ?? '')?.[1] ?? env.account();
    return {
      target: { type: 'iam-user', id: UserName, region },
      account,
      options: { ...o, accessKeyIds: chosen },
      build: () => planCredentials(recorded, chosen, region, o.deleteLoginProfile),
      afterPlan: () => {
        try {
          env.core.assets.upsert({
            caseNumber: input.caseNumber,
            kind: 'iam-principal',
            identifier: recorded.user.Arn ?? UserName,
            label: UserName,
            account,
            region,
            details: { type: 'iam-user', keys: keys.map((k) => `${k.AccessKeyId} (${k.Status})`) },
          });
        } catch {
          // The plan is stored; the asset is a convenience.
        }
      },
    };
  },
  release(action) {
    const r = action.recorded as unknown as CredentialsRecord;
    return Promise.resolve({
      kind: 'credentials-release' as const,
      target: action.target,
      account: action.account,
      options: {},
      build: () => planCredentialsRelease(action, r),
    });
  },
});

defineActionKind({
  kind: 'credentials-release',
  label: 'Release credentials of',
  prepare() {
    return Promise.reject(
      new AppError(
        'plan-release-by-action',
        'A credential release is planned from the containment it undoes.',
        'Use: lariat respond release --action N',
      ),
    );
  },
});

function planCredentials(r: CredentialsRecord, chosen: string[], region: string, wantLogin: boolean): Plan {
  const UserName = r.user.UserName;
  const steps: StepSpec[] = [];
  const warnings: string[] = [];
  const iam = (s: Omit<StepSpec, 'service' | 'region'>) => steps.push({ service: 'iam', region, ...s });
  iam({
    key: 'evidence',
    title: `Save user ${UserName} as evidence: keys, last use, policies, groups, MFA devices, login profile`,
    kind: 'evidence-collect',
    operation: 'GetUser',
    request: { Collector: 'iam-user', UserName },
  });
  for (const id of chosen) {
    const k = r.keys.find((x) => x.AccessKeyId === id)!;
    if (k.Status !== 'Active') warnings.push(`Access key ${id} is already ${k.Status}: its step will find it so and change nothing.`);
    iam({
      key: `key:${id}`,
      title: `Deactivate access key ${id} (never deleted; release re-activates it)`,
      kind: 'call',
      operation: 'UpdateAccessKey',
      request: { UserName, AccessKeyId: id, Status: 'Inactive' },
    });
  }
  const others = r.keys.filter((k) => k.Status === 'Active' && !chosen.includes(k.AccessKeyId)).map((k) => k.AccessKeyId);
  if (others.length) warnings.push(`Active access keys left as they are: ${others.join(', ')}.`);
  if (r.denyPolicy)
    iam({
      key: 'deny',
      title: `Deny every action to ${UserName} (inline policy ${r.denyPolicy}; also stops sessions the keys already obtained)`,
      kind: 'put-policy',
      operation: 'PutUserPolicy',
      request: { UserName, PolicyName: r.denyPolicy, PolicyDocument: denyAllDocument() },
    });
  else
    warnings.push(
      'Without the deny-all policy, temporary credentials the keys already obtained (GetSessionToken, up to 36 hours) stay valid until they expire.',
    );
  if (r.loginProfile.deleting) {
    iam({
      key: 'login-profile',
      title: `Delete the console password of ${UserName} (release cannot give it back)`,
      kind: 'call',
      operation: 'DeleteLoginProfile',
      request: { UserName },
    });
    warnings.push('Deleting the console password cannot be undone by release: an administrator sets a new one (CreateLoginProfile).');
  } else if (wantLogin) warnings.push(`User ${UserName} has no console password: nothing to delete.`);
  for (const d of r.mfa.filter((x) => x.deactivating))
    iam({
      key: `mfa:${d.SerialNumber}`,
      title: `Deactivate MFA device ${d.SerialNumber} (enabled ${d.EnableDate ?? 'at an unknown time'}, during the incident window)`,
      kind: 'call',
      operation: 'DeactivateMFADevice',
      request: { UserName, SerialNumber: d.SerialNumber },
    });
  if (r.mfa.some((x) => x.deactivating))
    warnings.push('Release cannot re-activate MFA devices: enabling one needs two codes from the device (EnableMFADevice).');
  return { steps, warnings, recorded: r as unknown as Record<string, unknown> };
}

function planCredentialsRelease(action: StoredAction, r: CredentialsRecord): Plan {
  const UserName = r.user.UserName;
  const step = (key: string) => action.steps.find((s) => s.key === key);
  const steps: StepSpec[] = [];
  const warnings: string[] = [];
  for (const k of r.keys) {
    if (!changed(step(`key:${k.AccessKeyId}`))) continue;
    steps.push({
      key: `key:${k.AccessKeyId}`,
      title: `Re-activate access key ${k.AccessKeyId}`,
      kind: 'call',
      service: 'iam',
      region: action.region,
      operation: 'UpdateAccessKey',
      request: { UserName, AccessKeyId: k.AccessKeyId, Status: 'Active' },
    });
  }
  if (r.denyPolicy && changed(step('deny')))
    steps.push({
      key: 'deny',
      title: `Remove the deny-all policy ${r.denyPolicy} from ${UserName}`,
      kind: 'call',
      service: 'iam',
      region: action.region,
      operation: 'DeleteUserPolicy',
      request: { UserName, PolicyName: r.denyPolicy },
    });
  if (changed(step('login-profile')))
    warnings.push(
      `The console password of ${UserName} was deleted by action ${action.id}; release cannot restore it (set a new one with CreateLoginProfile).`,
    );
  const mfa = r.mfa.filter((d) => changed(step(`mfa:${d.SerialNumber}`))).map((d) => d.SerialNumber);
  if (mfa.length)
    warnings.push(`MFA devices ${mfa.join(', ')} were deactivated; the user re-enables them with two codes (EnableMFADevice).`);
  if (!steps.length) warnings.push('Nothing this containment changed can be undone by a call: the release only records that.');
  return { steps, warnings, recorded: { releaseOf: action.id, restored: r } };
}
