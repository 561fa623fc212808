/**
 * The result of the offline CloudTrail digest validation: file statuses and tamper kinds, shared by
 * the validator in main, the report section and the validation panel.
 */

/** One file in a CloudTrail validation result. */
export type ValidationStatus = 'authentic' | 'changed' | 'deleted' | 'missing' | 'unverified' | 'not-acquired';
export const TAMPER_KINDS = [
  'log-changed',
  'log-deleted',
  'digest-changed',
  'digest-moved',
  'digest-missing',
  'chain-broken',
  'wrong-key',
  'keys-changed',
  'log-not-in-digest',
] as const;
export type TamperKind = (typeof TAMPER_KINDS)[number];

export interface ValidationFile {
  kind: 'digest' | 'log';
  bucket: string;
  key: string;
  account: string | null;
  region: string | null;
  evidenceId: number | null;
  status: ValidationStatus;
  /** Why, in words, when not authentic. */
  reason: string | null;
}

export interface ValidationProblem {
  kind: TamperKind;
  /** `tampering`: a change, deletion or forgery is proven; `gap`: a stretch of time nothing proves (logging or validation was off). */
  severity: 'tampering' | 'gap';
  bucket: string;
  key: string;
  message: string;
}

/** The offline CloudTrail validation of a case: what a report section renders. */
export interface CloudTrailValidation {
  caseNumber: string;
  validatedAt: string;
  /** intact: every digest valid and every referenced log authentic; tampered: a problem proves a change or deletion. */
  verdict: 'intact' | 'tampered' | 'incomplete' | 'nothing-to-validate';
  digests: { total: number; valid: number; invalid: number };
  logs: { authentic: number; changed: number; deleted: number; unverified: number; notAcquired: number };
  keys: { region: string; fingerprint: string; validFrom: string | null; validTo: string | null; evidenceId: number }[];
  files: ValidationFile[];
  problems: ValidationProblem[];
}
