import { useCall } from '../../lib/api';
import { caseTabPath, navigate } from '../../lib/router';
import { Time } from '../../components/time';
import { hitSummary } from '../iocs/hit-summary';

/** Values shorter than this are not looked up (every keystroke of a case title would otherwise be one). */
const MIN_LENGTH = 3;

/**
 * The case list search, across cases: the typed value looked up in the
 * indicator index (IPs, access key ids, ARNs, accounts, user agents, hashes,
 * domains in every case's events, findings, IOCs and received bundles). Each
 * case holding it opens its timeline searching for the value.
 */
export function IndicatorSearch({ value }: { value: string }) {
  const v = value.trim();
  const found = useCall('searchIndicator', { value: v }, { enabled: v.length >= MIN_LENGTH });
  if (v.length < MIN_LENGTH || !found.data || found.data.cases.length === 0) return null;
  return (
    <div className="card stack" role="region" aria-label="Found in cases">
      <h2>
        <span className="mono">{found.data.value}</span> <span className="muted small">({found.data.type})</span> is in{' '}
        {found.data.cases.length} case{found.data.cases.length === 1 ? '' : 's'}
      </h2>
      <table className="data-table" aria-label="Cases holding the value">
        <thead>
          <tr>
            <th>Case</th>
            <th>Title</th>
            <th>Seen</th>
            <th>First</th>
            <th>Last</th>
          </tr>
        </thead>
        <tbody>
          {found.data.cases.map((c) => (
            <tr key={c.caseNumber} className="clickable" onClick={() => navigate(caseTabPath(c.caseNumber, 'timeline'), { search: v })}>
              <td className="mono nowrap">
                <a href={`#${caseTabPath(c.caseNumber, 'timeline')}?search=${encodeURIComponent(v)}`}>{c.caseNumber}</a>
              </td>
              <td>
                {c.title}
                {c.readOnly && <span className="muted small"> · received, read-only</span>}
              </td>
              <td>{hitSummary(c)}</td>
              <td className="nowrap">
                <Time iso={c.firstSeen} />
              </td>
              <td className="nowrap">
                <Time iso={c.lastSeen} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
