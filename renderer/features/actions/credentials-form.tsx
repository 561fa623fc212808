import { useState, type FormEvent } from 'react';
import { useAction } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import type { CaseRecord } from '../../../common/contract/cases';
import { TextField } from './text-field';

export type CredentialKind = 'credentials' | 'role-sessions';

/**
 * Target and options of a credential containment: a leaked access key (or
 * user name / ARN) and which changes to make, or a role whose sessions to
 * revoke. Planning only reads IAM; the plan then shows every call.
 */
export function CredentialsForm({
  caseRecord,
  kind,
  initialRegion,
  initialTarget = '',
  onPlanned,
  onCancel,
}: {
  caseRecord: CaseRecord;
  kind: CredentialKind;
  initialRegion: string;
  /** Pre-filled from a playbook step or a finding (an access key id, user or role). */
  initialTarget?: string;
  onPlanned(id: number): void;
  onCancel(): void;
}) {
  const plan = useAction('planAction');
  const [target, setTarget] = useState(initialTarget);
  const [region, setRegion] = useState(initialRegion);
  const [keys, setKeys] = useState('');
  const [denyAll, setDenyAll] = useState(true);
  const [deleteLoginProfile, setDeleteLoginProfile] = useState(false);
  const [mfaSince, setMfaSince] = useState('');
  const t = target.trim();
  const opt = (v: string) => (v.trim() ? v.trim() : undefined);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const base = { caseNumber: caseRecord.number, region: opt(region) };
    if (kind === 'role-sessions') {
      plan.mutate({ ...base, kind, role: t, options: {} }, { onSuccess: (a) => onPlanned(a.id) });
      return;
    }
    const who = /^(AKIA|ASIA)/.test(t) ? { accessKeyId: t } : t.startsWith('arn:') ? { userArn: t } : { userName: t };
    const chosen = keys
      .split(/[\s,]+/)
      .map((k) => k.trim())
      .filter(Boolean);
    plan.mutate(
      {
        ...base,
        kind,
        ...who,
        options: {
          denyAll,
          deleteLoginProfile,
          ...(chosen.length ? { accessKeyIds: chosen } : {}),
          ...(mfaSince.trim() ? { mfaEnabledSince: new Date(mfaSince).toISOString() } : {}),
        },
      },
      { onSuccess: (a) => onPlanned(a.id) },
    );
  };

  return (
    <form className="stack" onSubmit={submit} aria-label={kind === 'credentials' ? 'Credential containment' : 'Role session revocation'}>
      <div className="row wrap">
        <label className="field grow">
          <span>{kind === 'credentials' ? 'Access key id, user name or user ARN' : 'Role name or ARN'}</span>
          <input
            className="mono"
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            placeholder={kind === 'credentials' ? 'AKIA… or alice' : 'web-role'}
            required
          />
        </label>
        <TextField label="Region (IAM is global)" value={region} onChange={setRegion} placeholder="eu-west-1" size={14} />
      </div>
      {kind === 'credentials' && (
        <div className="row wrap">
          <TextField
            label="Keys to deactivate (default: the key given, or every active key)"
            value={keys}
            onChange={setKeys}
            grow
            placeholder="AKIA… AKIA…"
          />
          <label className="row">
            <input type="checkbox" checked={denyAll} onChange={(e) => setDenyAll(e.target.checked)} /> Deny every action (inline policy
            LariatDenyAll)
          </label>
          <label className="row">
            <input type="checkbox" checked={deleteLoginProfile} onChange={(e) => setDeleteLoginProfile(e.target.checked)} /> Delete the
            console password (release cannot give it back)
          </label>
          <label className="field">
            <span>Deactivate MFA devices enabled since (optional)</span>
            <input type="datetime-local" value={mfaSince} onChange={(e) => setMfaSince(e.target.value)} />
          </label>
        </div>
      )}
      {kind === 'role-sessions' && (
        <p className="muted small">
          Writes AWSRevokeOlderSessions (deny on aws:TokenIssueTime before the step runs), as the IAM console does. Service-linked roles are
          refused. Release removes only that policy.
        </p>
      )}
      <ErrorBox error={plan.error} />
      <div className="row">
        <span className="grow muted small">Planning only reads IAM. The plan lists every change before anything runs.</span>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={plan.isPending || !t}>
          {plan.isPending ? 'Planning…' : 'Build plan'}
        </button>
      </div>
    </form>
  );
}
