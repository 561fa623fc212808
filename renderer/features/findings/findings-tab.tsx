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
import { SOURCE_LABEL, findingKind, threatsFirst, type FindingKind } from './finding-kind';
import type { FindingRecord } from '../../../common/contract/timeline';
import './findings.css';

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational'] as const;
type Severity = (typeof SEVERITIES)[number];
const asSeverity = (v: string): Severity | undefined => SEVERITIES.find((s) => s === v);
type Source = FindingRecord['source'];

/**
 * GuardDuty and Security Hub findings: active threats first (then compliance checks), most severe first,
 * filtered by kind, source, severity and type. Open one to act on it: its instance's response actions
 * are one click away.
 */
export function FindingsTab({ caseRecord, query }: TabProps) {
  const caseNumber = caseRecord.number;
  const [severity, setSeverity] = useState(query.get('severity') ?? '');
  const [type, setType] = useState(query.get('type') ?? '');
  const [source, setSource] = useState<Source | ''>((query.get('source') as Source | null) ?? '');
  const [kind, setKind] = useState<FindingKind | ''>((query.get('kind') as FindingKind | null) ?? '');
  const all = useCall('listFindings', { caseNumber });
  const list = useCall('listFindings', { caseNumber, severity: asSeverity(severity), type: type || undefined });
  const importer = useImport(caseNumber);
  const selected = Number(query.get('finding')) || null;
  const types = [...new Set(all.data?.map((f) => f.type) ?? [])].sort();
  const shown = threatsFirst((list.data ?? []).filter((f) => (!source || f.source === source) && (!kind || findingKind(f) === kind)));
  const count = (pred: (f: FindingRecord) => boolean) => all.data?.filter(pred).length ?? 0;
  const select = (id: number | null) =>
    navigate(caseTabPath(caseNumber, 'findings'), {
      finding: id ? String(id) : undefined,
      severity: severity || undefined,
      type: type || undefined,
      source: source || undefined,
      kind: kind || undefined,
    });
  return (
    <DropZone state={importer} readOnly={caseRecord.readOnly} className="findings">
      <div className="toolbar sticky">
        <select value={kind} onChange={(e) => setKind(e.target.value as FindingKind | '')} aria-label="Kind">
          <option value="">Threats and compliance</option>
          <option value="threat">Threats ({count((f) => findingKind(f) === 'threat')})</option>
          <option value="compliance">Compliance checks ({count((f) => findingKind(f) === 'compliance')})</option>
        </select>
        <select value={source} onChange={(e) => setSource(e.target.value as Source | '')} aria-label="Source">
          <option value="">All sources</option>
          {(['guardduty', 'securityhub'] as const).map((s) => (
            <option key={s} value={s}>
              {SOURCE_LABEL[s]} ({count((f) => f.source === s)})
            </option>
          ))}
        </select>
        <select value={severity} onChange={(e) => setSeverity(e.target.value)} aria-label="Severity">
          <option value="">All severities</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s} ({count((f) => f.severityLabel === s)})
            </option>
          ))}
        </select>
        <select value={type} onChange={(e) => setType(e.target.value)} aria-label="Finding type" className="findings-type-filter">
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
      {list.data && shown.length === 0 && (
        <EmptyState title={all.data?.length ? 'No finding matches' : 'No findings yet'}>
          Import GuardDuty or Security Hub exports (get-findings output, EventBridge events, S3 exports): drop them here or use Import
          files…
        </EmptyState>
      )}
      <div className={`findings-body${selected ? ' with-panel' : ''}`}>
        {shown.length > 0 && (
          <div className="findings-scroll">
            <table className="data-table findings-table" aria-label="Findings">
              <thead>
                <tr>
                  <th>Severity</th>
                  <th>Finding</th>
                  <th>Resources</th>
                  <th className="nowrap">Last seen (UTC)</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((f) => (
                  <tr
                    key={f.id}
                    data-finding-id={f.id}
                    className={selected === f.id ? 'selected' : ''}
                    aria-selected={selected === f.id}
                    tabIndex={0}
                    onClick={() => select(f.id)}
                    onKeyDown={(e) => e.key === 'Enter' && select(f.id)}
                  >
                    <td className="nowrap">
                      <SeverityChip severity={f.severityLabel} /> <span className="num muted">{f.severityScore}</span>
                    </td>
                    <td className="finding-cell">
                      <div>{f.title}</div>
                      <div className="small muted">
                        <span className={`kind kind-${findingKind(f)}`}>{findingKind(f) === 'threat' ? 'Threat' : 'Compliance'}</span> ·{' '}
                        {SOURCE_LABEL[f.source]} · <span className="mono">{f.type}</span>
                        {f.linkedCases.length > 0 && <> · linked {f.linkedCases.join(', ')}</>}
                      </div>
                    </td>
                    <td className="mono small findings-resources">
                      {f.resources
                        .slice(0, 2)
                        .map((r) => r.id)
                        .join(', ')}
                      {f.resources.length > 2 ? ` +${f.resources.length - 2}` : ''}
                    </td>
                    <td className="num nowrap small">{f.lastSeen?.slice(0, 16).replace('T', ' ') ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {selected && (
          <FindingDetailPanel
            caseRecord={caseRecord}
            findingId={selected}
            onClose={() => select(null)}
            onTimeline={(id) => navigate(caseTabPath(caseNumber, 'timeline'), pivotQuery('search', id))}
          />
        )}
      </div>
    </DropZone>
  );
}
