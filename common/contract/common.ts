import * as z from 'zod';

/** A NUL character or a UTF-16 surrogate that is not half of a pair (`u` mode matches only lone ones). */
const MALFORMED_TEXT = /[\0\p{Cs}]/u;

/**
 * The one refinement every string of the contract carries: text with a NUL character or a lone UTF-16
 * surrogate is refused at the door (it cannot be stored as valid UTF-8, breaks canonical JSON and
 * signatures, and truncates C strings), instead of failing deep inside a service. One regex scan.
 */
export const wellFormedText: z.core.$ZodCheck<string> = z.refine<string>((s) => !MALFORMED_TEXT.test(s), {
  message: 'contains a NUL character or a broken Unicode character (a lone UTF-16 surrogate)',
  abort: true,
});

/** `z.string()` with the well-formed-text refinement: what every contract schema uses for text. */
export const text = (): z.ZodString => z.string().check(wellFormedText);

/** Case number handle used by every command and channel: IR-YYYY-NNNN. */
/** Case numbers are matched whatever their case (`ir-2026-0001` is IR-2026-0001), as an investigator types them. */
export const CaseNumber = text()
  .trim()
  .toUpperCase()
  .regex(/^IR-\d{4}-\d{4,6}$/, 'a case number looks like IR-2026-0001');
export const Severity = z.enum(['low', 'medium', 'high', 'critical']);
export const CaseStatus = z.enum(['open', 'contained', 'eradicated', 'recovered', 'closed']);
export const Tlp = z.enum(['clear', 'green', 'amber', 'amber+strict', 'red']);
export const AwsAccountId = text().regex(/^\d{12}$/, 'an AWS account id is 12 digits');
export const AwsRegion = text().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region looks like eu-west-1');
export const Tag = text().trim().min(1).max(64);
export const Id = z.number().int().positive();
/** Short free text typed by the investigator (titles, names). */
export const ShortText = text().trim().min(1).max(200);
/** Long free text (notes, summaries): bounded so a paste accident cannot bloat the database. */
export const LongText = text().max(200_000);
/**
 * A day of the calendar, YYYY-MM-DD: `2024-02-30` is refused (a regular expression alone let it through, and
 * the task was stored as due on a day that does not exist).
 */
export const DueDate = z.iso.date('a due date is a day of the calendar, like 2026-12-31').check(wellFormedText);
export const NoInput = z.object({}).strict();

export type Severity = z.infer<typeof Severity>;
export type CaseStatus = z.infer<typeof CaseStatus>;
export type Tlp = z.infer<typeof Tlp>;
