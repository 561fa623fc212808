import { createRequire } from 'node:module';

/**
 * The AWS SDK's packages, each loaded the first time a call needs it.
 *
 * Why: the SDK is ~15 CommonJS packages of 1-2 MB each. Imported statically, every command paid for
 * all of them at start (about 1.5 s of CPU for `lariat case list`, most of it Node's ESM loader
 * compiling each file twice to detect its module format); most commands never call AWS. `require`
 * (not `import()`) keeps loading synchronous, so nothing around a call becomes async, and it skips the
 * ESM loader's format detection. Tests that mock a client class (aws-sdk-client-mock) get the same
 * class: Node keeps one instance of a CommonJS module, whichever way it was first loaded.
 */
const load = createRequire(import.meta.url);

function lazy<M>(id: string): () => M {
  let mod: M | undefined;
  return () => (mod ??= load(id) as M);
}

export const sdk = {
  ec2: lazy<typeof import('@aws-sdk/client-ec2')>('@aws-sdk/client-ec2'),
  ssm: lazy<typeof import('@aws-sdk/client-ssm')>('@aws-sdk/client-ssm'),
  incidents: lazy<typeof import('@aws-sdk/client-ssm-incidents')>('@aws-sdk/client-ssm-incidents'),
  contacts: lazy<typeof import('@aws-sdk/client-ssm-contacts')>('@aws-sdk/client-ssm-contacts'),
  sts: lazy<typeof import('@aws-sdk/client-sts')>('@aws-sdk/client-sts'),
  asg: lazy<typeof import('@aws-sdk/client-auto-scaling')>('@aws-sdk/client-auto-scaling'),
  elb: lazy<typeof import('@aws-sdk/client-elastic-load-balancing-v2')>('@aws-sdk/client-elastic-load-balancing-v2'),
  iam: lazy<typeof import('@aws-sdk/client-iam')>('@aws-sdk/client-iam'),
  s3: lazy<typeof import('@aws-sdk/client-s3')>('@aws-sdk/client-s3'),
  cloudtrail: lazy<typeof import('@aws-sdk/client-cloudtrail')>('@aws-sdk/client-cloudtrail'),
  guardduty: lazy<typeof import('@aws-sdk/client-guardduty')>('@aws-sdk/client-guardduty'),
  securityhub: lazy<typeof import('@aws-sdk/client-securityhub')>('@aws-sdk/client-securityhub'),
  organizations: lazy<typeof import('@aws-sdk/client-organizations')>('@aws-sdk/client-organizations'),
  athena: lazy<typeof import('@aws-sdk/client-athena')>('@aws-sdk/client-athena'),
  lambda: lazy<typeof import('@aws-sdk/client-lambda')>('@aws-sdk/client-lambda'),
  credentials: lazy<typeof import('@aws-sdk/credential-providers')>('@aws-sdk/credential-providers'),
};
