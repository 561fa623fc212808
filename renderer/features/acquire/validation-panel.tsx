import { useAction } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import { formatUtc } from '../../components/format';
import type { CloudTrailValidation, ValidationFile } from '../../../common/contract/acquire';
import { validationGroups, VERDICT_TEXT } from './validation-groups';

/**
 * The offline CloudTrail validation: AWS's digest chain and public keys, checked here without network.
 * Files are grouped the way the report shows them: proven authentic, missing, changed or deleted.
 */
export function ValidationPanel({ caseNumber }: { caseNumber: string }) {
  const validate = useAction('validateCloudTrail');
  const v = validate.data;
  return (
    <section className="card stack" aria-label="CloudTrail validation">
      <div className="row">
        <h2 className="grow">CloudTrail log file validation (offline)</h2>
        <button type="button" className="btn" disabled={validate.isPending} onClick={() => validate.mutate({ caseNumber })}>
          {validate.isPending ? 'Validating…' : v ? 'Validate again' : 'Validate offline'}
        </button>
      </div>
      <p className="small muted">
        Checks each digest&apos;s RSA signature with the acquired public key it names, the link to the previous digest, and every log
        file&apos;s SHA-256 against its digest. No network is used.
      </p>
      <ErrorBox error={validate.error} onDismiss={validate.reset} />
      {v && <ValidationResult v={v} />}
    </section>
  );
}

function ValidationResult({ v }: { v: CloudTrailValidation }) {
  const groups = validationGroups(v);
  const verdict = VERDICT_TEXT[v.verdict];
  return (
    <div className="stack">
      <p className={`notice verdict-${v.verdict}`} role="status">
        <strong>{verdict.title}</strong> {verdict.detail} <span className="muted small">Validated {formatUtc(v.validatedAt)}.</span>
      </p>
      <dl className="facts">
        <dt>Digests</dt>
        <dd>
          {v.digests.valid} valid of {v.digests.total}
          {v.digests.invalid > 0 && <span className="danger"> · {v.digests.invalid} invalid</span>}
        </dd>
        <dt>Log files</dt>
        <dd>
          {v.logs.authentic} proven authentic · {v.logs.changed} changed · {v.logs.deleted} deleted · {v.logs.unverified} unverified ·{' '}
          {v.logs.notAcquired} not acquired
        </dd>
        <dt>Keys</dt>
        <dd className="mono small">{v.keys.map((k) => `${k.region} ${k.fingerprint}`).join(', ') || 'none acquired'}</dd>
      </dl>
      {v.problems.length > 0 && (
        <ul className="plain-list" aria-label="Validation problems">
          {v.problems.map((p, i) => (
            <li key={i} className={p.severity === 'tampering' ? 'danger' : 'warn'}>
              <strong>{p.kind}</strong> {p.message}
            </li>
          ))}
        </ul>
      )}
      {groups.map((g) => (
        <FileGroup key={g.id} title={g.title} files={g.files} tone={g.tone} />
      ))}
    </div>
  );
}

function FileGroup({ title, files, tone }: { title: string; files: ValidationFile[]; tone: string }) {
  if (files.length === 0) return null;
  return (
    <details open={tone !== 'ok'}>
      <summary className={tone}>
        {title} ({files.length})
      </summary>
      <table className="data-table" aria-label={title}>
        <thead>
          <tr>
            <th>Kind</th>
            <th>Object</th>
            <th>Account / region</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {files.map((f) => (
            <tr key={`${f.bucket}/${f.key}`} data-status={f.status}>
              <td>{f.kind}</td>
              <td className="mono small">
                s3://{f.bucket}/{f.key}
              </td>
              <td className="mono small">
                {f.account ?? ''} {f.region ?? ''}
              </td>
              <td className="small">{f.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
