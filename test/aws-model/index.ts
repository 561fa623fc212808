import { AwsModel, type ModelOptions } from './model';
import type { ModelModule } from './types';
import { ec2Tags } from './modules/ec2-tags';
import { ec2Instances } from './modules/ec2-instances';
import { ec2Interfaces } from './modules/ec2-interfaces';
import { ec2SecurityGroups } from './modules/ec2-security-groups';
import { ec2NetworkAcls } from './modules/ec2-network-acls';
import { ec2Snapshots } from './modules/ec2-snapshots';
import { autoscaling } from './modules/autoscaling';
import { elbv2 } from './modules/elbv2';
import { iam } from './modules/iam';
import { ssm } from './modules/ssm';
import { s3 } from './modules/s3';
import { sts } from './modules/sts';
import { iamUsers } from './modules/iam-users';
import { cloudtrail } from './modules/cloudtrail';
import { lambda } from './modules/lambda';
import { organizations } from './modules/organizations';
import { athena } from './modules/athena';
import { guardduty } from './modules/guardduty';
import { securityhub } from './modules/securityhub';

export { AwsModel } from './model';
export type { CallRecord, ModelState } from './model';
export type { Fault, FaultHandle, FaultRule } from './faults';
export type { CallContext, Handler, Input, ModelModule } from './types';
export { h } from './types';
export { awsError, connectionReset, internalError } from './errors';

/** Every module the response actions need. Issues 15 and 18 append theirs (or extend iam/s3/sts). */
export const defaultModules: readonly ModelModule[] = [
  ec2Tags,
  ec2Instances,
  ec2Interfaces,
  ec2SecurityGroups,
  ec2NetworkAcls,
  ec2Snapshots,
  autoscaling,
  elbv2,
  iam,
  iamUsers,
  cloudtrail,
  ssm,
  s3,
  sts,
  lambda,
  organizations,
  athena,
  guardduty,
  securityhub,
] as readonly ModelModule[];

/** A model with the default modules (plus `extra`), not yet installed behind the SDK clients. */
export function createAwsModel(options: Partial<ModelOptions> & { extra?: readonly ModelModule[] } = {}): AwsModel {
  const { extra = [], ...rest } = options;
  return new AwsModel({ ...rest, modules: rest.modules ?? [...defaultModules, ...extra] });
}
