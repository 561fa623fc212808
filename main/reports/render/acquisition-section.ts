import type { CloudTrailValidation, ValidationFile } from '../../../common/contract/acquire';
import type { AcquisitionRow } from '../report-data';
import { breakable, utc } from './format';

/** Files listed by name per group at most; the rest are counted (a year of logs is hundreds of thousands). */
export const FILES_LISTED = 500;

const VERDICT: Record<CloudTrailValidation['verdict'], string> = {
  intact: 'INTACT: every digest is valid and every log file it names is proven authentic',
  tampered: 'TAMPERED: a change, deletion or forgery is proven',
  incomplete: 'INCOMPLETE: nothing proves tampering, but some files or stretches of time could not be proven',
  'nothing-to-validate': 'NOTHING TO VALIDATE',
};

function group(title: string, files: ValidationFile[], why: boolean) {
  return {
    title,
    count: files.length,
    files: files.slice(0, FILES_LISTED).map((f) => ({
      key: breakable(`s3://${f.bucket}/${f.key}`),
      kind: f.kind,
      evidence: f.evidenceId != null ? `E-${f.evidenceId}` : '',
      reason: why ? (f.reason ?? f.status) : '',
    })),
    more: files.length > FILES_LISTED ? `and ${(files.length - FILES_LISTED).toLocaleString('en-US')} more` : '',
  };
}

/**
 * The evidence section's AWS part (issue 18): the acquisitions with their source, and the offline
 * CloudTrail validation as three answers: which files are proven authentic, which are missing, which
 * were changed or deleted. Null parts are left out by the template.
 */
export function acquisitionSection(rows: AcquisitionRow[] | null, v: CloudTrailValidation | null, pending: boolean) {
  const of = (...s: ValidationFile['status'][]) => (v ? v.files.filter((f) => s.includes(f.status)) : []);
  return {
    acquisitions: (rows ?? []).map((a) => ({
      ...a,
      source: breakable(a.source),
      evidence: a.evidenceIds.length > 8 ? `${a.evidenceIds.length} items` : a.evidenceIds.map((id) => `E-${id}`).join(', '),
      at: utc(a.at),
    })),
    validation: v && {
      verdict: VERDICT[v.verdict],
      ok: v.verdict === 'intact',
      at: utc(v.validatedAt),
      counts: `Digests: ${v.digests.valid} valid of ${v.digests.total}. Log files: ${v.logs.authentic} proven authentic, ${v.logs.changed} changed, ${v.logs.deleted} deleted, ${v.logs.unverified} unverified, ${v.logs.notAcquired} not acquired.`,
      keys: v.keys.map((k) => `${k.region} ${k.fingerprint} (E-${k.evidenceId})`).join('; '),
      problems: v.problems.map((p) => `${p.kind}: ${p.message}`),
      groups: [
        group('Changed or deleted', of('changed', 'deleted'), true),
        group('Missing', of('missing'), true),
        group('Not proven (unverified or not acquired)', of('unverified', 'not-acquired'), true),
        group('Proven authentic', of('authentic'), false),
      ].filter((g) => g.count > 0),
    },
    validationPending: pending,
  };
}
