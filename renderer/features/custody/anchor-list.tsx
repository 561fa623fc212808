import type { AnchorRecord } from '../../../common/contract/custody';
import { CopyButton } from '../../components/copy-button';
import { Time } from '../../components/time';

const KIND: Record<AnchorRecord['kind'], string> = {
  s3: 'S3 Object Lock',
  tsa: 'RFC 3161 time-stamp',
  manual: 'placed by hand',
};

/** The anchors of a case: which signed checkpoint is kept where, each one usable for a verification now. */
export function AnchorList({ anchors, onVerify }: { anchors: AnchorRecord[]; onVerify(checkpoint: string): void }) {
  if (anchors.length === 0) return <p className="muted">No checkpoint of this case is anchored outside this data folder yet.</p>;
  return (
    <table className="data-table" aria-label="Anchors">
      <thead>
        <tr>
          <th>Anchor</th>
          <th>Entry</th>
          <th>Head hash</th>
          <th>Where</th>
          <th>Recorded</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {anchors.map((a, k) => (
          <tr key={k}>
            <td>{KIND[a.kind]}</td>
            <td className="num">{a.seq}</td>
            <td className="mono" title={a.hash}>
              {a.hash.slice(0, 16)}…
            </td>
            <td>
              {a.location}
              <div className="muted">{a.detail}</div>
            </td>
            <td>
              <Time iso={a.createdAt} />
            </td>
            <td>
              <CopyButton value={a.checkpoint} label="Copy checkpoint" />
              <button type="button" className="btn btn-xs" onClick={() => onVerify(a.checkpoint)}>
                Verify against it
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
