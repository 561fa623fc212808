import { STSClient, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { h, type ModelModule } from '../types';
import { roleKey } from '../model';
import type { OrganizationsState } from './organizations';

export interface StsState {
  /** The identity the caller's credentials belong to. */
  arn: string;
  /**
   * Roles that exist and trust the caller, as ARNs. Empty means any role of the model's own account or
   * of an account of the Organization (the organizations module) may be assumed.
   */
  roles: string[];
}

const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/[\w+=,.@/-]+$/;

/**
 * STS: who the caller is, and AssumeRole with temporary credentials. A role in a member account returns
 * keys that carry that account (`roleKey`), so every later call made with them acts in that account:
 * its own regional state, and GetCallerIdentity answering with the assumed role.
 */
export const sts: ModelModule<StsState> = {
  name: 'sts',
  service: 'sts',
  client: STSClient,
  scope: 'global',
  initial: () => ({ arn: 'arn:aws:sts::111122223333:assumed-role/LariatResponder/lariat-responder', roles: [] }),
  handlers: {
    GetCallerIdentity: h<Record<string, never>, StsState>((_i, ctx) =>
      ctx.account === ctx.model.account
        ? { Account: ctx.model.account, Arn: ctx.state.arn, UserId: 'AROAMODEL:lariat' }
        : { Account: ctx.account, Arn: `arn:aws:sts::${ctx.account}:assumed-role/LariatResponder/lariat-acquire`, UserId: 'AROAMODEL:x' },
    ),
    AssumeRole: h<AssumeRoleCommandInput, StsState>((i, ctx) => {
      const m = ROLE_ARN.exec(i.RoleArn ?? '');
      if (!m) return ctx.error('ValidationError', `${i.RoleArn} is not a valid role ARN`, 400);
      const account = m[1]!;
      const org = ctx.slice<OrganizationsState>('organizations');
      const known = ctx.state.roles.length
        ? ctx.state.roles.includes(i.RoleArn!)
        : account === ctx.model.account || org.accounts.some((a) => a.Id === account && a.Status === 'ACTIVE');
      if (!known)
        return ctx.error(
          'AccessDenied',
          `User: ${ctx.state.arn} is not authorized to perform: sts:AssumeRole on resource: ${i.RoleArn}`,
          403,
        );
      return {
        Credentials: {
          AccessKeyId: roleKey(account),
          SecretAccessKey: 'model-secret',
          SessionToken: 'model-token',
          // Lariat checks expiry against the real clock, which may be ahead of the model's.
          Expiration: new Date(Math.max(Date.parse(ctx.now()), Date.now()) + 3600_000),
        },
        AssumedRoleUser: {
          Arn: `arn:aws:sts::${account}:assumed-role/${i.RoleArn!.split('/').pop()}/${i.RoleSessionName ?? ''}`,
          AssumedRoleId: 'AROAMODEL:x',
        },
      };
    }),
  },
};
