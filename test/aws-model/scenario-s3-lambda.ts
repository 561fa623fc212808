import type { AwsModel } from './model';
import type { S3State } from './modules/s3';
import type { LambdaState, MappingState } from './modules/lambda';
import { ACCOUNT, REGION } from './scenario';

export const EXPOSED = 'exposed-data';
export const FN = 'thumbnailer';
export const PUBLIC_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${EXPOSED}/*` }],
});
const PARTIAL_BLOCK = { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };
const MINER = Buffer.from('PK\u0003\u0004 miner dropped into the handler').toString('base64');

/**
 * The versioned bucket EXPOSED, made public by its policy: what an S3 containment starts from in every tier.
 * `policy: false` leaves it without a policy, `block` adds a partial public access block and `logging` access
 * logs, so a release can be checked to put back each "configured" and "never configured" exactly.
 */
export function seedExposedBucket(model: AwsModel, o: { policy?: boolean; block?: boolean; logging?: boolean } = {}): void {
  model.slice<S3State>('s3').buckets[EXPOSED] = {
    region: REGION,
    objects: {},
    versioning: { Status: 'Enabled' },
    ...(o.logging ? { logging: { TargetBucket: 'logs', TargetPrefix: `${EXPOSED}/` } } : {}),
    ...(o.policy === false ? {} : { policy: PUBLIC_POLICY }),
    ...(o.block ? { publicAccessBlock: PARTIAL_BLOCK } : {}),
  };
}

export interface FunctionSeed {
  name: string;
  /** The deployment package, base64. */
  zip: string;
  /** Absent: no reserved concurrency (the field itself is left out, as the model reads it). */
  reserved?: number | undefined;
  policy?: string | undefined;
}

/**
 * A nodejs function of the scenario's account in REGION, with its event source mappings (UUID → queue ARN
 * and state). One writer of the model's function shape, so model, fault and e2e tests seed alike.
 */
export function seedFunction(
  model: AwsModel,
  f: FunctionSeed,
  mappings: Record<string, { queue: string; state: MappingState }>,
): LambdaState {
  const l = model.slice<LambdaState>('lambda', REGION);
  const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${f.name}`;
  l.functions[f.name] = {
    arn,
    runtime: 'nodejs20.x',
    role: `arn:aws:iam::${ACCOUNT}:role/${f.name}`,
    handler: 'index.handler',
    zip: f.zip,
    layers: [],
    ...(f.reserved === undefined ? {} : { reserved: f.reserved }),
    ...(f.policy === undefined ? {} : { policy: f.policy }),
  };
  for (const [UUID, m] of Object.entries(mappings))
    l.mappings[UUID] = { UUID, FunctionArn: arn, EventSourceArn: m.queue, BatchSize: 10, State: m.state };
  return l;
}

/**
 * The abused function FN (a miner in its package) fed by the enabled mapping esm-on. `idle` adds the
 * already disabled esm-off (containment must leave it, release must not enable it) and `invokable` a
 * resource policy letting S3 invoke it.
 */
export function seedAbusedFunction(model: AwsModel, o: { reserved?: number; idle?: boolean; invokable?: boolean } = {}): LambdaState {
  const queue = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
  const invoke = { Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'lambda:InvokeFunction' }] };
  return seedFunction(
    model,
    { name: FN, zip: MINER, reserved: o.reserved, ...(o.invokable ? { policy: JSON.stringify(invoke) } : {}) },
    {
      'esm-on': { queue: queue('jobs'), state: 'Enabled' },
      ...(o.idle ? { 'esm-off': { queue: queue('old'), state: 'Disabled' as const } } : {}),
    },
  );
}

/** The fault and CLI tiers' world: the exposed bucket with access logging, the abused function with both mappings and its policy. */
export function seedS3Lambda(model: AwsModel, o: { policy?: boolean; block?: boolean; reserved?: number } = {}): void {
  seedExposedBucket(model, { policy: o.policy, block: o.block, logging: true });
  seedAbusedFunction(model, { reserved: o.reserved, idle: true, invokable: true });
}
