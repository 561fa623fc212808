import { useState } from 'react';
import { useCall } from '../../lib/api';
import { AwsConnectDialog } from './aws-connect-dialog';

/** Title-bar indicator of who Lariat acts as in AWS (account, ARN, region), or "not connected"; opens the connect dialog. */
export function ActingAs() {
  const who = useCall('awsWhoAmI', {});
  const [open, setOpen] = useState(false);
  const w = who.data;
  const text = w?.connected ? `AWS: ${w.account} · ${w.arn} · ${w.region}` : 'AWS: not connected';
  return (
    <>
      <button
        type="button"
        className="btn btn-ghost btn-xs acting-as"
        data-testid="acting-as"
        title={
          w?.connected
            ? `Acting as ${w.arn} in account ${w.account}${w.endpoint ? ` via ${w.endpoint}` : ''}${w.expiresAt ? `, session ends ${w.expiresAt}` : ''}`
            : 'Connect to AWS'
        }
        onClick={() => setOpen(true)}
      >
        <span className="mono">{text}</span>
      </button>
      <AwsConnectDialog open={open} onClose={() => setOpen(false)} />
    </>
  );
}
