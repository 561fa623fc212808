import { useState, type FormEvent, type ReactNode } from 'react';
import { useAction } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import type { CaseRecord } from '../../../common/contract/cases';
import type { InputOf } from '../../../common/contract';
import { TextField } from './text-field';

const KINDS = ['s3-contain', 'lambda-contain'] as const;
type Kind = (typeof KINDS)[number];

/** Whether the actions tab was opened for an S3 bucket or Lambda function containment (from a finding, or New plan). */
export const isS3LambdaKind = (k: string | null): k is Kind => KINDS.includes(k as Kind);

const list = (v: string): string[] =>
  v
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * The plan form of the S3 bucket and Lambda function containments, filled in
 * from the query (a finding's "Contain…" button): planning only reads AWS; the
 * plan then shows every call before anything runs.
 */
export function S3LambdaPlanForm({
  caseRecord,
  query,
  kindSelect,
  onPlanned,
  onCancel,
}: {
  caseRecord: CaseRecord;
  query: URLSearchParams;
  /** The "New plan…" picker of every kind (PlanForm re-mounts this form when the kind changes). */
  kindSelect: ReactNode;
  onPlanned(id: number): void;
  onCancel(): void;
}) {
  const plan = useAction('planAction');
  const first = query.get('kind');
  const kind: Kind = isS3LambdaKind(first) ? first : 's3-contain';
  const [bucket, setBucket] = useState(query.get('bucket') ?? '');
  const [fn, setFn] = useState(query.get('functionName') ?? '');
  const [region, setRegion] = useState(query.get('region') ?? caseRecord.regions[0] ?? '');
  const [mode, setMode] = useState<'block' | 'deny' | 'only'>('block');
  const [principals, setPrincipals] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const caseNumber = caseRecord.number;
    const input: InputOf<'planAction'> =
      kind === 's3-contain'
        ? {
            kind,
            caseNumber,
            bucket: bucket.trim(),
            region: region.trim() || undefined,
            options: { denyPrincipals: mode === 'deny' ? list(principals) : [], allowOnlyRoles: mode === 'only' ? list(principals) : [] },
          }
        : { kind, caseNumber, functionName: fn.trim(), region: region.trim(), options: {} };
    plan.mutate(input, { onSuccess: (a) => onPlanned(a.id) });
  };

  return (
    <form className="card plan-form stack" onSubmit={submit} aria-label="New containment plan">
      <div className="row wrap">
        {kindSelect}
        {kind === 's3-contain' ? (
          <TextField label="Bucket" value={bucket} onChange={setBucket} required />
        ) : (
          <TextField label="Function" value={fn} onChange={setFn} required />
        )}
        <label className="field">
          <span>Region{kind === 's3-contain' ? ' (optional)' : ''}</span>
          <input value={region} onChange={(e) => setRegion(e.target.value)} required={kind === 'lambda-contain'} className="mono" />
        </label>
      </div>
      {kind === 's3-contain' && (
        <fieldset className="stack">
          <legend>Bucket policy</legend>
          <label>
            <input type="radio" name="s3-mode" checked={mode === 'block'} onChange={() => setMode('block')} /> Public access block only
          </label>
          <label>
            <input type="radio" name="s3-mode" checked={mode === 'deny'} onChange={() => setMode('deny')} /> Also deny these principals
          </label>
          <label>
            <input type="radio" name="s3-mode" checked={mode === 'only'} onChange={() => setMode('only')} /> Also deny everyone but these
            roles
          </label>
          {mode !== 'block' && (
            <label className="field">
              <span>{mode === 'deny' ? 'Principals (account ids or ARNs)' : 'Role ARNs'}</span>
              <textarea value={principals} onChange={(e) => setPrincipals(e.target.value)} rows={2} className="mono" required />
            </label>
          )}
        </fieldset>
      )}
      <p className="small muted">
        {kind === 's3-contain'
          ? 'First saves the bucket configuration as evidence; the release puts it back exactly.'
          : 'First saves the configuration and code package as evidence; sets reserved concurrency 0 and disables event source mappings; the release puts both back.'}
      </p>
      <ErrorBox error={plan.error} />
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={plan.isPending}>
          {plan.isPending ? 'Planning…' : 'Build plan'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
