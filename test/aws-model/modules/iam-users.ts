import { IAMClient } from '@aws-sdk/client-iam';
import { h, type CallContext, type ModelModule } from '../types';

export interface AccessKeyRecord {
  AccessKeyId: string;
  Status: 'Active' | 'Inactive';
  CreateDate: string;
  lastUsed?: { LastUsedDate: string; ServiceName: string; Region: string };
}

export interface UserRecord {
  UserName: string;
  UserId: string;
  Arn: string;
  Path: string;
  CreateDate: string;
  keys: AccessKeyRecord[];
  /** Inline policies: name → JSON document (as sent). */
  inline: Record<string, string>;
  attached: { PolicyName: string; PolicyArn: string }[];
  groups: string[];
  mfa: { SerialNumber: string; EnableDate: string }[];
  loginProfile: { CreateDate: string; PasswordResetRequired: boolean } | null;
}

/** Users live in the iam module's slice (one IAM namespace); this module adds their API. */
export interface IamUsersState {
  users: Record<string, UserRecord>;
}

type Ctx = CallContext<IamUsersState>;
type I = Record<string, unknown>;

function user(ctx: Ctx, name: unknown): UserRecord {
  const u = typeof name === 'string' ? ctx.state.users[name] : undefined;
  if (!u) ctx.error('NoSuchEntity', `The user with name ${String(name ?? '')} cannot be found.`, 404);
  return u;
}

function page<T>(items: T[], i: I): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const start = typeof i.Marker === 'string' ? Number(i.Marker) : 0;
  const max = typeof i.MaxItems === 'number' ? i.MaxItems : 100;
  const slice = items.slice(start, start + max);
  const next = start + max < items.length ? String(start + max) : undefined;
  return { items: slice, IsTruncated: Boolean(next), ...(next ? { Marker: next } : {}) };
}

const date = (s: string) => new Date(s);

/**
 * IAM users: access keys (with last-used data), inline and attached policies,
 * groups, MFA devices and login profiles, answering as IAM does: NoSuchEntity
 * for a missing user, key, policy or login profile; deactivating an inactive
 * key is accepted (IAM's UpdateAccessKey is idempotent).
 */
export const iamUsers: ModelModule<IamUsersState> = {
  name: 'iam-users',
  service: 'iam',
  client: IAMClient,
  scope: 'global',
  initial: () => ({ users: {} }),
  handlers: {
    GetUser: h<I, IamUsersState>((i, ctx) => {
      const u = user(ctx, i.UserName);
      return { User: { UserName: u.UserName, UserId: u.UserId, Arn: u.Arn, Path: u.Path, CreateDate: date(u.CreateDate) } };
    }),
    ListAccessKeys: h<I, IamUsersState>((i, ctx) => {
      const u = user(ctx, i.UserName);
      const p = page(u.keys, i);
      return {
        AccessKeyMetadata: p.items.map((k) => ({
          UserName: u.UserName,
          AccessKeyId: k.AccessKeyId,
          Status: k.Status,
          CreateDate: date(k.CreateDate),
        })),
        IsTruncated: p.IsTruncated,
        ...(p.Marker ? { Marker: p.Marker } : {}),
      };
    }),
    GetAccessKeyLastUsed: h<I, IamUsersState>((i, ctx) => {
      for (const u of Object.values(ctx.state.users)) {
        const k = u.keys.find((x) => x.AccessKeyId === i.AccessKeyId);
        if (k)
          return {
            UserName: u.UserName,
            AccessKeyLastUsed: k.lastUsed
              ? { LastUsedDate: date(k.lastUsed.LastUsedDate), ServiceName: k.lastUsed.ServiceName, Region: k.lastUsed.Region }
              : { ServiceName: 'N/A', Region: 'N/A' },
          };
      }
      // IAM answers AccessDenied for a key id outside the account.
      return ctx.error('AccessDenied', `User is not authorized to perform iam:GetAccessKeyLastUsed on ${String(i.AccessKeyId)}`, 403);
    }),
    UpdateAccessKey: h<I, IamUsersState>((i, ctx) => {
      const u = user(ctx, i.UserName);
      const k = u.keys.find((x) => x.AccessKeyId === i.AccessKeyId);
      if (!k) return ctx.error('NoSuchEntity', `The Access Key with id ${String(i.AccessKeyId)} cannot be found.`, 404);
      if (i.Status !== 'Active' && i.Status !== 'Inactive') return ctx.error('ValidationError', 'Status must be Active or Inactive.');
      k.Status = i.Status;
      return {};
    }),
    ListUserPolicies: h<I, IamUsersState>((i, ctx) => {
      const p = page(Object.keys(user(ctx, i.UserName).inline).sort(), i);
      return { PolicyNames: p.items, IsTruncated: p.IsTruncated, ...(p.Marker ? { Marker: p.Marker } : {}) };
    }),
    GetUserPolicy: h<I, IamUsersState>((i, ctx) => {
      const u = user(ctx, i.UserName);
      const doc = u.inline[String(i.PolicyName)];
      if (doc === undefined) return ctx.error('NoSuchEntity', `The user policy with name ${String(i.PolicyName)} cannot be found.`, 404);
      return { UserName: u.UserName, PolicyName: i.PolicyName, PolicyDocument: encodeURIComponent(doc) };
    }),
    PutUserPolicy: h<I, IamUsersState>((i, ctx) => {
      const u = user(ctx, i.UserName);
      try {
        JSON.parse(String(i.PolicyDocument));
      } catch {
        ctx.error('MalformedPolicyDocument', 'Syntax errors in policy.');
      }
      u.inline[String(i.PolicyName)] = String(i.PolicyDocument);
      return {};
    }),
    DeleteUserPolicy: h<I, IamUsersState>((i, ctx) => {
      const u = user(ctx, i.UserName);
      if (u.inline[String(i.PolicyName)] === undefined)
        return ctx.error('NoSuchEntity', `The user policy with name ${String(i.PolicyName)} cannot be found.`, 404);
      delete u.inline[String(i.PolicyName)];
      return {};
    }),
    ListAttachedUserPolicies: h<I, IamUsersState>((i, ctx) => {
      const p = page(user(ctx, i.UserName).attached, i);
      return { AttachedPolicies: p.items, IsTruncated: p.IsTruncated, ...(p.Marker ? { Marker: p.Marker } : {}) };
    }),
    ListGroupsForUser: h<I, IamUsersState>((i, ctx) => {
      const p = page(user(ctx, i.UserName).groups, i);
      return { Groups: p.items.map((g) => ({ GroupName: g })), IsTruncated: p.IsTruncated, ...(p.Marker ? { Marker: p.Marker } : {}) };
    }),
    ListMFADevices: h<I, IamUsersState>((i, ctx) => {
      const u = user(ctx, i.UserName);
      const p = page(u.mfa, i);
      return {
        MFADevices: p.items.map((d) => ({ UserName: u.UserName, SerialNumber: d.SerialNumber, EnableDate: date(d.EnableDate) })),
        IsTruncated: p.IsTruncated,
        ...(p.Marker ? { Marker: p.Marker } : {}),
      };
    }),
    DeactivateMFADevice: h<I, IamUsersState>((i, ctx) => {
      const u = user(ctx, i.UserName);
      const n = u.mfa.findIndex((d) => d.SerialNumber === i.SerialNumber);
      if (n < 0) return ctx.error('NoSuchEntity', `MFA Device with serial number ${String(i.SerialNumber)} does not exist.`, 404);
      u.mfa.splice(n, 1);
      return {};
    }),
    GetLoginProfile: h<I, IamUsersState>((i, ctx) => {
      const u = user(ctx, i.UserName);
      if (!u.loginProfile) return ctx.error('NoSuchEntity', `Login Profile for User ${u.UserName} cannot be found.`, 404);
      return {
        LoginProfile: {
          UserName: u.UserName,
          CreateDate: date(u.loginProfile.CreateDate),
          PasswordResetRequired: u.loginProfile.PasswordResetRequired,
        },
      };
    }),
    DeleteLoginProfile: h<I, IamUsersState>((i, ctx) => {
      const u = user(ctx, i.UserName);
      if (!u.loginProfile) return ctx.error('NoSuchEntity', `Login Profile for User ${u.UserName} cannot be found.`, 404);
      u.loginProfile = null;
      return {};
    }),
  },
};
