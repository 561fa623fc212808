import type { ReactNode } from 'react';
import type { CaseRecord } from '../../../common/contract/cases';
import type { AssetRecord } from '../../../common/contract/assets';
import type { InstanceDetails } from '../../../common/contract/response';
import { useAction } from '../../lib/api';
import { caseTabPath, navigate } from '../../lib/router';
import { TimelineLink } from '../timeline/timeline-link';
import { CopyButton } from '../../components/copy-button';
import { ErrorBox } from '../../components/error-box';
import { Time } from '../../components/time';
import { rowOf, useEscapeToClose } from '../../lib/escape';

const ACTIONS: { kind: string; label: string; when(d: Partial<InstanceDetails>): boolean }[] = [
  { kind: 'isolate', label: 'Isolate…', when: (d) => d.isolation !== 'isolated' },
  { kind: 'snapshot', label: 'Snapshot volumes…', when: (d) => (d.volumes?.length ?? 0) > 0 },
  { kind: 'memory', label: 'Acquire memory…', when: (d) => d.ssm?.managed === true },
  { kind: 'release', label: 'Release…', when: (d) => d.isolation === 'isolated' },
];

/** Opens the Actions tab with a new plan of `kind` for the instance. */
function planFor(caseNumber: string, kind: string, a: AssetRecord): void {
  navigate(caseTabPath(caseNumber, 'actions'), { kind, instance: a.identifier, region: a.region ?? undefined });
}

/** One asset: identifiers, pivot to the timeline, and for an instance its AWS facts and the actions that apply. */
export function AssetDetails({ caseRecord, asset, onClose }: { caseRecord: CaseRecord; asset: AssetRecord; onClose(): void }) {
  useEscapeToClose(onClose, () => rowOf('data-asset-id', asset.id));
  const refresh = useAction('addInstanceToCase');
  const n = caseRecord.number;
  const d = asset.details as Partial<InstanceDetails> & {
    warnings?: string[];
    describedAt?: string;
    factsSource?: string;
    factsAsOf?: string | null;
  };
  const instance = asset.kind === 'ec2-instance';
  return (
    <aside className="card asset-details" aria-label={`Asset ${asset.identifier}`}>
      <div className="row">
        <h2 className="grow mono">{asset.identifier}</h2>
        <button type="button" className="btn btn-ghost btn-xs" onClick={onClose}>
          Close
        </button>
      </div>
      <div className="toolbar">
        <CopyButton value={asset.identifier} label="Copy id" />
        <span className="small muted">In the timeline:</span>
        <TimelineLink caseNumber={n} value={asset.identifier} />
        {instance && asset.region && !caseRecord.readOnly && (
          <button
            type="button"
            className="btn btn-xs"
            disabled={refresh.isPending}
            onClick={() => refresh.mutate({ caseNumber: n, region: asset.region!, instanceId: asset.identifier })}
          >
            {refresh.isPending ? 'Refreshing…' : 'Refresh from AWS'}
          </button>
        )}
      </div>
      <ErrorBox error={refresh.error} />
      <dl className="facts">
        <dt>Kind</dt>
        <dd>{asset.kind}</dd>
        {asset.label && (
          <>
            <dt>Label</dt>
            <dd>{asset.label}</dd>
          </>
        )}
        <dt>Account / region</dt>
        <dd className="mono">
          {asset.account ?? '—'} / {asset.region ?? '—'}
        </dd>
        {instance && <InstanceFacts d={d} />}
      </dl>
      {d.warnings && d.warnings.length > 0 && (
        <div className="notice small">
          Not everything could be read:
          <ul>
            {d.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      {instance && !caseRecord.readOnly && (
        <div className="toolbar" aria-label="Available actions">
          {ACTIONS.filter((a) => a.when(d)).map((a) => (
            <button
              key={a.kind}
              type="button"
              className={`btn${a.kind === 'isolate' ? ' btn-danger' : ''}`}
              onClick={() => planFor(n, a.kind, asset)}
            >
              {a.label}
            </button>
          ))}
          {d.ssm && !d.ssm.managed && <span className="muted small">Memory: not SSM-managed.</span>}
        </div>
      )}
      {d.describedAt ? (
        <p className="muted small">
          Described <Time iso={d.describedAt} />
        </p>
      ) : (
        d.factsSource && (
          <p className="muted small">
            As reported by {d.factsSource}
            {d.factsAsOf ? (
              <>
                {' '}
                (last seen <Time iso={d.factsAsOf} />)
              </>
            ) : null}
            ; refresh from AWS for the current state.
          </p>
        )
      )}
    </aside>
  );
}

function InstanceFacts({ d }: { d: Partial<InstanceDetails> }) {
  const row = (label: string, value: ReactNode) => (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
  return (
    <>
      {row('Isolation', d.isolation ? <span className={`chip isolation-${d.isolation}`}>{d.isolation}</span> : 'not isolated')}
      {row('State', `${d.state ?? '?'} · ${d.instanceType ?? ''} · ${d.platform ?? ''}`)}
      {row('IPs', <span className="mono">{[d.privateIp, d.publicIp].filter(Boolean).join(' / ') || '—'}</span>)}
      {row('VPC / subnet', <span className="mono">{`${d.vpcId ?? '—'} / ${d.subnetId ?? '—'}`}</span>)}
      {row('Security groups', <span className="mono">{(d.securityGroups ?? []).map((g) => `${g.id} (${g.name})`).join(', ') || '—'}</span>)}
      {row(
        'Interfaces',
        <ul className="plain-list mono">
          {(d.networkInterfaces ?? []).map((e) => (
            <li key={e.id}>
              {e.id} {e.privateIp ?? ''} → {e.groups.join(', ')}
            </li>
          ))}
        </ul>,
      )}
      {row('Elastic IPs', <span className="mono">{(d.elasticIps ?? []).map((e) => e.publicIp).join(', ') || '—'}</span>)}
      {row(
        'Instance profile',
        <span className="mono">
          {d.instanceProfileArn ? `${d.instanceProfileArn}${d.instanceProfileRole ? ` (role ${d.instanceProfileRole})` : ''}` : '—'}
        </span>,
      )}
      {row(
        'Auto Scaling',
        d.autoScalingGroup ? <span className="mono">{`${d.autoScalingGroup} (${d.autoScalingState ?? '?'})`}</span> : '—',
      )}
      {row(
        'Target groups',
        (d.targetGroups ?? []).length ? (
          <ul className="plain-list mono">
            {(d.targetGroups ?? []).map((t) => (
              <li key={`${t.arn}:${t.port}`}>
                {t.name}:{t.port ?? ''} {t.health ?? ''}
              </li>
            ))}
          </ul>
        ) : (
          '—'
        ),
      )}
      {row(
        'Volumes',
        <ul className="plain-list mono">
          {(d.volumes ?? []).map((v) => (
            <li key={v.id}>
              {v.id} {v.device} {v.sizeGiB ?? '?'} GiB{v.encrypted ? ' encrypted' : ''}
            </li>
          ))}
        </ul>,
      )}
      {row(
        'SSM',
        d.ssm ? (d.ssm.managed ? `managed, ${d.ssm.pingStatus ?? '?'} (agent ${d.ssm.agentVersion ?? '?'})` : 'not managed') : '—',
      )}
    </>
  );
}
