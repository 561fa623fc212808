import { useState, type FormEvent } from 'react';
import { useAction } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import { formatUtc } from '../../components/format';
import type { CoverageMap } from '../../../common/contract/acquire';
import { listOf } from './form-input';
import { COVERAGE_COLUMNS, coverageCells } from './coverage-cells';

/**
 * Per account and region: which logging exists (trails, multi-region, validation, data events, flow
 * logs, GuardDuty, Security Hub) and where the blind spots are. The map is saved to the case as evidence.
 */
export function CoverageGrid({ caseNumber, regions }: { caseNumber: string; regions: string[] }) {
  const [regionText, setRegionText] = useState(regions.join(', '));
  const [accounts, setAccounts] = useState('');
  const [organization, setOrganization] = useState(false);
  const [roleName, setRoleName] = useState('');
  const map = useAction('loggingCoverage');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const list = listOf(accounts);
    const scope =
      list || organization
        ? { accounts: list, organization: organization || undefined, roleName: roleName.trim() || undefined }
        : undefined;
    map.mutate({ caseNumber, regions: listOf(regionText), scope });
  };
  return (
    <section className="card stack" aria-label="Logging coverage">
      <form className="stack" onSubmit={submit} aria-label="Coverage options">
        <h2>Logging coverage and blind spots</h2>
        <div className="acquire-fields">
          <label className="field">
            <span>Regions</span>
            <input value={regionText} onChange={(e) => setRegionText(e.target.value)} placeholder="the case's regions" />
          </label>
          <label className="field">
            <span>Accounts</span>
            <input value={accounts} onChange={(e) => setAccounts(e.target.value)} placeholder="the current account" />
          </label>
          <label className="field">
            <span>Role in other accounts</span>
            <input value={roleName} onChange={(e) => setRoleName(e.target.value)} placeholder="LariatResponder" />
          </label>
        </div>
        <label className="row small">
          <input type="checkbox" checked={organization} onChange={(e) => setOrganization(e.target.checked)} /> Every account of the AWS
          Organization (organizations:ListAccounts)
        </label>
        <div className="row">
          <button type="submit" className="btn" disabled={map.isPending}>
            {map.isPending ? 'Checking…' : 'Check coverage'}
          </button>
        </div>
      </form>
      <ErrorBox error={map.error} onDismiss={map.reset} />
      {map.data && <Grid map={map.data} />}
    </section>
  );
}

function Grid({ map }: { map: CoverageMap }) {
  const unreachable = map.accounts.filter((a) => a.error);
  return (
    <div className="stack">
      <p className="small muted">
        Checked {formatUtc(map.generatedAt)}
        {map.evidenceId != null ? ` · saved as evidence #${map.evidenceId}` : ''}. Blind spots are highlighted.
      </p>
      {unreachable.map((a) => (
        <p key={a.account} className="danger small" role="alert">
          {a.account}: {a.error}
        </p>
      ))}
      <div className="table-scroll">
        <table className="data-table coverage-grid" aria-label="Coverage grid">
          <thead>
            <tr>
              <th>Account</th>
              <th>Region</th>
              {COVERAGE_COLUMNS.map((c) => (
                <th key={c}>{c}</th>
              ))}
              <th>Blind spots</th>
            </tr>
          </thead>
          <tbody>
            {map.regions.map((r) => (
              <tr key={`${r.account}/${r.region}`} data-gaps={r.gaps.length}>
                <td className="mono">{r.account}</td>
                <td className="mono">{r.region}</td>
                {coverageCells(r).map((cell, i) => (
                  <td key={i} className={`cov-${cell.state}`} data-state={cell.state}>
                    {cell.text}
                  </td>
                ))}
                <td className="small">
                  {r.gaps.join('; ')}
                  {r.errors.length > 0 && <div className="muted">{r.errors.join('; ')}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
