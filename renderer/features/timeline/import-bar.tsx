import { chooseFiles, droppedFiles, tokens } from '../../lib/files';
import type { FileRef } from '../../../common/contract';
import { useEffect, useState, type DragEvent, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { call, changeQueue, onEvent, useAction, useCall, type ApiError } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import { Progress } from '../../components/progress';
import type { JobRecord } from '../../../common/contract/jobs';
import type { ImportReport } from '../../../common/contract/timeline';
import { FileReportLine } from './import-report';
import { reportSummary } from './import-summary';
import { caseTabPath, navigate } from '../../lib/router';
import { pivotQuery } from './filter-state';
import { REUSED_ISSUE } from '../../../common/import-issues';

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
export function ImportBar({ state, readOnly, caseNumber }: { state: ImportState; readOnly: boolean; caseNumber?: string }) {
  const { job, report, error } = state;
  return (
    <>
      {!readOnly && (
        <span className="row">
          {caseNumber && <KeepDuplicates caseNumber={caseNumber} />}
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
        <details className="small" role="status" data-testid="import-report">
          <summary>Last import: {reportSummary(report)}</summary>
          <ul className="plain-list">
            {report.files.map((f) => (
              <FileReportLine key={f.file} f={f} />
            ))}
          </ul>
        </details>
      )}
      {report && report.reused > 0 && caseNumber && <ShowReused caseNumber={caseNumber} />}
      <ErrorBox error={error} />
    </>
  );
}

/** Records kept though the case held their eventID want comparing: one click lists every one of them. */
function ShowReused({ caseNumber }: { caseNumber: string }) {
  return (
    <button
      type="button"
      className="btn btn-ghost btn-xs"
      onClick={() => navigate(caseTabPath(caseNumber, 'timeline'), pivotQuery('issue', REUSED_ISSUE))}
    >
      Show the records flagged {REUSED_ISSUE} →
    </button>
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

/** The case setting that imports records the case already holds (de-duplication off), e.g. to compare two trails. */
function KeepDuplicates({ caseNumber }: { caseNumber: string }) {
  const settings = useCall('getTimelineSettings', { caseNumber });
  const set = useAction('setTimelineSettings');
  return (
    <label
      className="row small"
      title="Off (default): a record the case already holds (same CloudTrail eventID and account, finding id and update, flow record) is skipped and counted. On: every record is imported again."
    >
      <input
        type="checkbox"
        checked={settings.data?.keepDuplicates ?? false}
        disabled={!settings.data || set.isPending}
        onChange={(e) => set.mutate({ caseNumber, keepDuplicates: e.target.checked })}
      />
      Keep duplicates
      <ErrorBox error={set.error} />
    </label>
  );
}

/** Every import of the case, newest first, file by file (what `listImports` keeps). */
export function ImportHistory({ caseNumber }: { caseNumber: string }) {
  const list = useCall('listImports', { caseNumber });
  if (!list.data?.length) return null;
  const files = list.data;
  const sum = (k: 'imported' | 'duplicates' | 'reused' | 'rejected') => files.reduce((a, f) => a + f[k], 0);
  const rejectedFiles = files.filter((f) => !f.duplicate && f.imported === 0 && f.duplicates === 0).length;
  return (
    <details className="small tl-imports" data-testid="import-history">
      <summary>
        All imports:{' '}
        {reportSummary({
          imported: sum('imported'),
          duplicates: sum('duplicates'),
          reused: sum('reused'),
          rejected: sum('rejected'),
          rejectedFiles,
          files,
        })}
      </summary>
      <ul className="plain-list">
        {files.map((f, i) => (
          <FileReportLine key={`${i} ${f.file}`} f={f} />
        ))}
      </ul>
    </details>
  );
}
