import { useState } from 'react';
import type { TabProps } from '../case/tab-types';
import { useCall } from '../../lib/api';
import { caseTabPath, navigate } from '../../lib/router';
import { ErrorBox } from '../../components/error-box';
import { EmptyState } from '../../components/empty-state';
import { SeverityChip } from '../../components/chips';
import { DropZone, ImportBar, useImport } from '../timeline/import-bar';
import { pivotQuery } from '../timeline/filter-state';
import { FindingDetailPanel } from './finding-detail';
import './findings.css';

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational'] as const;
type Severity = (typeof SEVERITIES)[number];
const asSeverity = (v: string): Severity | undefined => SEVERITIES.find((s) => s === v);

/** GuardDuty and Security Hub findings, most severe first; open one to act on it. */
export function FindingsTab({ caseRecord, query }: TabProps) {
  const caseNumber = caseRecord.number;
  const [severity, setSeverity] = useState(query.get('severity') ?? '');
  const [type, setType] = useState(query.get('type') ?? '');
  const all = useCall('listFindings', { caseNumber });
  const list = useCall('listFindings', { caseNumber, severity: asSeverity(severity), type: type || undefined });
  const importer = useImport(caseNumber);
  const selected = Number(query.get('finding')) || null;
  const types = [...new Set(all.data?.map((f) => f.type) ?? [])].sort();
  const select = (id: number | null) =>
    navigate(caseTabPath(caseNumber, 'findings'), {
      finding: id ? String(id) : undefined,
      severity: severity || undefined,
      type: type || undefined,
    });
  return (
    <DropZone state={importer} readOnly={caseRecord.readOnly} className="findings">
      <div className="toolbar sticky">
        <select value={severity} onChange={(e) => setSeverity(e.target.value)} aria-label="Severity">
          <option value="">All severities</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s} ({all.data?.filter((f) => f.severityLabel === s).length ?? 0})
            </option>
          ))}
        </select>
        <select value={type} onChange={(e) => setType(e.target.value)} aria-label="Finding type" className="grow">
          <option value="">All types</option>
          {types.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <ImportBar state={importer} readOnly={caseRecord.readOnly} />
      </div>
      <ErrorBox error={list.error} />
      {list.data?.length === 0 && (
        <EmptyState title={all.data?.length ? 'No finding matches' : 'No findings yet'}>
          Import GuardDuty or Security Hub exports (get-findings output, EventBridge events, S3 exports): drop them here or use Import
          files…
        </EmptyState>
      )}
      <div className="findings-body">
        {list.data && list.data.length > 0 && (
          <div className="findings-scroll">
            <table className="data-table findings-table" aria-label="Findings">
              <thead>
                <tr>
                  <th>Severity</th>
                  <th>Source</th>
                  <th>Type</th>
                  <th>Title</th>
                  <th>Last seen (UTC)</th>
                  <th>Resources</th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((f) => (
                  <tr
                    key={f.id}
                    className={selected === f.id ? 'selected' : ''}
                    tabIndex={0}
                    onClick={() => select(f.id)}
                    onKeyDown={(e) => e.key === 'Enter' && select(f.id)}
                  >
                    <td className="nowrap">
                      <SeverityChip severity={f.severityLabel} /> <span className="num muted">{f.severityScore}</span>
                    </td>
                    <td>{f.source === 'guardduty' ? 'GuardDuty' : 'Security Hub'}</td>
                    <td className="mono small">{f.type}</td>
                    <td>
                      {f.title}
                      {f.linkedCases.length > 0 && <span className="muted small"> · linked {f.linkedCases.join(', ')}</span>}
                    </td>
                    <td className="num nowrap">{f.lastSeen?.slice(0, 19).replace('T', ' ') ?? '—'}</td>
                    <td className="mono small">
                      {f.resources
                        .slice(0, 2)
                        .map((r) => r.id)
                        .join(', ')}
                      {f.resources.length > 2 ? ` +${f.resources.length - 2}` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {selected && (
          <FindingDetailPanel
            caseNumber={caseNumber}
            findingId={selected}
            readOnly={caseRecord.readOnly}
            onClose={() => select(null)}
            onTimeline={(id) => navigate(caseTabPath(caseNumber, 'timeline'), pivotQuery('search', id))}
          />
        )}
      </div>
    </DropZone>
  );
}
