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
  const demo = useAction('createDemoCase');
  return (
    <>
      <button
        type="button"
        className="btn"
        disabled={demo.isPending}
        onClick={() => demo.mutate({}, { onSuccess: (r) => navigate(caseTabPath(r.caseRecord.number, 'timeline')) })}
      >
        {demo.isPending ? 'Loading demo…' : 'Load the demo case'}
      </button>
      <ErrorBox error={demo.error} />
    </>
  );
}
