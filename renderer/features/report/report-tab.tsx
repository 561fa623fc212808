import { useState } from 'react';
import type { TabProps } from '../case/tab-types';
import { chooseSaveLocation } from '../../lib/files';
import { useAction, useCall } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import { CopyButton } from '../../components/copy-button';
import { REPORT_SECTIONS, type ReportSectionId } from '../../../common/contract/reports';
import { ReportPreview } from './report-preview';
import './report.css';

const CHOOSABLE = REPORT_SECTIONS.filter((s) => s.id !== 'cover');
type Scope = 'notable' | 'flagged' | 'all';

/** Choose what the report holds, preview it exactly, export HTML/PDF (recorded as evidence) or a signed bundle. */
export function ReportTab({ caseRecord }: TabProps) {
  const n = caseRecord.number;
  const [chosen, setChosen] = useState<Set<ReportSectionId>>(() => new Set(CHOOSABLE.map((s) => s.id)));
  const [scope, setScope] = useState<Scope>('notable');
  const [limit, setLimit] = useState(1000);
  const [withEvidence, setWithEvidence] = useState(false);
  const options = {
    caseNumber: n,
    sections: CHOOSABLE.map((s) => s.id).filter((id) => chosen.has(id)),
    timelineScope: scope,
    timelineLimit: limit,
  };
  const preview = useCall('previewReport', options, { staleTime: 0 });
  const exportReport = useAction('exportReport');
  const exportBundle = useAction('exportBundle');
  const toggle = (id: ReportSectionId) =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const [chooseError, setChooseError] = useState<Error | null>(null);
  /** Asks main where to save (a token), then exports there; cancelling the dialog does nothing. */
  const saveAs = (purpose: 'report-pdf' | 'report-html' | 'bundle', then: (out: string) => void) =>
    void chooseSaveLocation(purpose, n).then((out) => out && then(out.token), setChooseError);
  const report = exportReport.data;
  const bundle = exportBundle.data;

  return (
    <div className="report-tab">
      <div className="report-options">
        <fieldset>
          <legend>Sections</legend>
          <div className="row small">
            <button type="button" className="btn btn-xs" onClick={() => setChosen(new Set(CHOOSABLE.map((s) => s.id)))}>
              All
            </button>
            <button type="button" className="btn btn-xs" onClick={() => setChosen(new Set())}>
              None
            </button>
            <span className="muted">The cover is always included.</span>
          </div>
          <div className="section-list" role="group" aria-label="Report sections">
            {CHOOSABLE.map((s) => (
              <label key={s.id} className="check">
                <input type="checkbox" checked={chosen.has(s.id)} onChange={() => toggle(s.id)} />
                {s.title}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset disabled={!chosen.has('timeline')}>
          <legend>Timeline</legend>
          <label className="check">
            <input type="radio" name="scope" checked={scope === 'notable'} onChange={() => setScope('notable')} /> Highlighted and flagged
            events
          </label>
          <label className="check">
            <input type="radio" name="scope" checked={scope === 'flagged'} onChange={() => setScope('flagged')} /> Flagged events only
          </label>
          <label className="check">
            <input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} /> All events
          </label>
          <label className="check small">
            At most
            <input
              className="limit-input"
              type="number"
              min={1}
              max={100000}
              value={limit}
              aria-label="Timeline event limit"
              onChange={(e) => setLimit(Math.max(1, Math.min(100000, Number(e.target.value) || 1)))}
            />
            events
          </label>
        </fieldset>
        <fieldset>
          <legend>Export</legend>
          <div className="actions">
            <button
              type="button"
              className="btn btn-primary"
              disabled={exportReport.isPending}
              onClick={() => saveAs('report-pdf', (out) => exportReport.mutate({ ...options, format: 'pdf', out }))}
            >
              {exportReport.isPending && exportReport.variables?.format === 'pdf' ? 'Printing PDF…' : 'Export PDF…'}
            </button>
            <button
              type="button"
              className="btn"
              disabled={exportReport.isPending}
              onClick={() => saveAs('report-html', (out) => exportReport.mutate({ ...options, format: 'html', out }))}
            >
              Export HTML…
            </button>
            <label className="check small">
              <input type="checkbox" checked={withEvidence} onChange={(e) => setWithEvidence(e.target.checked)} /> Include evidence files in
              the bundle
            </label>
            <button
              type="button"
              className="btn"
              disabled={exportBundle.isPending}
              onClick={() => saveAs('bundle', (out) => exportBundle.mutate({ caseNumber: n, withEvidence, out }))}
            >
              {exportBundle.isPending ? 'Writing bundle…' : 'Export signed bundle…'}
            </button>
          </div>
        </fieldset>
        <ErrorBox error={exportReport.error ?? exportBundle.error ?? chooseError} />
        {report && (
          <div className="notice report-result small" role="status" aria-label="Report exported">
            Wrote the {report.format.toUpperCase()} report <span className="mono">{report.reportId}</span> to{' '}
            <span className="mono">{report.path}</span>.
            <br />
            SHA-256 <span className="mono">{report.sha256}</span> <CopyButton value={report.sha256} />
            <br />
            {report.evidenceId
              ? `Recorded as evidence item #${report.evidenceId} with an "exported" custody entry.`
              : 'Not recorded as evidence (read-only case or no identity); the export is in the activity log.'}
          </div>
        )}
        {bundle && (
          <div className="notice report-result small" role="status" aria-label="Bundle exported">
            Wrote the signed bundle <span className="mono">{bundle.path}</span> ({bundle.files} files
            {bundle.withEvidence ? ', evidence included' : ''}).
            <br />
            SHA-256 <span className="mono">{bundle.sha256}</span> <CopyButton value={bundle.sha256} />
            <br />
            Send this hash to the receiver by another channel; they check the bundle with <span className="mono">lariat verify</span> or
            Import bundle.
          </div>
        )}
      </div>
      <section className="report-preview-pane" aria-label="Report preview">
        <header>
          <strong>Preview</strong>
          <span className="muted small grow">
            {preview.data
              ? `${preview.data.reportId} · template “${preview.data.template}” · the exported file adds the custody verification verdict`
              : preview.isFetching
                ? 'Rendering…'
                : ''}
          </span>
          <button type="button" className="btn btn-xs" onClick={() => void preview.refetch()} disabled={preview.isFetching}>
            Refresh
          </button>
        </header>
        <ErrorBox error={preview.error} />
        {preview.data && <ReportPreview body={preview.data.body} title={`Report preview of ${n}`} />}
      </section>
    </div>
  );
}
