import {
  IAMClient,
  type DeleteRolePolicyCommandInput,
  type GetInstanceProfileCommandInput,
  type GetRolePolicyCommandInput,
  type PutRolePolicyCommandInput,
} from '@aws-sdk/client-iam';
import { h, type CallContext, type ModelModule } from '../types';

export interface RoleRecord {
  RoleName: string;
  Arn: string;
  /** Inline policies: name → JSON document (as sent). */
  inline: Record<string, string>;
  /** `/aws-service-role/...` for service-linked roles; default `/`. */
  Path?: string;
  attached?: { PolicyName: string; PolicyArn: string }[];
}

export interface IamState {
  instanceProfiles: Record<string, { InstanceProfileName: string; Arn: string; roles: string[] }>;
  roles: Record<string, RoleRecord>;
}

function requireRole(ctx: CallContext<IamState>, name: string | undefined): RoleRecord {
  const r = name ? ctx.state.roles[name] : undefined;
  if (!r) ctx.error('NoSuchEntity', `The role with name ${name ?? ''} cannot be found.`, 404);
  return r;
}

/** IAM (global): instance profiles, roles and their inline policies (users and keys: iam-users.ts). */
export const iam: ModelModule<IamState> = {
  name: 'iam',
  service: 'iam',
  client: IAMClient,
  scope: 'global',
  initial: () => ({ instanceProfiles: {}, roles: {} }),
  handlers: {
    GetInstanceProfile: h<GetInstanceProfileCommandInput, IamState>((i, ctx) => {
      const p = i.InstanceProfileName ? ctx.state.instanceProfiles[i.InstanceProfileName] : undefined;
      if (!p) return ctx.error('NoSuchEntity', `Instance Profile ${i.InstanceProfileName ?? ''} cannot be found.`, 404);
      return {
        InstanceProfile: {
          InstanceProfileName: p.InstanceProfileName,
          Arn: p.Arn,
          Roles: p.roles.map((r) => ({ RoleName: r, Arn: ctx.state.roles[r]?.Arn })),
        },
      };
    }),
    PutRolePolicy: h<PutRolePolicyCommandInput, IamState>((i, ctx) => {
      const r = requireRole(ctx, i.RoleName);
      try {
        JSON.parse(i.PolicyDocument ?? '');
      } catch {
        ctx.error('MalformedPolicyDocument', 'Syntax errors in policy.');
      }
      r.inline[i.PolicyName ?? ''] = i.PolicyDocument ?? '';
      return {};
    }),
    GetRolePolicy: h<GetRolePolicyCommandInput, IamState>((i, ctx) => {
      const r = requireRole(ctx, i.RoleName);
      const doc = r.inline[i.PolicyName ?? ''];
      if (doc === undefined) return ctx.error('NoSuchEntity', `The role policy with name ${i.PolicyName ?? ''} cannot be found.`, 404);
      // IAM returns policy documents URL-encoded (RFC 3986).
      return { RoleName: r.RoleName, PolicyName: i.PolicyName, PolicyDocument: encodeURIComponent(doc) };
    }),
    GetRole: h<{ RoleName?: string }, IamState>((i, ctx) => {
      const r = requireRole(ctx, i.RoleName);
      return {
        Role: {
          RoleName: r.RoleName,
          Arn: r.Arn,
          Path: r.Path ?? '/',
          RoleId: `AROA${r.RoleName.toUpperCase().replace(/[^A-Z0-9]/g, '')}`,
        },
      };
    }),
    ListRolePolicies: h<{ RoleName?: string }, IamState>((i, ctx) => ({
      PolicyNames: Object.keys(requireRole(ctx, i.RoleName).inline).sort(),
      IsTruncated: false,
    })),
    ListAttachedRolePolicies: h<{ RoleName?: string }, IamState>((i, ctx) => ({
      AttachedPolicies: requireRole(ctx, i.RoleName).attached ?? [],
      IsTruncated: false,
    })),
    DeleteRolePolicy: h<DeleteRolePolicyCommandInput, IamState>((i, ctx) => {
      const r = requireRole(ctx, i.RoleName);
      if (r.inline[i.PolicyName ?? ''] === undefined)
        return ctx.error('NoSuchEntity', `The role policy with name ${i.PolicyName ?? ''} cannot be found.`, 404);
      delete r.inline[i.PolicyName ?? ''];
      return {};
    }),
  },
};
