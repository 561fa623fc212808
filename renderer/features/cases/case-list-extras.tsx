import { useAction } from '../../lib/api';
import { caseTabPath, navigate } from '../../lib/router';
import { ErrorBox } from '../../components/error-box';
import { ImportBundleButton } from '../report/import-bundle';

/** Buttons beside "New case": import a signed case bundle from a colleague. */
export function CaseListExtras() {
  return <ImportBundleButton />;
}

/** On the empty case list: a demo case from public sample data, so a newcomer sees Lariat work without AWS. */
export function EmptyCaseListExtras() {
  // Navigates from the mutation's own success callback: loading the demo fills the case list, which unmounts
  // this button before a callback given to mutate() could run.
  const demo = useAction('createDemoCase', (r) => navigate(caseTabPath(r.caseRecord.number, 'overview')));
  return (
    <>
      <button type="button" className="btn" disabled={demo.isPending} onClick={() => demo.mutate({})}>
        {demo.isPending ? 'Loading demo…' : 'Load the demo case'}
      </button>
      <ErrorBox error={demo.error} />
    </>
  );
}
