import { useEffect, useState } from 'react';
import { call, onEvent, type ApiError } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import type { DatabaseCheck } from '../../../common/contract/timeline';
import { JobLine, useJob } from '../acquire/use-job';
import { checkSummary } from './check-summary';

/**
 * Settings panel: SQLite's full integrity check of the case database and the search index, on demand (`lariat db
 * check` in the app). Opening a case does not scan it (only after an unclean shutdown or an upgrade), so this is
 * where an investigator proves the files sound before an export, or finds what a damaged disk did. The check is a
 * job (progress, cancel); its result arrives as `databaseChecked`, kept by job id since it may arrive before the
 * call that started the job has returned.
 */
export function DatabasePanel() {
  const [jobId, setJobId] = useState<string | null>(null);
  const [results, setResults] = useState<Record<string, DatabaseCheck>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const job = useJob(jobId);
  useEffect(() => onEvent('databaseChecked', (r) => setResults((all) => ({ ...all, [r.jobId]: r }))), []);
  const start = async () => {
    setError(null);
    try {
      setJobId((await call('checkDatabase', {})).jobId);
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const result = jobId ? results[jobId] : undefined;
  const summary = result ? checkSummary(result) : null;
  return (
    <section className="card stack" aria-label="Database check">
      <h2>Database check</h2>
      <p className="small muted">
        Opening a case does not scan its database: SQLite&apos;s integrity check runs at start only after an unclean shutdown or an upgrade.
        Run the full check here (<code>lariat db check</code> on the command line) before an export or after a disk problem. It reads every
        page of the case database and the search index (minutes on a big case) and brings the search index in line with the events; a
        damaged search index, which is derived from the case database, is set aside and rebuilt here, without a restart.
      </p>
      <div className="row">
        <button type="button" className="btn" disabled={job?.state === 'running'} onClick={() => void start()}>
          Check the database
        </button>
      </div>
      <ErrorBox error={error} />
      {job?.state !== 'done' && <JobLine job={job} />}
      {summary && (
        <div className="stack" role="status" aria-label="Database check result" data-ok={String(result?.ok)}>
          <strong className={result?.ok ? 'ok' : 'danger'}>{summary.verdict}</strong>
          <dl className="facts">
            {summary.parts.map((p) => (
              <div key={p.label} style={{ display: 'contents' }}>
                <dt>{p.label}</dt>
                <dd className={p.ok ? 'mono' : 'mono danger'}>{p.text}</dd>
              </div>
            ))}
          </dl>
          {summary.hint && (
            <p className="small" role="alert">
              <strong>What to do: </strong>
              {summary.hint}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
