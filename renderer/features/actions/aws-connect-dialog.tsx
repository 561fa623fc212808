import { useState, type FormEvent } from 'react';
import { useAction, useCall } from '../../lib/api';
import { Dialog } from '../../components/dialog';
import { ErrorBox } from '../../components/error-box';
import type { AwsConnectInput } from '../../../common/contract/response';
import { TextField } from './text-field';

type Source = AwsConnectInput['source'];

/**
 * Connect to AWS: the SDK default chain, a named or SSO profile, or a role
 * assumed into the target account. The MFA code goes to the main process
 * once and is never stored; keys never come back, only who Lariat acts as.
 */
export function AwsConnectDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const profiles = useCall('awsListProfiles', {}, { enabled: open });
  const config = useCall('awsGetConfig', {}, { enabled: open });
  const connect = useAction('awsConnect');
  const updateConfig = useAction('awsUpdateConfig');
  const [source, setSource] = useState<Source>('default');
  const [profile, setProfile] = useState('');
  const [region, setRegion] = useState('');
  const [roleArn, setRoleArn] = useState('');
  const [externalId, setExternalId] = useState('');
  const [mfaSerial, setMfaSerial] = useState('');
  const [mfaCode, setMfaCode] = useState('');
  const [endpoint, setEndpoint] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const opt = (v: string) => (v.trim() ? v.trim() : undefined);
    connect.mutate(
      {
        source,
        profile: source !== 'default' ? opt(profile) : undefined,
        region: opt(region),
        roleArn: source === 'assume-role' ? opt(roleArn) : undefined,
        externalId: source === 'assume-role' ? opt(externalId) : undefined,
        mfaSerial: source === 'assume-role' ? opt(mfaSerial) : undefined,
        mfaCode: source === 'assume-role' ? opt(mfaCode) : undefined,
      },
      {
        onSuccess: () => {
          setMfaCode('');
          onClose();
        },
        onSettled: () => setMfaCode(''),
      },
    );
  };
  const endpointValue = endpoint ?? config.data?.endpoint ?? '';

  return (
    <Dialog open={open} title="Connect to AWS" onClose={onClose}>
      <form className="stack aws-connect" onSubmit={submit}>
        <fieldset className="row">
          <legend className="muted small">Credentials</legend>
          {(['default', 'profile', 'assume-role'] as const).map((s) => (
            <label key={s} className="row">
              <input type="radio" name="aws-source" value={s} checked={source === s} onChange={() => setSource(s)} />
              {s === 'default' ? 'Default chain (env, AWS_PROFILE, SSO)' : s === 'profile' ? 'Profile' : 'Assume role'}
            </label>
          ))}
        </fieldset>
        {source !== 'default' && (
          <label className="field">
            <span>{source === 'assume-role' ? 'Base profile (optional)' : 'Profile (named or SSO)'}</span>
            <select value={profile} onChange={(e) => setProfile(e.target.value)}>
              <option value="">{source === 'assume-role' ? 'default chain' : 'choose…'}</option>
              {(profiles.data ?? []).map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
        )}
        {source === 'assume-role' && (
          <>
            <TextField
              label="Role ARN in the target account"
              value={roleArn}
              onChange={setRoleArn}
              placeholder="arn:aws:iam::123456789012:role/LariatResponder"
              required
            />
            <div className="row">
              <TextField
                label="External id (if the role requires one)"
                value={externalId}
                onChange={setExternalId}
                grow
                mono={false}
                autoComplete="off"
              />
              <TextField label="MFA device ARN" value={mfaSerial} onChange={setMfaSerial} grow placeholder="arn:aws:iam::…:mfa/name" />
              <TextField
                label="MFA code"
                value={mfaCode}
                onChange={setMfaCode}
                inputMode="numeric"
                pattern="\d{6}"
                autoComplete="one-time-code"
                size={8}
              />
            </div>
          </>
        )}
        <TextField
          label="Region for STS and default searches"
          value={region}
          onChange={setRegion}
          placeholder={config.data?.defaultRegion ?? 'us-east-1'}
        />
        <details>
          <summary className="small">Endpoint override (emulators){config.data?.endpoint ? `: ${config.data.endpoint}` : ''}</summary>
          {config.data?.endpointFromEnv ? (
            <p className="muted small">Set by LARIAT_AWS_ENDPOINT for this process: {config.data.endpoint}</p>
          ) : (
            <div className="row">
              <input
                className="mono grow"
                aria-label="Endpoint override URL"
                value={endpointValue}
                onChange={(e) => setEndpoint(e.target.value)}
                placeholder="http://localhost:4566"
              />
              <button type="button" className="btn" onClick={() => updateConfig.mutate({ endpoint: endpointValue.trim() || null })}>
                Save endpoint
              </button>
            </div>
          )}
        </details>
        <ErrorBox error={connect.error ?? updateConfig.error} />
        <div className="row">
          <span className="grow muted small">
            Keys, secrets and session tokens stay in Lariat's main process; this window only learns the account and ARN.
          </span>
          <button type="submit" className="btn btn-primary" disabled={connect.isPending}>
            {connect.isPending ? 'Connecting…' : 'Connect'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
