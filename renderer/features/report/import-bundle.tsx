import { useState } from 'react';
import { call, useAction, type ApiError } from '../../lib/api';
import { caseTabPath, navigate } from '../../lib/router';
import { Dialog } from '../../components/dialog';
import { ErrorBox } from '../../components/error-box';
import type { BundleVerification } from '../../../common/contract/reports';
import type { FileRef } from '../../../common/contract';
import { chooseFiles } from '../../lib/files';
import { BundleVerdict } from './bundle-verdict';
import './report.css';

/**
 * "Import bundle…" for the case list: picks a .lariat file with the native
 * dialog, shows its verification (nothing written yet), and imports it as a
 * read-only case only when the investigator confirms an intact bundle, and,
 * when its sender is not in the trust list, confirms the sender's key
 * fingerprint (checked with them by another channel).
 */
export function ImportBundleButton() {
  const [picked, setPicked] = useState<{ file: FileRef; verification: BundleVerification } | null>(null);
  const [pickError, setPickError] = useState<ApiError | null>(null);
  const [picking, setPicking] = useState(false);
  const importBundle = useAction('importBundle');
  const [confirmed, setConfirmed] = useState(false);

  const pick = async () => {
    setPickError(null);
    setPicking(true);
    try {
      const [file] = await chooseFiles('bundle');
      if (file) setPicked(await call('verifyBundle', { file: file.token }));
    } catch (err) {
      setPickError(err as ApiError);
    } finally {
      setPicking(false);
    }
  };
  const close = () => {
    setPicked(null);
    setConfirmed(false);
    importBundle.reset();
  };
  const v = picked?.verification;
  const needsConfirmation = !!v && v.intact && !v.ok && !!v.exporter;
  const importable = !!v && (v.ok || (needsConfirmation && confirmed));

  return (
    <>
      <button type="button" className="btn" onClick={pick} disabled={picking}>
        {picking ? 'Verifying…' : 'Import bundle…'}
      </button>
      <ErrorBox error={pickError} onDismiss={() => setPickError(null)} />
      <Dialog open={picked !== null} title="Import a case bundle" onClose={close} wide>
        {picked && (
          <>
            <p className="small mono">{picked.file.name}</p>
            <BundleVerdict v={picked.verification} />
            {needsConfirmation && (
              <label className="row small">
                <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
                <span>
                  I confirmed with {picked.verification.exporter!.name}, by phone or in person, that their key fingerprint is{' '}
                  <span className="mono">{picked.verification.exporter!.fingerprint}</span>
                </span>
              </label>
            )}
            <ErrorBox error={importBundle.error} />
            <div className="row">
              <span className="grow muted small">
                {importable
                  ? 'The case opens read-only, with a "received" custody entry signed by you that names the sender\'s key.'
                  : needsConfirmation
                    ? 'Nothing is imported until you confirm the fingerprint.'
                    : 'Nothing was written. Ask the sender for a new export.'}
              </span>
              <button type="button" className="btn" onClick={close}>
                {picked.verification.intact ? 'Cancel' : 'Close'}
              </button>
              {importable && (
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={importBundle.isPending}
                  onClick={() =>
                    importBundle.mutate(
                      { file: picked.file.token, ...(needsConfirmation ? { trust: [picked.verification.exporter!.fingerprint] } : {}) },
                      {
                        onSuccess: (r) => {
                          close();
                          navigate(caseTabPath(r.caseNumber, 'overview'));
                        },
                      },
                    )
                  }
                >
                  {importBundle.isPending ? 'Importing…' : 'Import as read-only case'}
                </button>
              )}
            </div>
          </>
        )}
      </Dialog>
    </>
  );
}
