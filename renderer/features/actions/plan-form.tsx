import { useState, type FormEvent } from 'react';
import { useAction } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import type { CaseRecord } from '../../../common/contract/cases';
import type { InputOf } from '../../../common/contract';
import { CredentialsForm } from './credentials-form';
import { S3LambdaPlanForm, isS3LambdaKind } from './s3-lambda-plan-form';
import { TextField } from './text-field';

type Kind = 'isolate' | 'release' | 'snapshot' | 'memory' | 'credentials' | 'role-sessions' | 's3-contain' | 'lambda-contain';
const KINDS: string[] = ['isolate', 'release', 'snapshot', 'memory', 'credentials', 'role-sessions', 's3-contain', 'lambda-contain'];

/** Chooses the action, instance and options, and asks main for the plan (read-only AWS calls only). */
export function PlanForm({
  caseRecord,
  initial,
  query,
  onPlanned,
  onCancel,
}: {
  caseRecord: CaseRecord;
  initial: { kind: string; instance: string; region: string; principal?: string };
  /** The actions tab's query (a finding's "Contain…" button): pre-fills the S3 and Lambda form for the kind it names. */
  query?: URLSearchParams;
  onPlanned(id: number): void;
  onCancel(): void;
}) {
  const plan = useAction('planAction');
  const [kind, setKind] = useState<Kind>((KINDS.includes(initial.kind) ? initial.kind : 'isolate') as Kind);
  const [instance, setInstance] = useState(initial.instance);
  const [region, setRegion] = useState(initial.region);
  const [asgMode, setAsgMode] = useState<'detach' | 'standby'>('detach');
  const [profileMode, setProfileMode] = useState<'disassociate' | 'replace' | 'keep'>('disassociate');
  const [isolationProfileArn, setIsolationProfileArn] = useState('');
  const [disassociateEips, setDisassociateEips] = useState(false);
  const [revokeSessions, setRevokeSessions] = useState(false);
  const [share, setShare] = useState('');
  const [copyRegion, setCopyRegion] = useState('');
  const [kmsKey, setKmsKey] = useState('');
  const [bucket, setBucket] = useState('');
  const [prefix, setPrefix] = useState('');
  const [tool, setTool] = useState('');
  const [toolSource, setToolSource] = useState('');
  const opt = (v: string) => (v.trim() ? v.trim() : undefined);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const base = { caseNumber: caseRecord.number, instanceId: instance.trim(), region: region.trim() };
    let input: InputOf<'planAction'>;
    if (kind === 'isolate')
      input = {
        ...base,
        kind,
        options: {
          asgMode,
          profileMode,
          disassociateEips,
          revokeSessions,
          isolationProfileArn: profileMode === 'replace' ? opt(isolationProfileArn) : undefined,
        },
      };
    else if (kind === 'snapshot')
      input = { ...base, kind, options: { shareWithAccount: opt(share), copyToRegion: opt(copyRegion), kmsKeyId: opt(kmsKey) } };
    else if (kind === 'memory')
      input = {
        ...base,
        kind,
        options: {
          bucket: bucket.trim(),
          prefix: prefix.trim(),
          tool: opt(tool) as 'avml' | 'lime' | 'winpmem' | undefined,
          toolSource: opt(toolSource),
        },
      };
    else if (kind === 'release') input = { ...base, kind, options: {} };
    else return;
    plan.mutate(input, { onSuccess: (a) => onPlanned(a.id) });
  };

  const kindSelect = (
    <label className="field">
      <span>Action</span>
      <select value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
        <option value="isolate">Isolate</option>
        <option value="release">Release (undo isolation)</option>
        <option value="snapshot">Snapshot EBS volumes</option>
        <option value="memory">Acquire memory (SSM)</option>
        <option value="credentials">Contain credentials (IAM user, access keys)</option>
        <option value="role-sessions">Revoke role sessions</option>
        <option value="s3-contain">Contain S3 bucket (block public access)</option>
        <option value="lambda-contain">Contain Lambda function (throttle)</option>
      </select>
    </label>
  );
  // Every kind is planned from this one picker; the S3 and Lambda form keeps its own fields (a finding opens it pre-filled).
  if (isS3LambdaKind(kind))
    return (
      <S3LambdaPlanForm
        key={kind}
        caseRecord={caseRecord}
        query={query && query.get('kind') === kind ? query : new URLSearchParams({ kind, region })}
        kindSelect={kindSelect}
        onPlanned={onPlanned}
        onCancel={onCancel}
      />
    );
  if (kind === 'credentials' || kind === 'role-sessions')
    return (
      <div className="card plan-form stack" aria-label="New response plan">
        <div className="row wrap">{kindSelect}</div>
        <CredentialsForm
          key={kind}
          caseRecord={caseRecord}
          kind={kind}
          initialRegion={region}
          initialTarget={initial.principal ?? ''}
          onPlanned={onPlanned}
          onCancel={onCancel}
        />
      </div>
    );

  return (
    <form className="card plan-form stack" onSubmit={submit} aria-label="New response plan">
      <div className="row wrap">
        {kindSelect}
        <TextField label="Instance id" value={instance} onChange={setInstance} grow placeholder="i-0123456789abcdef0" required />
        <TextField label="Region" value={region} onChange={setRegion} placeholder="eu-west-1" required size={14} />
      </div>
      {kind === 'isolate' && (
        <div className="row wrap">
          <label className="field">
            <span>Auto Scaling group</span>
            <select value={asgMode} onChange={(e) => setAsgMode(e.target.value as 'detach' | 'standby')}>
              <option value="detach">Detach (group launches a replacement)</option>
              <option value="standby">Move to Standby</option>
            </select>
          </label>
          <label className="field">
            <span>Instance profile</span>
            <select value={profileMode} onChange={(e) => setProfileMode(e.target.value as 'disassociate' | 'replace' | 'keep')}>
              <option value="disassociate">Disassociate</option>
              <option value="replace">Replace with an isolation profile</option>
              <option value="keep">Keep</option>
            </select>
          </label>
          {profileMode === 'replace' && (
            <TextField
              label="Isolation profile ARN"
              value={isolationProfileArn}
              onChange={setIsolationProfileArn}
              grow
              placeholder="arn:aws:iam::…:instance-profile/quarantine"
            />
          )}
          <label className="row">
            <input type="checkbox" checked={disassociateEips} onChange={(e) => setDisassociateEips(e.target.checked)} /> Disassociate
            Elastic IPs
          </label>
          <label className="row">
            <input type="checkbox" checked={revokeSessions} onChange={(e) => setRevokeSessions(e.target.checked)} /> Deny the role's
            sessions issued before now
          </label>
        </div>
      )}
      {kind === 'snapshot' && (
        <div className="row wrap">
          <TextField
            label="Share with forensic account (optional)"
            value={share}
            onChange={setShare}
            placeholder="123456789012"
            size={14}
          />
          <TextField label="Copy to region (optional)" value={copyRegion} onChange={setCopyRegion} placeholder="eu-central-1" size={14} />
          <TextField
            label="Re-encrypt copies with KMS key"
            value={kmsKey}
            onChange={setKmsKey}
            grow
            placeholder="alias/forensics or key ARN"
          />
        </div>
      )}
      {kind === 'memory' && (
        <div className="row wrap">
          <TextField label="Evidence bucket" value={bucket} onChange={setBucket} required placeholder="ir-evidence-bucket" />
          <TextField label="Prefix" value={prefix} onChange={setPrefix} placeholder="memory" />
          <label className="field">
            <span>Tool</span>
            <select value={tool} onChange={(e) => setTool(e.target.value)}>
              <option value="">Default (AVML on Linux, WinPmem on Windows)</option>
              <option value="avml">AVML</option>
              <option value="lime">LiME</option>
              <option value="winpmem">WinPmem</option>
            </select>
          </label>
          <TextField
            label="Tool source if not installed (optional)"
            value={toolSource}
            onChange={setToolSource}
            grow
            placeholder="s3://bucket/tools/avml"
          />
        </div>
      )}
      <ErrorBox error={plan.error} />
      <div className="row">
        <span className="grow muted small">
          Planning only reads from AWS (describe calls). The plan lists every change before anything runs.
        </span>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={plan.isPending}>
          {plan.isPending ? 'Planning…' : 'Build plan'}
        </button>
      </div>
    </form>
  );
}
