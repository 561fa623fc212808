import { AppError } from '../../core/errors';
import { toJson } from '../../aws/redact';
import { type Executor, type StepContext, ok, read } from './context';

type Out = Record<string, unknown>;
const missing = (err: unknown): boolean => err instanceof AppError && err.code === 'aws-not-found';

/** Every page of an IAM list call (Marker/IsTruncated), concatenated under `key`. */
async function all<T>(ctx: StepContext, op: string, params: Out, key: string): Promise<T[]> {
  const items: T[] = [];
  let marker: string | undefined;
  do {
    const out = await read<Out & { IsTruncated?: boolean; Marker?: string }>(ctx, 'iam', op, {
      ...params,
      ...(marker ? { Marker: marker } : {}),
    });
    items.push(...((out[key] as T[] | undefined) ?? []));
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
  return items;
}

const decode = (doc: string | undefined): unknown => {
  try {
    return JSON.parse(decodeURIComponent(doc ?? ''));
  } catch {
    return doc ?? null;
  }
};

/**
 * Evidence collectors: what an IAM principal looked like before Lariat
 * changed it, each read's answer kept as AWS gave it (dates as ISO strings,
 * policy documents decoded). The JSON has no time of its own, so a resumed
 * step that collects the same state imports the same bytes (a duplicate).
 */
export const COLLECTORS: Record<string, { calls: string[]; collect(ctx: StepContext, p: Out): Promise<Out> }> = {
  'iam-user': {
    calls: [
      'iam:GetUser',
      'iam:ListAccessKeys',
      'iam:GetAccessKeyLastUsed',
      'iam:ListAttachedUserPolicies',
      'iam:ListUserPolicies',
      'iam:GetUserPolicy',
      'iam:ListGroupsForUser',
      'iam:ListMFADevices',
      'iam:GetLoginProfile',
    ],
    async collect(ctx, p) {
      const UserName = p.UserName;
      const user = await read(ctx, 'iam', 'GetUser', { UserName });
      const keys = await all<{ AccessKeyId?: string }>(ctx, 'ListAccessKeys', { UserName }, 'AccessKeyMetadata');
      const lastUsed: Out = {};
      for (const k of keys)
        if (k.AccessKeyId) lastUsed[k.AccessKeyId] = await read(ctx, 'iam', 'GetAccessKeyLastUsed', { AccessKeyId: k.AccessKeyId });
      const attached = await all(ctx, 'ListAttachedUserPolicies', { UserName }, 'AttachedPolicies');
      const names = await all<string>(ctx, 'ListUserPolicies', { UserName }, 'PolicyNames');
      const inline: Out = {};
      for (const n of names)
        inline[n] = decode(
          (await read<{ PolicyDocument?: string }>(ctx, 'iam', 'GetUserPolicy', { UserName, PolicyName: n })).PolicyDocument,
        );
      const groups = await all(ctx, 'ListGroupsForUser', { UserName }, 'Groups');
      const mfa = await all(ctx, 'ListMFADevices', { UserName }, 'MFADevices');
      let loginProfile: unknown = null;
      try {
        loginProfile = (await read<Out>(ctx, 'iam', 'GetLoginProfile', { UserName })).LoginProfile ?? null;
      } catch (err) {
        if (!missing(err)) throw err;
      }
      return {
        user: (user as Out).User,
        accessKeys: keys,
        accessKeyLastUsed: lastUsed,
        attachedPolicies: attached,
        inlinePolicies: inline,
        groups,
        mfaDevices: mfa,
        loginProfile,
      };
    },
  },
  'iam-role': {
    calls: ['iam:GetRole', 'iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies'],
    async collect(ctx, p) {
      const RoleName = p.RoleName;
      const role = await read<Out>(ctx, 'iam', 'GetRole', { RoleName });
      const names = await all<string>(ctx, 'ListRolePolicies', { RoleName }, 'PolicyNames');
      const inline: Out = {};
      for (const n of names)
        inline[n] = decode(
          (await read<{ PolicyDocument?: string }>(ctx, 'iam', 'GetRolePolicy', { RoleName, PolicyName: n })).PolicyDocument,
        );
      const attached = await all(ctx, 'ListAttachedRolePolicies', { RoleName }, 'AttachedPolicies');
      return { role: role.Role, inlinePolicies: inline, attachedPolicies: attached };
    },
  },
};

export const iamEvidenceExecutors: Record<string, Executor> = {
  /** Collects a principal's state as JSON evidence (vault item with its custody entry) before anything changes. */
  'evidence-collect': async (ctx) => {
    const name = String(ctx.request.Collector);
    const c = COLLECTORS[name];
    if (!c) throw new AppError('plan-step-unknown', `Evidence collector ${name} is not known to this version.`, 'Plan the action again.');
    const data = toJson(await c.collect(ctx, ctx.request));
    const bytes = new TextEncoder().encode(JSON.stringify(data, null, 2));
    const item = await ctx.evidence.importBytes(ctx.caseNumber, `${ctx.instanceId}-${name}.json`, bytes, {
      kind: 'file',
      description: `${name === 'iam-user' ? 'IAM user' : 'IAM role'} ${ctx.instanceId} before containment: ${c.calls.join(', ')}`,
      source: { account: ctx.account ?? undefined, region: ctx.region, resource: ctx.instanceId },
      acquisition: { tool: `Lariat ${ctx.toolVersion}`, method: c.calls.join(' '), host: 'aws-api', at: ctx.now().toISOString() },
    });
    return ok({ EvidenceId: item.id, Sha256: item.hashes.sha256, Bytes: bytes.byteLength, Duplicate: item.duplicate });
  },
};
