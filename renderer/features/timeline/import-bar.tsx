import { chooseFiles, droppedFiles, tokens } from '../../lib/files';
import type { FileRef } from '../../../common/contract';
import { useEffect, useState, type DragEvent, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { call, changeQueue, onEvent, type ApiError } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import { Progress } from '../../components/progress';
import type { JobRecord } from '../../../common/contract/jobs';
import type { ImportReport } from '../../../common/contract/timeline';

/** Import state shared by the buttons and the drop zone: the running job and the last report. */
export function useImport(caseNumber: string) {
  const client = useQueryClient();
  const [job, setJob] = useState<JobRecord | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<ApiError | Error | null>(null);
  useEffect(() => onEvent('jobProgress', (j) => j.id === jobId && setJob(j)), [jobId]);
  useEffect(
    () =>
      onEvent('timelineImported', (r) => {
        if (r.caseNumber !== caseNumber) return;
        setReport(r);
        // An import adds events, findings and evidence (one item per file) with its custody entries.
        const changed = (['timeline', 'findings', 'evidence', 'custody'] as const).map((what) => ({ caseNumber, what }));
        changeQueue(client).push(...changed);
      }),
    [caseNumber, client],
  );
  const importFiles = async (files: FileRef[]): Promise<{ jobId: string | null }> =>
    files.length ? call('importLogs', { caseNumber, files: tokens(files) }) : { jobId: null };
  const run = async (p: Promise<{ jobId: string | null }>) => {
    setError(null);
    try {
      const { jobId: id } = await p;
      if (id) setJobId(id);
    } catch (e) {
      setError(e as ApiError);
    }
  };
  return {
    job: job && job.id === jobId ? job : null,
    report,
    error,
    pick: (folders: boolean) => run(chooseFiles('timeline', { caseNumber, folders }).then(importFiles)),
    importDropped: (files: FileList) => run(droppedFiles(files).then((d) => importFiles(d.files))),
    cancel: () => jobId && call('cancelJob', { jobId }),
  };
}

export type ImportState = ReturnType<typeof useImport>;

/** Buttons, progress and the per-file report of the last import. */
export function ImportBar({ state, readOnly }: { state: ImportState; readOnly: boolean }) {
  const { job, report, error } = state;
  return (
    <>
      {!readOnly && (
        <span className="row">
          <button type="button" className="btn" onClick={() => void state.pick(false)}>
            Import files…
          </button>
          <button type="button" className="btn" onClick={() => void state.pick(true)}>
            Import folder…
          </button>
        </span>
      )}
      {job?.state === 'running' && (
        <span className="row" role="status">
          Importing <Progress job={job} />
          <button type="button" className="btn btn-ghost btn-xs" onClick={() => void state.cancel()}>
            Cancel
          </button>
        </span>
      )}
      {job?.state === 'failed' && job.error && <ErrorBox error={Object.assign(new Error(job.error.message), { hint: job.error.hint })} />}
      {report && (
        <details className="small" role="status">
          <summary>
            Last import: {report.imported} imported, {report.flagged} flagged, {report.rejected} rejected from {report.files.length} file(s)
          </summary>
          <ul className="plain-list">
            {report.files.map((f) => (
              <li key={f.file}>
                <span className="mono">{f.file}</span> · {f.format ?? 'unknown format'} · {f.imported} imported, {f.flagged} flagged,{' '}
                {f.rejected} rejected{f.duplicate ? ' · duplicate, skipped' : ''}
                {f.errors.slice(0, 5).map((e) => (
                  <div key={e} className="warn">
                    {e}
                  </div>
                ))}
              </li>
            ))}
          </ul>
        </details>
      )}
      <ErrorBox error={error} />
    </>
  );
}

/** Wraps a view so files dropped onto it are imported (tokens via `window.lariat.dropFiles`; no path reaches the renderer). */
export function DropZone({
  state,
  readOnly,
  className,
  children,
}: {
  state: ImportState;
  readOnly: boolean;
  className: string;
  children: ReactNode;
}) {
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (readOnly) return;
    if (e.dataTransfer.files.length) void state.importDropped(e.dataTransfer.files);
  };
  return (
    <div
      className={`${className}${over ? ' drop-active' : ''}`}
      onDragOver={(e) => {
        if (readOnly) return;
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      {children}
    </div>
  );
}
