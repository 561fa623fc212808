import { useState } from 'react';
import { useAction, useCall } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import { CopyButton } from '../../components/copy-button';
import type { TimelineColumn } from '../../../common/contract/timeline';
import { COLUMN_LABELS } from './filter-state';
import { EventDetections } from './event-detections';
import { rowOf, useEscapeToClose } from '../../lib/escape';

/** In reading order: what happened, who (principal first, then the full ARN and the identity's parts), from where, on what. */
const FIELDS: Exclude<TimelineColumn, 'issue'>[] = [
  'source',
  'action',
  'eventSource',
  'eventType',
  'principal',
  'actor',
  'identityType',
  'sessionName',
  'callerAccount',
  'accessKeyId',
  'sourceIp',
  'userAgent',
  'resource',
  'region',
  'account',
  'errorCode',
  'severity',
  'eventId',
];

/** The selected event: its columns (each a pivot), flag, tags and the raw JSON. */
export function EventPanel({
  caseNumber,
  eventId,
  readOnly,
  onPivot,
  onClose,
}: {
  caseNumber: string;
  eventId: number;
  readOnly: boolean;
  onPivot(c: TimelineColumn, v: string): void;
  onClose(): void;
}) {
  // Esc closes the panel and gives the keyboard back to the event's row.
  useEscapeToClose(onClose, () => rowOf('data-event-id', eventId));
  const ev = useCall('getTimelineEvent', { caseNumber, eventId });
  const flag = useAction('flagEvent');
  const tag = useAction('tagEvent');
  const [tags, setTags] = useState<string | null>(null);
  const e = ev.data;
  const raw = e ? JSON.stringify(e.raw, null, 2) : '';
  return (
    <aside className="tl-side" aria-label="Event details">
      <div className="row">
        <strong className="grow">Event {eventId}</strong>
        <button type="button" className="btn btn-ghost btn-xs" onClick={onClose} aria-label="Close event details">
          Close
        </button>
      </div>
      <ErrorBox error={ev.error ?? flag.error ?? tag.error} />
      {e && (
        <>
          <p className="small">
            {e.time ?? 'no time'} · {e.file ?? 'Lariat'}
            {e.recordNo ? ` record ${e.recordNo}` : ''}
            {e.issues.map((issue) => (
              <span key={issue} className="warn">
                {' · '}
                <button
                  type="button"
                  className="btn btn-ghost btn-xs"
                  title="Show every event the import flagged this way"
                  onClick={() => onPivot('issue', issue)}
                >
                  {issue}
                </button>
              </span>
            ))}
          </p>
          <div className="row">
            <button
              type="button"
              className="btn"
              disabled={readOnly || flag.isPending}
              aria-pressed={e.flagged}
              onClick={() => flag.mutate({ caseNumber, eventId, flagged: !e.flagged })}
            >
              {e.flagged ? '⚑ Unflag' : '⚐ Flag'}
            </button>
            <form
              className="row grow"
              onSubmit={(f) => {
                f.preventDefault();
                tag.mutate(
                  {
                    caseNumber,
                    eventId,
                    tags: (tags ?? '')
                      .split(',')
                      .map((t) => t.trim())
                      .filter(Boolean),
                  },
                  { onSuccess: () => setTags(null) },
                );
              }}
            >
              <input
                className="grow"
                placeholder="tags, comma-separated"
                value={tags ?? e.tags.join(', ')}
                onChange={(x) => setTags(x.target.value)}
                aria-label="Tags"
                disabled={readOnly}
              />
            </form>
          </div>
          <dl className="facts small">
            {FIELDS.filter((f) => e[f]).map((f) => (
              <div key={f} className="row" style={{ display: 'contents' }}>
                <dt className="muted">{COLUMN_LABELS[f]}</dt>
                <dd className="mono">
                  <button
                    type="button"
                    className="btn btn-ghost btn-xs"
                    title="Filter the timeline on this value"
                    onClick={() => onPivot(f, String(e[f]))}
                  >
                    {String(e[f])}
                  </button>
                </dd>
              </div>
            ))}
          </dl>
          <EventDetections caseNumber={caseNumber} eventId={eventId} />
          <div className="row">
            <strong className="grow small">Raw record</strong>
            <CopyButton value={raw} label="Copy JSON" />
          </div>
          <pre className="mono" aria-label="Raw JSON">
            {raw}
          </pre>
        </>
      )}
    </aside>
  );
}
