import type { ActivityRecord } from '../../../common/contract/cases';
import type { CustodyEntry } from '../../../common/contract/custody';
import type { HighlightRule, TimelineEvent } from '../../../common/contract/timeline';
import { breakable, ranges, shortFp, span, utcShort } from './format';

/**
 * Repetitive records grouped for print: consecutive entries that say the same thing (same action, same
 * person, same purpose) become one line with a count, a time span and the ids they cover. Grouping keeps
 * every fact that differs; what is dropped is only the repetition.
 */
export function runs<T>(items: T[], key: (item: T) => string): T[][] {
  const out: T[][] = [];
  for (const item of items) {
    const last = out[out.length - 1];
    if (last && key(last[0]!) === key(item)) last.push(item);
    else out.push([item]);
  }
  return out;
}

/**
 * Records grouped per burst: records with the same key closer than BURST_MS to the group's last one join it
 * even when other kinds of record come between (an import alternates `imported` entries with its per-file
 * notes). Groups come in the order of their first record.
 */
export function bursts<T>(items: T[], key: (item: T) => string, at: (item: T) => string): T[][] {
  const groups: T[][] = [];
  const open = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const g = open.get(k);
    const last = g?.[g.length - 1];
    if (g && last !== undefined && Math.abs(Date.parse(at(last)) - Date.parse(at(item))) <= BURST_MS) g.push(item);
    else {
      const fresh = [item];
      open.set(k, fresh);
      groups.push(fresh);
    }
  }
  return groups;
}

/**
 * Custody ledger entries, grouped per burst; each group names every sequence number it covers (as ranges),
 * so the ledger export can be matched line by line even where groups interleave.
 */
export function custodyGroups(entries: CustodyEntry[]) {
  return bursts(
    entries,
    (e) => JSON.stringify([e.action, e.actor.fingerprint, e.counterparty?.fingerprint ?? null, e.purpose, e.location, !!e.evidence]),
    (e) => e.at,
  ).map((g) => {
    const e = g[0]!;
    const items = g.map((x) => x.evidence?.id).filter((id): id is number => id !== undefined);
    return {
      seq: ranges(g.map((x) => x.seq)),
      at: span(e.at, g[g.length - 1]!.at),
      action: e.action,
      count: g.length > 1 ? `×${g.length}` : '',
      evidence: items.length === 0 ? 'whole case' : g.length === 1 ? `E-${items[0]} ${e.evidence?.description ?? ''}` : ranges(items, 'E-'),
      actor: e.actor.name,
      actorFp: shortFp(e.actor.fingerprint),
      counterparty: e.counterparty ? `${e.counterparty.name} (${shortFp(e.counterparty.fingerprint)})` : '',
      purpose: e.purpose,
      location: e.location,
      hash: g.length === 1 ? e.hash : '',
    };
  });
}

/** Entries of the same kind closer than this in time belong to one burst (e.g. one import of 130 files). */
const BURST_MS = 5 * 60_000;

/**
 * Activity-log entries (newest first, as the log lists them), grouped by who did what to which kind of
 * thing, per burst: an import writes `evidence.imported`, `custody.imported` and `timeline.imported` for each
 * file, interleaved, and becomes three lines, each with its count, span and the ids it covers.
 */
export function activityGroups(entries: ActivityRecord[]) {
  const groups = bursts(
    entries,
    (a) => `${a.actor}|${a.action}|${a.entity}`,
    (a) => a.at,
  );
  return groups.map((g) => {
    const a = g[0]!;
    const ids = [...new Set(g.map((x) => x.entityId).filter((id): id is string => !!id))];
    const numeric = ids.length > 1 && ids.every((id) => /^\d+$/.test(id));
    const shown = numeric ? ranges(ids.map(Number)) : `${ids.slice(0, 6).join(', ')}${ids.length > 6 ? ` (+${ids.length - 6} more)` : ''}`;
    return {
      at: span(g[g.length - 1]!.at, a.at),
      actor: a.actor,
      action: a.action,
      count: g.length > 1 ? `×${g.length}` : '',
      entity: `${a.entity}${ids.length ? ` ${shown}` : ''}`,
    };
  });
}

/** Why an event is notable: the highlight rule it matched, and/or the investigator's flag. */
export function whyNotable(e: TimelineEvent, rules: Map<string, HighlightRule>): string {
  const rule = e.highlight ? (rules.get(e.highlight)?.label ?? e.highlight) : '';
  return [rule, e.flagged ? 'flagged' : ''].filter(Boolean).join(' · ');
}

/** Timeline events, consecutive identical ones (same action, actor, origin, result) as one line with a count and span. */
export function timelineGroups(events: TimelineEvent[], rules: Map<string, HighlightRule>) {
  return runs(events, (e) =>
    JSON.stringify([e.source, e.action, e.actor, e.sourceIp, e.region, e.errorCode, e.resource, e.highlight, e.flagged]),
  ).map((g) => {
    const e = g[0]!;
    return {
      time: e.time ? (g.length > 1 ? span(e.time, g[g.length - 1]!.time) : utcShort(e.time)) : 'no time',
      count: g.length > 1 ? `×${g.length}` : '',
      source: e.source,
      action: e.action ?? '',
      actor: breakable(e.actor),
      resource: e.resource ? breakable(e.resource) : '',
      where: [e.sourceIp, e.region].filter(Boolean).join(' · '),
      result: e.errorCode ?? e.severity ?? '',
      why: whyNotable(e, rules),
    };
  });
}
