import { STSClient, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { h, type ModelModule } from '../types';

export interface StsState {
  /** The identity the caller's credentials belong to. */
  arn: string;
}

/** STS: who the caller is, and AssumeRole with temporary credentials. Issue 18 adds cross-account roles. */
export const sts: ModelModule<StsState> = {
  name: 'sts',
  service: 'sts',
  client: STSClient,
  scope: 'global',
  initial: () => ({ arn: 'arn:aws:sts::111122223333:assumed-role/LariatResponder/lariat-responder' }),
  handlers: {
    GetCallerIdentity: h<Record<string, never>, StsState>((_i, ctx) => ({
      Account: ctx.model.account,
      Arn: ctx.state.arn,
      UserId: 'AROAMODEL:lariat',
    })),
    AssumeRole: h<AssumeRoleCommandInput, StsState>((i, ctx) => ({
      Credentials: {
        AccessKeyId: 'ASIAMODELMODELMODEL1',
        SecretAccessKey: 'model-secret',
        SessionToken: 'model-token',
        Expiration: new Date(Date.parse(ctx.now()) + 3600_000),
      },
      AssumedRoleUser: { Arn: `${i.RoleArn ?? ''}/${i.RoleSessionName ?? ''}`, AssumedRoleId: 'AROAMODEL:x' },
    })),
  },
};
