import { useCall } from '../../lib/api';
import { caseTabPath, navigate } from '../../lib/router';
import { ErrorBox } from '../../components/error-box';
import type { EventDetection } from '../../../common/contract/detection';
import { attackUrl } from '../attack/attack-url';
import './detections.css';

/** Where each rule's licence is stated: every hit shown names the rule's author and this (Detection Rule License 1.1). */
export const RULE_LICENCE: Record<EventDetection['origin'], { name: string; link: string | null }> = {
  sigmahq: { name: 'SigmaHQ · Detection Rule License 1.1', link: 'https://github.com/SigmaHQ/Detection-Rule-License' },
  lariat: { name: "Lariat's own rule · the project's licence", link: null },
  investigator: { name: "The investigator's own rule folder", link: null },
};

/**
 * The rules an event matched, in the event panel: title, level, author,
 * description, false positives, ATT&CK techniques, licence and references;
 * then the correlation detections it belongs to (each a link to its events).
 */
export function EventDetections({ caseNumber, eventId }: { caseNumber: string; eventId: number }) {
  const hits = useCall('getEventDetections', { caseNumber, eventId });
  if (hits.error) return <ErrorBox error={hits.error} />;
  if (!hits.data || hits.data.length === 0) return null;
  return (
    <section className="tl-detections stack" aria-label="Detections">
      <strong className="small">Detections ({hits.data.length})</strong>
      {hits.data.map((d, i) => (
        <details
          key={`${d.ruleId}-${d.correlationId ?? ''}`}
          className={`tl-detection level-${d.level}`}
          open={hits.data.length <= 3 || i === 0}
        >
          <summary>
            <span className={`chip sev-${d.level}`}>{d.level}</span> {d.title}
            {d.correlationId !== null && <span className="muted small"> · correlation</span>}
            <span className="muted small"> · by {d.author}</span>
          </summary>
          <div className="small stack">
            {d.description && <p>{d.description}</p>}
            {d.falsepositives.length > 0 && (
              <p>
                <span className="muted">False positives: </span>
                {d.falsepositives.join('; ')}
              </p>
            )}
            {d.techniques.length > 0 && (
              <p>
                <span className="muted">ATT&CK: </span>
                {d.techniques.map((t) => (
                  <span key={t}>
                    <button
                      type="button"
                      className="btn btn-ghost btn-xs mono"
                      title={`Timeline events of ${t}`}
                      onClick={() => navigate(caseTabPath(caseNumber, 'timeline'), { technique: t })}
                    >
                      {t}
                    </button>
                    <a href={attackUrl(t)} target="_blank" rel="noreferrer" className="small" aria-label={`${t} on attack.mitre.org`}>
                      ↗
                    </a>{' '}
                  </span>
                ))}
              </p>
            )}
            <p>
              <span className="muted">Rule: </span>
              <span className="mono">{d.ruleId}</span> · <span className="muted">author</span> {d.author} · {RULE_LICENCE[d.origin].name}
              {RULE_LICENCE[d.origin].link && <span className="mono"> ({RULE_LICENCE[d.origin].link})</span>}
            </p>
            {d.references.length > 0 && (
              <ul className="mono tl-refs">
                {d.references.slice(0, 5).map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            )}
            <button
              type="button"
              className="btn btn-ghost btn-xs"
              onClick={() => navigate(caseTabPath(caseNumber, 'timeline'), { rule: d.ruleId })}
            >
              All events of this rule →
            </button>
          </div>
        </details>
      ))}
    </section>
  );
}
