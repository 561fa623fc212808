import { z } from 'zod';

/** Case number handle used by every command and channel: IR-YYYY-NNNN. */
/** Case numbers are matched whatever their case (`ir-2026-0001` is IR-2026-0001), as an investigator types them. */
export const CaseNumber = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^IR-\d{4}-\d{4,6}$/, 'a case number looks like IR-2026-0001');
export const Severity = z.enum(['low', 'medium', 'high', 'critical']);
export const CaseStatus = z.enum(['open', 'contained', 'eradicated', 'recovered', 'closed']);
export const Tlp = z.enum(['clear', 'green', 'amber', 'amber+strict', 'red']);
export const AwsAccountId = z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits');
export const AwsRegion = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region looks like eu-west-1');
export const Tag = z.string().trim().min(1).max(64);
export const Id = z.number().int().positive();
/** Short free text typed by the investigator (titles, names). */
export const ShortText = z.string().trim().min(1).max(200);
/** Long free text (notes, summaries): bounded so a paste accident cannot bloat the database. */
export const LongText = z.string().max(200_000);
export const NoInput = z.object({}).strict();

export type Severity = z.infer<typeof Severity>;
export type CaseStatus = z.infer<typeof CaseStatus>;
export type Tlp = z.infer<typeof Tlp>;
