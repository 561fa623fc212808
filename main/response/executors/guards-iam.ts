import { AppError } from '../../core/errors';
import { type StepContext, read } from './context';
import { defineGuards, type InPlace } from './guard';

type Params = Record<string, unknown>;

/** Whether an IAM read said "no such entity" (a missing policy, login profile, key). */
const missing = (err: unknown): boolean => err instanceof AppError && err.code === 'aws-not-found';

/** A key's status, or null when the user has no such key. */
async function keyStatus(ctx: StepContext, p: Params): Promise<string | null> {
  let marker: string | undefined;
  do {
    const out = await read<{ AccessKeyMetadata?: { AccessKeyId?: string; Status?: string }[]; IsTruncated?: boolean; Marker?: string }>(
      ctx,
      'iam',
      'ListAccessKeys',
      { UserName: p.UserName, ...(marker ? { Marker: marker } : {}) },
    );
    const k = out.AccessKeyMetadata?.find((x) => x.AccessKeyId === p.AccessKeyId);
    if (k) return k.Status ?? null;
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
  return null;
}

/** An inline policy's document (decoded and parsed), or null when there is none by that name. */
async function inlineDoc(ctx: StepContext, op: 'GetUserPolicy' | 'GetRolePolicy', p: Params): Promise<unknown> {
  try {
    const key = op === 'GetUserPolicy' ? { UserName: p.UserName } : { RoleName: p.RoleName };
    const out = await read<{ PolicyDocument?: string }>(ctx, 'iam', op, { ...key, PolicyName: p.PolicyName });
    return JSON.parse(decodeURIComponent(out.PolicyDocument ?? '')) as unknown;
  } catch (err) {
    if (missing(err)) return null;
    throw err;
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const doc = (p: Params): unknown => (typeof p.PolicyDocument === 'string' ? JSON.parse(p.PolicyDocument) : p.PolicyDocument);

defineGuards('iam', {
  /** Deactivating (or re-activating) a key: in place when it already has the wanted status; a key gone is refused. */
  UpdateAccessKey: {
    checks: ['iam:ListAccessKeys'],
    async inPlace(ctx, p): Promise<InPlace | null> {
      const status = await keyStatus(ctx, p);
      if (status === null)
        throw new AppError(
          'access-key-gone',
          `Access key ${String(p.AccessKeyId)} of ${String(p.UserName)} no longer exists (deleted since the plan).`,
          'A deleted key cannot be used any more; nothing to do for it. Plan again to see the keys the user has now.',
        );
      return status === p.Status ? { saw: { AccessKeyId: p.AccessKeyId, Status: status } } : null;
    },
  },
  PutUserPolicy: {
    checks: ['iam:GetUserPolicy'],
    async inPlace(ctx, p) {
      return same(await inlineDoc(ctx, 'GetUserPolicy', p), doc(p)) ? { saw: { PolicyName: p.PolicyName } } : null;
    },
  },
  DeleteUserPolicy: {
    checks: ['iam:GetUserPolicy'],
    async inPlace(ctx, p) {
      return (await inlineDoc(ctx, 'GetUserPolicy', p)) === null ? { saw: { PolicyName: p.PolicyName, present: false } } : null;
    },
  },
  DeleteRolePolicy: {
    checks: ['iam:GetRolePolicy'],
    async inPlace(ctx, p) {
      return (await inlineDoc(ctx, 'GetRolePolicy', p)) === null ? { saw: { PolicyName: p.PolicyName, present: false } } : null;
    },
  },
  DeleteLoginProfile: {
    checks: ['iam:GetLoginProfile'],
    async inPlace(ctx, p) {
      try {
        await read(ctx, 'iam', 'GetLoginProfile', { UserName: p.UserName });
        return null;
      } catch (err) {
        if (missing(err)) return { saw: { UserName: p.UserName, loginProfile: false } };
        throw err;
      }
    },
  },
  DeactivateMFADevice: {
    checks: ['iam:ListMFADevices'],
    async inPlace(ctx, p) {
      const out = await read<{ MFADevices?: { SerialNumber?: string }[] }>(ctx, 'iam', 'ListMFADevices', { UserName: p.UserName });
      return out.MFADevices?.some((d) => d.SerialNumber === p.SerialNumber)
        ? null
        : { saw: { SerialNumber: p.SerialNumber, assigned: false } };
    },
  },
});
