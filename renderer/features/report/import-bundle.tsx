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
 * read-only case only when the investigator confirms an intact bundle.
 */
export function ImportBundleButton() {
  const [picked, setPicked] = useState<{ file: FileRef; verification: BundleVerification } | null>(null);
  const [pickError, setPickError] = useState<ApiError | null>(null);
  const [picking, setPicking] = useState(false);
  const importBundle = useAction('importBundle');

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
    importBundle.reset();
  };

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
            <ErrorBox error={importBundle.error} />
            <div className="row">
              <span className="grow muted small">
                {picked.verification.ok
                  ? 'The case opens read-only, with a "received" custody entry signed by you.'
                  : 'Nothing was written. Ask the sender for a new export.'}
              </span>
              <button type="button" className="btn" onClick={close}>
                {picked.verification.ok ? 'Cancel' : 'Close'}
              </button>
              {picked.verification.ok && (
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={importBundle.isPending}
                  onClick={() =>
                    importBundle.mutate(
                      { file: picked.file.token },
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
