import type { AwsService } from '../../aws/operations';

/**
 * How a step is carried out. Most steps are one AWS call (`call`), made safe
 * to repeat by the check of its operation (see guards/); the others wrap the
 * call with what must happen around it (saving evidence, waiting, converging
 * a group's rules) and are listed here so a stored plan can only name
 * behaviour this version knows. `call-optional` and `create-sg` are kept for
 * plans stored by earlier versions. Kind families add their own step kinds
 * with `defineExecutors` (main/response/executors) from their own modules.
 */
export const STEP_KINDS = [
  'call',
  'call-optional',
  'create-sg',
  'ensure-sg',
  'ensure-sg-rules',
  'evidence-describe',
  'evidence-console',
  'evidence-screenshot',
  'revoke-sessions',
  'create-snapshots',
  'wait-snapshots',
  'register-snapshots',
  'share-snapshot',
  'copy-snapshot',
  'check-ssm',
  'check-bucket',
  'poll-command',
  'verify-object',
  'register-memory',
  // Issue 15: S3 bucket and Lambda function containment evidence.
  's3-evidence',
  'lambda-evidence',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** A step before it runs: the exact call and parameters the investigator is shown and confirms. */
export interface StepSpec {
  key: string;
  title: string;
  /** A step kind of STEP_KINDS or one a family registered with defineExecutors. */
  kind: StepKind | (string & {});
  /** `lariat` for steps that only record evidence locally. */
  service: AwsService | 'lariat';
  region: string;
  operation: string;
  /** JSON parameters; `{ "$ref": "stepKey.Path" }` is replaced by a value from an earlier step's result, `{ "$now": ... }` by the time the step runs. */
  request: Record<string, unknown>;
}

export interface Plan {
  steps: StepSpec[];
  /** Original state recorded before anything changes (what a release restores). */
  recorded: Record<string, unknown>;
  /** What the investigator must know before confirming (a lookup that failed, a repair the run will make). */
  warnings: string[];
}

/** A value a step takes from an earlier step's result, shown as such in the plan. */
export const ref = (path: string): { $ref: string } => ({ $ref: path });
