import { useAction, useCall } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import { SettingsExtras } from './settings-extras';
import { DatabasePanel } from './database-panel';

/** Settings and facts an investigator may need to quote: version, data folder, schema; and the database check. */
export function SettingsPage() {
  const info = useCall('getAppInfo', {});
  const settings = useCall('getSettings', {});
  const update = useAction('updateSettings');
  return (
    <div className="page stack" style={{ maxWidth: 820 }}>
      <h1>Settings</h1>
      <div className="card stack">
        <h2>Appearance</h2>
        <label className="field" style={{ maxWidth: 240 }}>
          <span>Theme</span>
          <select
            value={settings.data?.theme ?? 'system'}
            onChange={(e) => update.mutate({ theme: e.target.value as 'system' | 'light' | 'dark' })}
            aria-label="Theme"
          >
            <option value="system">Follow the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        <ErrorBox error={update.error} />
      </div>
      <SettingsExtras />
      <DatabasePanel />
      <div className="card">
        <h2>About this installation</h2>
        {info.data && (
          <dl className="facts">
            <dt>Lariat version</dt>
            <dd className="mono">{info.data.version}</dd>
            <dt>Data folder</dt>
            <dd className="mono">{info.data.dataDir}</dd>
            <dt>Database schema</dt>
            <dd className="mono">{info.data.schemaVersion}</dd>
            <dt>Platform</dt>
            <dd className="mono">{info.data.platform}</dd>
          </dl>
        )}
      </div>
    </div>
  );
}
