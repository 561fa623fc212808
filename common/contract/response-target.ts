import * as z from 'zod';
import { text } from './common';

export const InstanceId = text().regex(/^i-[0-9a-f]{8,17}$/, 'an instance id looks like i-0123456789abcdef0');

/** What a response action can act on. */
export const TargetType = z.enum(['ec2-instance', 'iam-user', 'iam-role', 's3-bucket', 'lambda-function']);
export type TargetType = z.infer<typeof TargetType>;

/** The resource an action acts on: its type, identifier (instance id, user or role name, bucket, function name) and region. */
export interface ActionTarget {
  type: TargetType;
  id: string;
  /** The region the action's calls go to (IAM is global: the region of the session). */
  region: string;
}
