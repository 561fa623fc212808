import * as z from 'zod';
import { channel } from './define';
import { CaseNumber, Id } from './common';

/** The containment that fits a finding's resource, with the plan input pre-filled from the finding (nothing planned yet). */
export interface ContainmentSuggestion {
  /** The action kind to plan (isolate, credentials, role-sessions, s3-contain, lambda-contain), or null when none fits. */
  kind: string | null;
  /** What the finding names: instance id, access key id, user or role name, bucket, function. */
  resource: string | null;
  resourceType: 'ec2-instance' | 'access-key' | 'iam-user' | 'iam-role' | 's3-bucket' | 'lambda-function' | null;
  /** The planAction input, pre-filled (the investigator reviews it; planning changes nothing). */
  input: Record<string, unknown> | null;
  /** Why this kind (or why none), in one sentence. */
  reason: string;
  /** False when this build of Lariat does not have the kind (its input is still given). */
  available: boolean;
}

/** A finding of the inbox (`inboxId`) or of the case (`findingId`, the finding panel's): exactly one. */
export const ContainmentFromFindingInput = z
  .object({ caseNumber: CaseNumber, inboxId: Id.optional(), findingId: Id.optional() })
  .strict()
  .refine(
    (v) => (v.inboxId === undefined) !== (v.findingId === undefined),
    'give either an inbox finding (inboxId) or a case finding (findingId)',
  );

export const fromFindingContract = {
  containmentFromFinding: channel<ContainmentSuggestion>()(
    ContainmentFromFindingInput,
    "The containment that fits a finding's resource (GuardDuty or Security Hub; inbox or case finding), with its plan input pre-filled.",
  ),
};
