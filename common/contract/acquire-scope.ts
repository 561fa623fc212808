import * as z from 'zod';
import { AwsAccountId, text, wellFormedText } from './common';

/**
 * The building blocks every acquisition input shares (time window, account scope, bucket, prefix,
 * trail and role names, log kind): kept apart so each area's inputs validate them the same way.
 */

/** An instant: ISO-8601 with a UTC offset, or a date (meaning its start, or for `to` its end). */
const Instant = z.union(
  [z.iso.datetime({ offset: true }).check(wellFormedText), z.iso.date().check(wellFormedText)],
  'a time looks like 2026-11-27T10:00:00Z or 2026-11-27',
);

/** A time window, normalised to ISO-8601 UTC; a `to` date means the end of that day. */
export const TimeWindow = z
  .object({ from: Instant, to: Instant })
  .transform((w) => ({ from: toUtc(w.from, false), to: toUtc(w.to, true) }))
  .refine((w) => w.from < w.to, 'the window must start before it ends (--from before --to)');
export type TimeWindow = z.output<typeof TimeWindow>;

function toUtc(v: string, end: boolean): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return new Date(Date.parse(`${v}T00:00:00Z`) + (end ? 86_400_000 : 0)).toISOString();
  return new Date(Date.parse(v)).toISOString();
}

export const RoleName = text().regex(/^[\w+=,.@-]{1,64}$/, 'a role name is letters, digits and +=,.@-_');

/** Which accounts to work in: the current identity's, a list, or the whole AWS Organization (a role assumed in each). */
export const AccountScope = z
  .object({
    accounts: z.array(AwsAccountId).max(500).optional(),
    organization: z.boolean().optional(),
    /** Role assumed in each account other than the current one (default LariatResponder). */
    roleName: RoleName.optional(),
    externalId: text().min(2).max(1224).optional(),
  })
  .strict();
export type AccountScope = z.infer<typeof AccountScope>;

export const BucketName = text().regex(
  /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  'an S3 bucket name is 3-63 lowercase letters, digits, dots and hyphens',
);
export const KeyPrefix = text()
  .regex(/^[\w!./*'()=-]{0,512}$/, "a prefix uses letters, digits and !./*'()=-_")
  .transform((p) => p.replace(/^\/+|\/+$/g, ''));
export const TrailName = text().regex(
  /^([\w.-]{3,128}|arn:aws[\w-]*:cloudtrail:[\w-]+:\d{12}:trail\/[\w.-]{3,128})$/,
  'a trail name or ARN',
);

export const LogKind = z.enum(['cloudtrail', 'vpcflowlogs']);
export type LogKind = z.infer<typeof LogKind>;
