import type { ImportFileReport } from '../../../common/contract/timeline';

const n = (x: number) => x.toLocaleString('en-US');

/** One file of an import: the format recognised, what came in, what was skipped and why, and the first errors. */
export function FileReportLine({ f }: { f: ImportFileReport }) {
  const rejectedFile = !f.duplicate && f.imported === 0 && f.duplicates === 0;
  return (
    <li data-rejected={rejectedFile || undefined}>
      <span className="mono">{f.file}</span> · {f.format ? `recognised as ${f.format}` : 'format not recognised'}
      {f.duplicate ? (
        ' · the same file was imported before: skipped'
      ) : (
        <>
          {' '}
          · {n(f.imported)} imported
          {f.duplicates > 0 && `, ${n(f.duplicates)} duplicate(s) skipped`}
          {f.reused > 0 && `, ${n(f.reused)} kept though the case held their eventID (flagged event-id-reused)`}
          {f.rejected > 0 && `, ${n(f.rejected)} rejected`}
          {f.truncated && <span className="warn"> · partial: the file ends mid-record, the complete records before the cut were kept</span>}
          {rejectedFile && <strong className="danger"> · rejected</strong>}
        </>
      )}
      {f.duplicatesOf.length > 0 && (
        <div className="small muted">Already in the case from: {f.duplicatesOf.map((d) => `${d.file} (${n(d.count)})`).join(', ')}</div>
      )}
      {f.errors.slice(0, 5).map((e) => (
        <div key={e} className="warn">
          {e}
        </div>
      ))}
    </li>
  );
}
