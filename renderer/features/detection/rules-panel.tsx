import { useState } from 'react';
import { useAction, useCall } from '../../lib/api';
import { chooseFiles, tokens } from '../../lib/files';
import { ErrorBox } from '../../components/error-box';
import type { DetectionRuleInfo } from '../../../common/contract/detection';

const totalHits = (r: DetectionRuleInfo): number => r.hits.reduce((n, h) => n + h.count, 0);

/**
 * Settings panel: the detection rules (shipped SigmaHQ and Lariat rules, and
 * the investigator's own folders), each switched on or off; folders added
 * through the folder dialog (a token, never a path typed here); every rule
 * that did not load, with why. Changes apply to future imports; a rescan
 * (`lariat rules rescan <case>`) applies them to stored events.
 */
export function DetectionRulesPanel() {
  const list = useCall('listDetectionRules', {});
  const toggle = useAction('setDetectionRuleEnabled');
  const folders = useAction('setDetectionRuleFolders');
  const [filter, setFilter] = useState('');
  const [choosing, setChoosing] = useState<Error | null>(null);
  const data = list.data;
  const f = filter.trim().toLowerCase();
  const rules = (data?.rules ?? []).filter(
    (r) => !f || `${r.title} ${r.id} ${r.name ?? ''} ${r.author} ${r.level} ${r.origin} ${r.tags.join(' ')}`.toLowerCase().includes(f),
  );
  const addFolder = async () => {
    setChoosing(null);
    try {
      const chosen = await chooseFiles('rules', { folders: true });
      if (chosen.length) folders.mutate({ add: tokens(chosen), keep: data?.folders ?? [] });
    } catch (err) {
      setChoosing(err as Error);
    }
  };
  return (
    <section className="card stack" aria-label="Detection rules">
      <h2>Detection rules</h2>
      <p className="small muted">
        Sigma rules matched against every imported event. SigmaHQ rules are under the Detection Rule License 1.1: every hit names the
        rule&apos;s author. Switching a rule applies to future imports; run <code>lariat rules rescan &lt;case&gt;</code> to apply it to a
        case&apos;s stored events.
      </p>
      <ErrorBox error={list.error ?? toggle.error ?? folders.error ?? choosing} />
      <div className="stack">
        <strong className="small">Your rule folders</strong>
        {data && data.folders.length === 0 && <p className="small muted">None. Add a folder of Sigma .yml files.</p>}
        <ul className="plain-list small" aria-label="Rule folders">
          {data?.folders.map((dir) => (
            <li key={dir} className="row">
              <span className="mono grow">{dir}</span>
              <button
                type="button"
                className="btn btn-xs"
                disabled={folders.isPending}
                onClick={() => folders.mutate({ add: [], keep: data.folders.filter((x) => x !== dir) })}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
        <div>
          <button type="button" className="btn" onClick={() => void addFolder()} disabled={folders.isPending}>
            Add rule folder…
          </button>
        </div>
      </div>
      {data && data.notLoaded.length > 0 && (
        <div className="stack" role="region" aria-label="Rules not loaded">
          <strong className="small warn">Not loaded ({data.notLoaded.length})</strong>
          <ul className="plain-list small">
            {data.notLoaded.map((e) => (
              <li key={`${e.path}-${e.id ?? ''}`}>
                <span className="mono">{e.path}</span>
                {e.title ? ` (${e.title})` : ''}: {e.error}
              </li>
            ))}
          </ul>
        </div>
      )}
      {data && (
        <>
          <div className="row">
            <input
              type="search"
              placeholder="Filter rules"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              aria-label="Filter rules"
              style={{ width: 240 }}
            />
            <span className="small muted">
              {data.rules.filter((r) => r.enabled).length} of {data.rules.length} on
            </span>
          </div>
          <div style={{ maxHeight: 420, overflow: 'auto' }}>
            <table className="data-table" aria-label="Rules">
              <thead>
                <tr>
                  <th>On</th>
                  <th>Level</th>
                  <th>Rule</th>
                  <th>Author</th>
                  <th>From</th>
                  <th className="right">Hits</th>
                </tr>
              </thead>
              <tbody>
                {rules.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <input
                        type="checkbox"
                        checked={r.enabled}
                        disabled={toggle.isPending}
                        aria-label={`${r.enabled ? 'Disable' : 'Enable'} ${r.title}`}
                        onChange={(e) => toggle.mutate({ ruleId: r.id, enabled: e.target.checked })}
                      />
                    </td>
                    <td>
                      <span className={`chip sev-${r.level}`}>{r.level}</span>
                    </td>
                    <td title={r.description}>
                      {r.title}
                      {r.kind === 'correlation' && <span className="muted small"> · correlation</span>}
                      {r.supporting && <span className="muted small"> · feeds correlations</span>}
                    </td>
                    <td className="small">{r.author}</td>
                    <td className="small">{r.origin}</td>
                    <td className="right num" title={r.hits.map((h) => `${h.caseNumber}: ${h.count}`).join('\n')}>
                      {totalHits(r)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
