import { Fragment, useState, type DragEvent } from 'react';
import type { TabProps } from '../case/tab-types';
import { useAction, useCall } from '../../lib/api';
import { chooseFiles, droppedFiles, tokens } from '../../lib/files';
import { useJobs } from '../jobs/jobs-drawer';
import { CopyButton } from '../../components/copy-button';
import { EmptyState } from '../../components/empty-state';
import { ErrorBox } from '../../components/error-box';
import { Progress } from '../../components/progress';
import { formatBytes } from '../../components/format';
import type { EvidenceItem } from '../../../common/contract/custody';
import { EvidenceDetails } from './evidence-details';
import './evidence.css';

/** Where an item came from, in one line. */
export function sourceText(i: EvidenceItem): string {
  if (i.source.path) return i.source.path;
  return [i.source.account, i.source.region, i.source.resource].filter(Boolean).join(' · ') || '—';
}

/**
 * Evidence of a case: table with hashes, import by picker or drag-and-drop with live progress. An item's details
 * open right below its row, where the click was (not after the last of hundreds of rows).
 */
export function EvidenceTab({ caseRecord, query }: TabProps) {
  const n = caseRecord.number;
  const items = useCall('listEvidence', { caseNumber: n });
  const importEvidence = useAction('importEvidence');
  const jobs = useJobs().filter((j) => j.kind === 'evidence-import' && j.caseNumber === n);
  const [selected, setSelected] = useState<number | null>(query.get('item') ? Number(query.get('item')) : null);
  const [dragging, setDragging] = useState(false);
  const [dropError, setDropError] = useState<Error | null>(null);
  const writable = !caseRecord.readOnly;

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (!writable) return;
    void droppedFiles(e.dataTransfer.files).then(
      ({ files, skipped }) => {
        setDropError(
          skipped
            ? new Error(
                `${skipped} dropped item(s) have no file behind them (folders or content from another app). Drop files from the file manager, or use Import files…`,
              )
            : null,
        );
        if (files.length) importEvidence.mutate({ caseNumber: n, files: tokens(files) });
      },
      (err: Error) => setDropError(err),
    );
  };
  const pick = async () => {
    setDropError(null);
    try {
      const files = await chooseFiles('evidence', { caseNumber: n });
      if (files.length) importEvidence.mutate({ caseNumber: n, files: tokens(files) });
    } catch (err) {
      setDropError(err as Error);
    }
  };
  const running = jobs.filter((j) => j.state === 'running');
  const failed = jobs.filter((j) => j.state === 'failed').slice(0, 3);

  return (
    <div
      className={`evidence-tab${dragging ? ' drop-active' : ''}`}
      onDragOver={(e) => {
        if (!writable) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <div className="toolbar">
        {writable && (
          <button type="button" className="btn btn-primary" onClick={() => void pick()} disabled={importEvidence.isPending}>
            Import files…
          </button>
        )}
        <span className="muted small">
          {writable
            ? 'or drop files anywhere here. Each file is hashed (MD5, SHA-1, SHA-256), copied into the case vault, re-checked and made read-only.'
            : 'Received case: read-only.'}
        </span>
      </div>
      <ErrorBox error={importEvidence.error ?? dropError ?? items.error} onDismiss={() => setDropError(null)} />
      {running.map((j) => (
        <div key={j.id} className="card import-job" aria-label={`Importing ${j.label}`}>
          <div className="row">
            <strong className="grow">{j.label}</strong>
            <span className="muted small">hashing and copying</span>
          </div>
          <Progress job={j} />
        </div>
      ))}
      {failed.map((j) => (
        <div key={j.id} className="error-box" role="alert">
          <div>
            <strong>
              {j.label} failed: {j.error?.message}
            </strong>
            <div className="muted">{j.error?.hint}</div>
          </div>
        </div>
      ))}
      {items.data?.length === 0 && running.length === 0 && (
        <EmptyState title="No evidence yet: drop files here or acquire from an instance">
          Use Import files… or drag files onto this tab. Acquisitions from the Actions tab appear here too.
        </EmptyState>
      )}
      {!!items.data?.length && (
        <table className="data-table evidence-table" aria-label="Evidence items">
          <thead>
            <tr>
              <th className="right">#</th>
              <th>Kind</th>
              <th>Description</th>
              <th>Source</th>
              <th className="right">Size</th>
              <th>SHA-256</th>
              <th className="evidence-custodian">Custodian</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {items.data.map((i) => (
              <Fragment key={i.id}>
                <tr
                  className="clickable"
                  aria-selected={selected === i.id}
                  tabIndex={0}
                  onClick={() => setSelected(selected === i.id ? null : i.id)}
                  onKeyDown={(e) => e.key === 'Enter' && setSelected(selected === i.id ? null : i.id)}
                >
                  <td className="right num">{i.id}</td>
                  <td className="nowrap">{i.kind}</td>
                  <td className="evidence-description">{i.description}</td>
                  <td className="evidence-source" title={sourceText(i)}>
                    {sourceText(i)}
                  </td>
                  <td className="right num nowrap">{i.size == null ? '—' : formatBytes(i.size)}</td>
                  <td className="nowrap">
                    {i.sha256 ? (
                      <>
                        <span className="mono" title={i.sha256}>
                          {i.sha256.slice(0, 12)}…
                        </span>{' '}
                        <span className="copy-inline">
                          <CopyButton value={i.sha256} />
                        </span>
                      </>
                    ) : (
                      <span className="muted">not reported</span>
                    )}
                  </td>
                  <td className="evidence-custodian">{i.custodian}</td>
                  <td>
                    <span className={`chip evidence-${i.status}`}>{i.status}</span>
                  </td>
                </tr>
                {selected === i.id && (
                  <tr className="details-row">
                    <td colSpan={8}>
                      <EvidenceDetails caseNumber={n} evidenceId={i.id} writable={writable} onClose={() => setSelected(null)} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
