import type { CustodyEntry, EvidenceItem } from '../../../common/contract/custody';
import { breakable, bytesExact, commonFolder, formatBytes, plural, span, utc } from './format';
import { custodyGroups } from './group';

/** A prefix most descriptions share, up to and including ": " (e.g. "Imported into the timeline: "). */
function sharedPrefix(descriptions: string[]): string {
  if (descriptions.length < 3) return '';
  const counts = new Map<string, number>();
  for (const d of descriptions) {
    const m = /^.{8,80}?: /.exec(d);
    if (m) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
  }
  const [best, n] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  return n >= descriptions.length * 0.8 && descriptions.every((d) => d.startsWith(best) || !d.includes(': ')) ? best : '';
}

/** The value most items share (80% or more), stated once; rows say only where they differ from it. */
function usual<T>(items: T[], pick: (item: T) => string): string | null {
  if (items.length < 3) return null;
  const counts = new Map<string, number>();
  for (const i of items) counts.set(pick(i), (counts.get(pick(i)) ?? 0) + 1);
  const [value, n] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  return n >= items.length * 0.8 && value ? value : null;
}

/**
 * The evidence inventory, compact: one row per item with its exact size and full SHA-256 (SHA-1 and MD5
 * under it), and what all items share (who acquired them, with what, where they came from, who holds them)
 * said once above the table.
 */
export function evidenceView(items: EvidenceItem[]) {
  const by = usual(items, (e) => e.acquisition.by);
  const tool = usual(items, (e) => e.acquisition.tool);
  const method = usual(items, (e) => e.acquisition.method);
  const day = usual(items, (e) => e.acquisition.at.slice(0, 10));
  const custodian = usual(items, (e) => e.custodian);
  const status = usual(items, (e) => e.status);
  const paths = items.map((e) => e.source.path).filter((p): p is string => !!p);
  const root = paths.length >= 2 ? commonFolder(paths) : '';
  const prefix = sharedPrefix(items.map((e) => e.description));
  const local = (e: EvidenceItem) =>
    e.source.path && root && e.source.path.startsWith(root) ? e.source.path.slice(root.length) : e.source.path;
  /** The description without the shared prefix; dropped when it only repeats the file name of the source. */
  const describe = (e: EvidenceItem) => {
    const rest = prefix && e.description.startsWith(prefix) ? e.description.slice(prefix.length) : e.description;
    const file = e.source.path?.split('/').pop();
    return rest === file && local(e) ? '' : rest;
  };
  const common = [
    by && `acquired by ${by}`,
    tool && `with ${tool}`,
    method && `(${method})`,
    day && `on ${day}`,
    custodian && `held by ${custodian}${status ? ` (${status})` : ''}`,
    !custodian && status && `status ${status}`,
  ].filter(Boolean);
  return {
    overview: items.length
      ? [
          `${plural(items.length, 'item')}, ${formatBytes(items.reduce((n, e) => n + (e.size ?? 0), 0))}.`,
          common.length ? `Unless a row says otherwise, ${common.join(' ')}.` : '',
          root ? `Source paths are relative to ${root}.` : '',
          prefix ? `Descriptions starting “${prefix.trim()}” are shown without it.` : '',
        ]
          .filter(Boolean)
          .join(' ')
      : '',
    items: items.map((e) => ({
      id: e.id,
      description: describe(e),
      kind: e.kind,
      bytes: bytesExact(e.size),
      sha256: e.sha256 ?? 'not recorded',
      sha1: e.sha1 ?? '',
      md5: e.md5 ?? '',
      source: local(e) ? breakable(local(e)) : '',
      remote: breakable([e.source.resource, e.source.account, e.source.region].filter(Boolean).join(' · ')),
      /** Acquisition time of day when the date is the usual one (stated above the table). */
      time: day && e.acquisition.at.slice(0, 10) === day ? e.acquisition.at.slice(11, 19) : '',
      acquired: [
        day && e.acquisition.at.slice(0, 10) === day ? '' : utc(e.acquisition.at),
        by && e.acquisition.by === by ? '' : `by ${e.acquisition.by}`,
        (tool && e.acquisition.tool === tool) || !e.acquisition.tool ? '' : `with ${e.acquisition.tool}`,
        (method && e.acquisition.method === method) || !e.acquisition.method ? '' : `(${e.acquisition.method})`,
        custodian && e.custodian === custodian ? '' : `custodian ${e.custodian}`,
        status && e.status === status ? '' : e.status,
      ]
        .filter(Boolean)
        .join(' · '),
    })),
  };
}

/**
 * The chain of custody in the body: how many entries of what, who signed, and the ledger head (whose hash
 * commits to every earlier entry through the chain); the grouped ledger itself is an appendix.
 */
export function custodyView(entries: CustodyEntry[]) {
  const byAction = new Map<string, number>();
  for (const e of entries) byAction.set(e.action, (byAction.get(e.action) ?? 0) + 1);
  const signers = new Map<string, string>();
  for (const e of entries) {
    signers.set(e.actor.fingerprint, e.actor.name);
    if (e.counterparty) signers.set(e.counterparty.fingerprint, e.counterparty.name);
  }
  const last = entries[entries.length - 1];
  return {
    counts: entries.length
      ? `${plural(entries.length, 'entry', 'entries')} (${[...byAction].map(([a, n]) => `${n} ${a}`).join(', ')}), ${span(entries[0]!.at, last!.at)} UTC.`
      : '',
    signers: [...signers].map(([fingerprint, name]) => ({ name, fingerprint })),
    head: last ? { seq: last.seq, hash: last.hash } : null,
    groups: custodyGroups(entries),
  };
}
