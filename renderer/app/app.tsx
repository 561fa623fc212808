import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { changeQueue, onEvent, useAction, useCall } from '../lib/api';
import { useRoute } from '../lib/router';
import { useGlobalShortcuts } from '../lib/keyboard';
import { useTheme } from '../lib/theme';
import { CaseList } from '../features/cases/case-list';
import { CaseWorkspace } from '../features/case/case-workspace';
import { SettingsPage } from '../features/settings/settings-page';
import { PlansPage } from '../features/plans/plans-page';
import { InboxPage } from '../features/inbox/inbox-page';
import { JobsDrawer, useJobs, useJobsDrawer } from '../features/jobs/jobs-drawer';
import { EmptyState } from '../components/empty-state';
import { Gate } from './gate';
import { ActingAsSlot } from './acting-as-slot';
import { OnlineStatus } from './online-status';
import { DemoIdentityBanner } from './demo-banner';

/** The window: title bar (who Lariat acts as, jobs, theme), then the routed page. */
export function App() {
  const route = useRoute();
  const client = useQueryClient();
  const jobs = useJobs();
  const [drawer, setDrawer] = useJobsDrawer(jobs);
  useGlobalShortcuts();
  useTheme();

  useEffect(() => onEvent('caseChanged', (change) => changeQueue(client).push(change)), [client]);

  const running = jobs.filter((j) => j.state === 'running').length;
  let page;
  if (route.parts.length === 0) page = <CaseList />;
  else if (route.parts[0] === 'case' && route.parts[1])
    page = <CaseWorkspace caseNumber={route.parts[1]} tab={route.parts[2] ?? 'overview'} query={route.query} />;
  else if (route.parts[0] === 'settings') page = <SettingsPage />;
  else if (route.parts[0] === 'plans') page = <PlansPage />;
  else if (route.parts[0] === 'inbox') page = <InboxPage />;
  else
    page = (
      <EmptyState title="Nothing here">
        Go back to the <a href="#/">case list</a>.
      </EmptyState>
    );

  return (
    <div className="app">
      <header className="titlebar">
        <a className="brand" href="#/">
          Lariat
        </a>
        <span className="grow" />
        <OnlineStatus />
        <ActingAsSlot />
        <button
          type="button"
          className="btn btn-ghost btn-xs"
          onClick={() => setDrawer((d) => !d)}
          aria-expanded={drawer}
          aria-controls="jobs-drawer"
        >
          Jobs{running ? ` (${running} running)` : ''}
        </button>
        <ThemeToggle />
        <a className="btn btn-ghost btn-xs" href="#/inbox">
          Inbox
        </a>
        <a className="btn btn-ghost btn-xs" href="#/plans">
          Plans
        </a>
        <a className="btn btn-ghost btn-xs" href="#/settings">
          Settings
        </a>
      </header>
      <DemoIdentityBanner />
      <div className="app-body">
        <main className="main">
          <Gate>{page}</Gate>
        </main>
        {drawer && <JobsDrawer jobs={jobs} onClose={() => setDrawer(false)} />}
      </div>
    </div>
  );
}

function ThemeToggle() {
  const settings = useCall('getSettings', {});
  const update = useAction('updateSettings');
  const order = ['system', 'light', 'dark'] as const;
  const current = settings.data?.theme ?? 'system';
  const next = order[(order.indexOf(current) + 1) % order.length]!;
  return (
    <button
      type="button"
      className="btn btn-ghost btn-xs"
      title={`Theme: ${current}. Switch to ${next}.`}
      onClick={() => update.mutate({ theme: next })}
    >
      Theme: {current}
    </button>
  );
}
