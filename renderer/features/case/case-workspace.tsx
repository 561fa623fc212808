import { useEffect } from 'react';
import { useCall } from '../../lib/api';
import { caseTabPath, navigate } from '../../lib/router';
import { ErrorBox } from '../../components/error-box';
import { CaseHeader } from './case-header';
import { tabs } from './tabs';

/** One case: header, tab strip (Alt+key jumps), and the selected tab. */
export function CaseWorkspace({ caseNumber, tab, query }: { caseNumber: string; tab: string; query: URLSearchParams }) {
  const c = useCall('getCase', { caseNumber });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const t = tabs.find((x) => x.key === e.key.toLowerCase());
      if (t) {
        e.preventDefault();
        navigate(caseTabPath(caseNumber, t.id));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [caseNumber]);

  if (c.error) {
    return (
      <div className="page stack">
        <h1>{c.error.code === 'not-found' ? `No case ${caseNumber.toUpperCase()} here` : `Case ${caseNumber} cannot be opened`}</h1>
        <ErrorBox error={c.error} />
        <p>
          <a href="#/">Back to the case list</a>
        </p>
      </div>
    );
  }
  if (!c.data) return <div className="page muted">Loading {caseNumber}…</div>;
  const current = tabs.find((t) => t.id === tab) ?? tabs[0]!;
  const Tab = current.component;
  return (
    <div className="page">
      <CaseHeader c={c.data} />
      <nav className="tabs" aria-label="Case sections">
        {tabs
          .filter((t) => t.id === current.id || !t.visible || t.visible(c.data!))
          .map((t) => (
            <a
              key={t.id}
              href={`#${caseTabPath(caseNumber, t.id)}`}
              aria-current={t.id === current.id ? 'page' : undefined}
              title={`Alt+${t.key.toUpperCase()}`}
            >
              {t.label}
            </a>
          ))}
      </nav>
      <section className="tab-panel" aria-label={current.label}>
        <Tab caseRecord={c.data} query={query} />
      </section>
    </div>
  );
}
