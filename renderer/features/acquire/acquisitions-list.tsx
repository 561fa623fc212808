import { useState } from 'react';
import { useAction } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import { formatBytes } from '../../components/format';
import { Time } from '../../components/time';
import type { AcquisitionSummary } from '../../../common/contract/acquire';
import { JobLine, useJob } from './use-job';

const RUNNABLE = new Set(['bucket', 'athena-setup', 'athena-query']);

/** What this case acquired from AWS, newest first; a planned or interrupted run can be (re)started here. */
export function AcquisitionsList({ list, onEnd }: { list: AcquisitionSummary[]; onEnd(): void }) {
  const [jobId, setJobId] = useState<string | null>(null);
  const run = useAction('runAcquisition', (r) => setJobId(r.jobId));
  const job = useJob(jobId, onEnd);
  if (list.length === 0) return <p className="muted">Nothing acquired from AWS yet.</p>;
  return (
    <div className="stack">
      <div className="table-scroll">
        <table className="data-table" aria-label="Acquisitions">
          <thead>
            <tr>
              <th>Kind</th>
              <th>What</th>
              <th>State</th>
              <th className="num">Objects</th>
              <th className="num">Size</th>
              <th>Evidence</th>
              <th>Updated</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((a) => {
              const resumable =
                RUNNABLE.has(a.kind) && (a.state === 'planned' || a.interrupted || a.state === 'failed' || a.state === 'cancelled');
              return (
                <tr key={a.id} data-state={a.state}>
                  <td className="nowrap">{a.kind}</td>
                  <td>
                    {a.label}
                    {a.error && (
                      <div className="small danger">
                        {a.error.message} <span className="muted">{a.error.hint}</span>
                      </div>
                    )}
                  </td>
                  <td className={a.state === 'failed' ? 'danger' : a.state === 'done' ? 'ok' : 'muted'}>
                    {a.interrupted ? 'interrupted' : a.state}
                  </td>
                  <td className="num">
                    {a.objectsDone} / {a.objectsTotal}
                  </td>
                  <td className="num">
                    {formatBytes(a.bytesDone)} / {formatBytes(a.bytesTotal)}
                  </td>
                  <td className="small">{a.evidenceIds.length ? a.evidenceIds.map((id) => `#${id}`).join(' ') : ''}</td>
                  <td className="small">
                    <Time iso={a.updatedAt} />
                  </td>
                  <td>
                    {resumable && (
                      <button
                        type="button"
                        className="btn btn-xs"
                        disabled={run.isPending || job?.state === 'running'}
                        onClick={() => run.mutate({ acquisitionId: a.id })}
                      >
                        {a.state === 'planned' ? 'Run' : 'Resume'}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ErrorBox error={run.error} onDismiss={run.reset} />
      <JobLine job={job} />
    </div>
  );
}
