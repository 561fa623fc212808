import { useState, type FormEvent } from 'react';
import type { TabProps } from '../case/tab-types';
import { useAction, useCall } from '../../lib/api';
import { EmptyState } from '../../components/empty-state';
import { ErrorBox } from '../../components/error-box';
import { Time } from '../../components/time';
import type { AssetRecord } from '../../../common/contract/assets';
import { AssetDetails } from './asset-details';
import './assets.css';

/** Every asset of the case (any kind), EC2 discovery across the case's regions, and the selected asset's details and actions. */
export function AssetsTab({ caseRecord, query }: TabProps) {
  const n = caseRecord.number;
  const assets = useCall('listAssets', { caseNumber: n });
  const [selected, setSelected] = useState<number | null>(query.get('asset') ? Number(query.get('asset')) : null);
  const current = assets.data?.find((a) => a.id === selected) ?? null;
  return (
    <div className="assets-tab">
      {!caseRecord.readOnly && <Discovery caseNumber={n} regions={caseRecord.regions} onAdded={(a) => setSelected(a.id)} />}
      <ErrorBox error={assets.error} />
      <div className="assets-layout">
        <section aria-label="Assets of the case" className="assets-list">
          {assets.data && assets.data.length === 0 ? (
            <EmptyState title="No assets yet">
              Search for an EC2 instance above (id, Name, IP or tag key=value) and add it, or let findings and imports add the resources
              they name.
            </EmptyState>
          ) : (
            <table className="data-table">
              <thead>
                <tr>
                  <th>Kind</th>
                  <th>Identifier</th>
                  <th>Label</th>
                  <th>Region</th>
                  <th>State</th>
                  <th>Updated</th>
                </tr>
              </thead>
              <tbody>
                {(assets.data ?? []).map((a) => (
                  <tr
                    key={a.id}
                    data-asset-id={a.id}
                    className="clickable"
                    tabIndex={0}
                    aria-selected={a.id === selected}
                    onClick={() => setSelected(a.id)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' || e.key === ' ') {
                        e.preventDefault();
                        setSelected(a.id);
                      }
                    }}
                  >
                    <td className="nowrap">{a.kind}</td>
                    <td className="mono">{a.identifier}</td>
                    <td>{a.label}</td>
                    <td className="mono nowrap">{a.region ?? ''}</td>
                    <td className="nowrap">{isolationChip(a)}</td>
                    <td className="nowrap">
                      <Time iso={a.updatedAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        {current && <AssetDetails caseRecord={caseRecord} asset={current} onClose={() => setSelected(null)} />}
      </div>
    </div>
  );
}

function isolationChip(a: AssetRecord) {
  const state = typeof a.details.isolation === 'string' ? a.details.isolation : null;
  if (!state) return a.kind === 'ec2-instance' ? <span className="muted small">{String(a.details.state ?? '')}</span> : null;
  return <span className={`chip isolation-${state}`}>{state}</span>;
}

/** Search EC2 across the case regions and add a result to the case. */
function Discovery({ caseNumber, regions, onAdded }: { caseNumber: string; regions: string[]; onAdded(a: AssetRecord): void }) {
  const [q, setQ] = useState('');
  const [regionText, setRegionText] = useState(regions.join(', '));
  const find = useAction('findInstances');
  const add = useAction('addInstanceToCase');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const list = regionText.split(/[\s,]+/).filter(Boolean);
    if (q.trim()) find.mutate({ caseNumber, query: q.trim(), regions: list.length ? list : undefined });
  };
  return (
    <div className="card discovery">
      <form className="toolbar" onSubmit={submit} role="search">
        <label className="field grow">
          <span>Find EC2 instances by id, Name, private/public IP or tag key=value</span>
          <input
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder="i-0abc…, web-1, 10.0.1.15, env=prod"
            aria-label="Instance search"
          />
        </label>
        <label className="field">
          <span>Regions</span>
          <input className="mono" value={regionText} onChange={(e) => setRegionText(e.target.value)} placeholder="case regions" size={24} />
        </label>
        <button type="submit" className="btn btn-primary" disabled={find.isPending || !q.trim()}>
          {find.isPending ? 'Searching…' : 'Search AWS'}
        </button>
      </form>
      <ErrorBox error={find.error ?? add.error} />
      {find.data && find.data.length === 0 && (
        <p className="muted small">
          No instance matches “{q}” in {regionText || 'the default region'}.
        </p>
      )}
      {find.data && find.data.length > 0 && (
        <table className="data-table" aria-label="Search results">
          <thead>
            <tr>
              <th>Instance</th>
              <th>Name</th>
              <th>Region</th>
              <th>State</th>
              <th>Private IP</th>
              <th>Public IP</th>
              <th>VPC</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {find.data.map((i) => (
              <tr key={`${i.region}/${i.instanceId}`}>
                <td className="mono">{i.instanceId}</td>
                <td>{i.name ?? ''}</td>
                <td className="mono">{i.region}</td>
                <td>{i.state}</td>
                <td className="mono">{i.privateIp ?? ''}</td>
                <td className="mono">{i.publicIp ?? ''}</td>
                <td className="mono">{i.vpcId ?? ''}</td>
                <td className="right">
                  <button
                    type="button"
                    className="btn btn-xs"
                    disabled={add.isPending}
                    onClick={() => add.mutate({ caseNumber, region: i.region, instanceId: i.instanceId }, { onSuccess: onAdded })}
                  >
                    Add to case
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
