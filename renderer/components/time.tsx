import { formatUtc, localTitle } from './format';

/** A UTC timestamp, with local time on hover. */
export function Time({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span className="muted">—</span>;
  return (
    <time className="num" dateTime={iso} title={localTitle(iso)}>
      {formatUtc(iso)}
    </time>
  );
}
