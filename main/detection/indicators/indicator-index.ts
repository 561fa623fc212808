import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../db/database';
import type { Clock } from '../../core/clock';
import type { IndicatorLookup, IndicatorType } from '../../../common/contract/detection';
import { classify, lookupType, normalise } from './classify';
import { indicatorsIn } from './extract';

type Kind = 'event' | 'finding' | 'ioc' | 'bundle';

interface Entry {
  hits: number;
  first: string | null;
  last: string | null;
}

/** A bundle's case.json larger than this is not read for the index (it stays readable in the case). */
const MAX_BUNDLE_BYTES = 512 * 1024 * 1024;

/** Timeline columns indexed, and how their values are typed. */
const COLUMNS: readonly { column: string; type: (v: string) => IndicatorType | null }[] = [
  { column: 'source_ip', type: (v) => classify(v) },
  { column: 'access_key_id', type: (v) => (classify(v) === 'access-key-id' ? 'access-key-id' : null) },
  { column: 'actor', type: (v) => (classify(v) === 'arn' ? 'arn' : null) },
  { column: 'resource', type: (v) => classify(v) },
  { column: 'user_agent', type: () => 'user-agent' },
  { column: 'account', type: (v) => (classify(v) === 'account-id' ? 'account-id' : null) },
];

/** Merges a row for a value already indexed for the case (an ARN both as actor and resource). */
const MERGE = `ON CONFLICT (value, case_id, kind, type) DO UPDATE SET hits = hits + excluded.hits,
  first_seen = min(coalesce(first_seen, excluded.first_seen), coalesce(excluded.first_seen, first_seen)),
  last_seen = max(coalesce(last_seen, excluded.last_seen), coalesce(excluded.last_seen, last_seen))`;

/**
 * Indexes one timeline column of a case: grouped and typed inside SQLite (the type function runs once per
 * distinct value), inserted in key order. `column` is one of the fixed COLUMNS above, never input.
 */
const eventColumnSql = (column: string, incremental: boolean): string =>
  `INSERT INTO indicator_index (value, case_id, kind, type, hits, first_seen, last_seen)
   SELECT v, ?, 'event', t, n, f, l FROM (
     SELECT lower(trim(${column})) AS v, lariat_indicator_type('${column}', trim(${column})) AS t, count(*) AS n, min(time) AS f, max(time) AS l
     FROM timeline_events WHERE ${incremental ? 'import_id > ? AND case_id = ?' : 'case_id = ?'} AND ${column} IS NOT NULL GROUP BY 1
   ) WHERE t IS NOT NULL AND length(v) BETWEEN 1 AND 2048 ORDER BY v ${MERGE}`;

/** What a case's index rows were built from, cheap to read for every case at each lookup. */
const STATE = `SELECT c.id,
  (SELECT coalesce(max(id), 0) FROM timeline_imports WHERE case_id = c.id) AS max_import,
  (SELECT count(*) || ':' || coalesce(max(updated_at), '') FROM iocs WHERE case_id = c.id)
  || '|' || (SELECT count(*) || ':' || coalesce(max(last_seen), '') FROM findings WHERE case_id = c.id)
  || '|' || (SELECT coalesce(max(id), 0) FROM bundle_receipts WHERE case_id = c.id) AS other,
  (SELECT signature FROM indicator_cases WHERE case_id = c.id) AS indexed
  FROM cases c`;

/** The imports of a case up to an id, as a fingerprint: changes when one is added, finished, cancelled or rolled back. */
const IMPORTS = `SELECT count(*) || ':' || coalesce(sum(imported), 0) || ':' || coalesce(sum(state = 'done'), 0) || ':' || coalesce(sum(state = 'running'), 0) AS sig
  FROM timeline_imports WHERE case_id = ? AND id <= ?`;

interface CaseState {
  id: number;
  max_import: number;
  other: string;
  indexed: string | null;
}

/** Stored in indicator_cases.signature. */
interface Indexed {
  maxImport: number;
  imports: string;
  other: string;
}

/**
 * Search across cases: every case's indicators (from its timeline columns,
 * findings, IOCs and a received bundle's case data) in one table keyed by
 * normalised value, so a lookup is one primary-key range however many cases
 * and events there are. A case's rows are rebuilt when what they were built
 * from changes (imports, IOCs, findings, a bundle), checked at each lookup.
 */
export class IndicatorIndex {
  private readonly lookupStmt;
  private readonly eventColumn = new Map<string, { run(...params: unknown[]): unknown }>();

  constructor(private readonly deps: { db: Db; clock: Clock }) {
    const types = new Map(COLUMNS.map((c) => [c.column, c.type]));
    deps.db.function('lariat_indicator_type', { deterministic: true }, (column: unknown, value: unknown) =>
      typeof column === 'string' && typeof value === 'string' ? (types.get(column)?.(value) ?? null) : null,
    );
    for (const { column } of COLUMNS) {
      this.eventColumn.set(column, deps.db.prepare(eventColumnSql(column, false)));
      this.eventColumn.set(`${column}+`, deps.db.prepare(eventColumnSql(column, true)));
    }
    this.lookupStmt = deps.db.prepare<
      [string],
      {
        case_id: number;
        number: string;
        title: string;
        read_only: number;
        kind: Kind;
        hits: number;
        first_seen: string | null;
        last_seen: string | null;
      }
    >(
      `SELECT i.case_id, c.number, c.title, c.read_only, i.kind, i.hits, i.first_seen, i.last_seen
       FROM indicator_index i JOIN cases c ON c.id = i.case_id WHERE i.value = ? ORDER BY c.number`,
    );
  }

  /** Brings every case's rows up to date (new imports are added, anything else changed is rebuilt); returns how many cases changed. */
  refreshStale(): number {
    let n = 0;
    for (const r of this.deps.db.prepare<[], CaseState>(STATE).all()) if (this.refresh(r)) n++;
    return n;
  }

  /** Brings one case up to date now (after an import, say). */
  refreshCase(caseId: number): void {
    const r = this.deps.db
      .prepare<[], CaseState>(STATE)
      .all()
      .find((x) => x.id === caseId);
    if (r) this.refresh(r);
  }

  private refresh(r: CaseState): boolean {
    const prev = r.indexed ? (safeJson(r.indexed) as Indexed | null) : null;
    const importsSig = (upto: number) => this.deps.db.prepare<[number, number], { sig: string }>(IMPORTS).get(r.id, upto)!.sig;
    const now: Indexed = { maxImport: r.max_import, imports: importsSig(r.max_import), other: r.other };
    if (prev && prev.maxImport === now.maxImport && prev.imports === now.imports && prev.other === now.other) return false;
    // Only new imports since the last build (and nothing earlier changed): index just their events.
    const appendFrom =
      prev && prev.maxImport < now.maxImport && importsSig(prev.maxImport) === prev.imports
        ? prev.maxImport
        : prev?.imports === now.imports
          ? now.maxImport
          : null;
    this.rebuild(r.id, now, appendFrom, prev?.other !== now.other);
    return true;
  }

  /** Which cases hold a value, with counts per source; the stale cases are re-indexed first. */
  lookup(value: string): IndicatorLookup {
    this.refreshStale();
    const byCase = new Map<number, IndicatorLookup['cases'][number]>();
    for (const r of this.lookupStmt.all(normalise(value))) {
      const c = byCase.get(r.case_id) ?? {
        caseNumber: r.number,
        title: r.title,
        readOnly: r.read_only === 1,
        events: 0,
        findings: 0,
        iocs: 0,
        bundle: 0,
        firstSeen: null,
        lastSeen: null,
      };
      const key = r.kind === 'event' ? 'events' : r.kind === 'finding' ? 'findings' : r.kind === 'ioc' ? 'iocs' : 'bundle';
      c[key] += r.hits;
      if (r.first_seen && (!c.firstSeen || r.first_seen < c.firstSeen)) c.firstSeen = r.first_seen;
      if (r.last_seen && (!c.lastSeen || r.last_seen > c.lastSeen)) c.lastSeen = r.last_seen;
      byCase.set(r.case_id, c);
    }
    return { value: value.trim(), type: lookupType(value), cases: [...byCase.values()] };
  }

  /**
   * Rewrites a case's rows. `appendFrom`: index only events of imports after this id (null: all events again);
   * `others`: rebuild the finding, IOC and bundle rows too.
   */
  private rebuild(caseId: number, state: Indexed, appendFrom: number | null, others: boolean): void {
    const { db } = this.deps;
    const acc = new Map<string, Entry>();
    const add = (kind: Kind, type: IndicatorType, value: string, hits: number, first: string | null, last: string | null) => {
      const v = normalise(value);
      if (v === '' || v.length > 2048) return;
      const key = `${v}\n${kind}\n${type}`;
      const e = acc.get(key);
      if (!e) acc.set(key, { hits, first, last });
      else {
        e.hits += hits;
        if (first && (!e.first || first < e.first)) e.first = first;
        if (last && (!e.last || last > e.last)) e.last = last;
      }
    };
    if (others)
      for (const f of db
        .prepare<[number], { raw: string; first_seen: string | null; last_seen: string | null }>(
          'SELECT raw, first_seen, last_seen FROM findings WHERE case_id = ?',
        )
        .all(caseId)) {
        for (const i of indicatorsIn(safeJson(f.raw))) add('finding', i.type, i.value, 1, f.first_seen, f.last_seen);
      }
    if (others)
      for (const i of db
        .prepare<[number], { type: string; value: string; created_at: string }>(
          'SELECT type, value, created_at FROM iocs WHERE case_id = ?',
        )
        .all(caseId)) {
        const t =
          i.type === 'ip' || i.type === 'domain' || i.type === 'access-key-id' || i.type === 'arn' || i.type === 'hash'
            ? i.type
            : 'user-agent';
        add('ioc', t, i.value, 1, i.created_at, i.created_at);
      }
    const receipt = db.prepare<[number], { folder: string }>('SELECT folder FROM bundle_receipts WHERE case_id = ?').get(caseId);
    if (receipt && others) for (const i of bundleIndicators(receipt.folder)) add('bundle', i.type, i.value, 1, null, null);

    const insert = db.prepare(
      `INSERT INTO indicator_index (value, case_id, kind, type, hits, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?) ${MERGE}`,
    );
    db.transaction(() => {
      if (appendFrom === null) db.prepare("DELETE FROM indicator_index WHERE case_id = ? AND kind = 'event'").run(caseId);
      if (others) db.prepare("DELETE FROM indicator_index WHERE case_id = ? AND kind != 'event'").run(caseId);
      if (appendFrom === null || appendFrom < state.maxImport)
        for (const c of COLUMNS) {
          if (appendFrom === null) this.eventColumn.get(c.column)!.run(caseId, caseId);
          else this.eventColumn.get(`${c.column}+`)!.run(caseId, appendFrom, caseId);
        }
      for (const [key, e] of [...acc].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))) {
        const [value, kind, type] = key.split('\n') as [string, Kind, IndicatorType];
        insert.run(value, caseId, kind, type, e.hits, e.first, e.last);
      }
      db.prepare(
        'INSERT INTO indicator_cases (case_id, signature, indexed_at) VALUES (?, ?, ?) ON CONFLICT(case_id) DO UPDATE SET signature = excluded.signature, indexed_at = excluded.indexed_at',
      ).run(caseId, JSON.stringify(state), this.deps.clock.now().toISOString());
    })();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The indicators of a received bundle's case data (`case.json` in its folder): events' columns, findings, IOCs; one entry per occurrence. */
function bundleIndicators(folder: string): { type: IndicatorType; value: string }[] {
  const file = path.join(folder, 'case.json');
  try {
    if (fs.statSync(file).size > MAX_BUNDLE_BYTES) return [];
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      timeline?: { events?: Record<string, unknown>[] } | null;
      findings?: unknown[] | null;
      iocs?: { type?: unknown; value?: unknown }[] | null;
    };
    const events = (data.timeline?.events ?? []).map((e) => ({
      sourceIp: e.sourceIp,
      accessKeyId: e.accessKeyId,
      actor: e.actor,
      resource: e.resource,
      userAgent: e.userAgent,
      account: e.account,
    }));
    const iocs = (data.iocs ?? []).filter((i) => typeof i.value === 'string').map((i) => ({ value: i.value as string, type: i.type }));
    return [
      ...events.flatMap((e) => indicatorsIn(e)),
      ...(data.findings ?? []).flatMap((f) => indicatorsIn(f)),
      ...iocs.map((i) => ({ type: (classify(i.value) ?? 'user-agent') as IndicatorType, value: i.value })),
    ];
  } catch {
    // A missing or unreadable case.json (bundles verify it on receipt) contributes nothing.
    return [];
  }
}
