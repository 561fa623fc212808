import type { CloudTrailValidation, ValidationFile } from '../../../common/contract/acquire';

/** The three answers an investigator needs (plus what could not be checked), in that order. */
export interface ValidationGroup {
  id: 'authentic' | 'missing' | 'changed' | 'unchecked';
  title: string;
  tone: 'ok' | 'warn' | 'danger' | 'muted';
  files: ValidationFile[];
}

/**
 * Groups validation files: proven authentic; missing (named by a digest but not in the bucket, or a
 * digest absent from the chain); changed or deleted (a hash or signature that does not match, or a file
 * deleted after delivery); and unchecked (not acquired, or no digest covers it). Pure, so it is tested.
 */
export function validationGroups(v: CloudTrailValidation): ValidationGroup[] {
  const of = (...s: ValidationFile['status'][]) => v.files.filter((f) => s.includes(f.status));
  return [
    { id: 'changed', title: 'Changed or deleted', tone: 'danger', files: of('changed', 'deleted') },
    { id: 'missing', title: 'Missing', tone: 'warn', files: of('missing') },
    { id: 'unchecked', title: 'Not proven (unverified or not acquired)', tone: 'muted', files: of('unverified', 'not-acquired') },
    { id: 'authentic', title: 'Proven authentic', tone: 'ok', files: of('authentic') },
  ];
}

export const VERDICT_TEXT: Record<CloudTrailValidation['verdict'], { title: string; detail: string }> = {
  intact: { title: 'Intact.', detail: 'Every digest is valid and every log file it names is proven authentic.' },
  tampered: { title: 'Tampered.', detail: 'A change, deletion or forgery is proven: see the files below.' },
  incomplete: { title: 'Incomplete.', detail: 'Nothing proves tampering, but some files or stretches of time could not be proven.' },
  'nothing-to-validate': {
    title: 'Nothing to validate.',
    detail: 'Acquire a trail or bucket with its digest files first (Log bucket above).',
  },
};
