import type { Db } from '../db/database';
import { AppError } from '../core/errors';
import type { CaseService } from '../cases/case-service';
import type { IocCandidate, IocRecord } from '../../common/contract/timeline';
import type { Tlp } from '../../common/contract/common';
import type { IocService } from './ioc-service';
import { iocValue } from './ioc-value';

type CandidateType = IocCandidate['type'];

/** The column each kind of candidate comes from (a fixed list: nothing from input reaches the SQL text). */
const SOURCES: Record<CandidateType, { column: string; keep: (v: string) => boolean }> = {
  // Source IPs, not the service names CloudTrail writes there (ec2.amazonaws.com), nor addresses that name no host.
  // Only what could be promoted: the same check an IOC added by hand passes (ioc-value.ts).
  ip: { column: 'source_ip', keep: (v) => iocValue('ip', v).ok && !['0.0.0.0', '::', '255.255.255.255'].includes(v) },
  'access-key-id': { column: 'access_key_id', keep: (v) => iocValue('access-key-id', v).ok },
  arn: { column: 'actor', keep: (v) => iocValue('arn', v).ok },
  'user-agent': { column: 'user_agent', keep: (v) => v.length > 0 },
};

const STATEMENTS: Record<CandidateType, string> = Object.fromEntries(
  Object.entries(SOURCES).map(([type, s]) => [
    type,
    // The column comes from the fixed SOURCES table above.
    `SELECT ${s.column} AS value, count(*) AS n, min(CASE WHEN ts > 0 THEN ts END) AS lo, max(CASE WHEN ts > 0 THEN ts END) AS hi
     FROM timeline_events WHERE case_id = ? AND ${s.column} IS NOT NULL AND sample = 0 GROUP BY ${s.column} ORDER BY n DESC, value LIMIT ?`,
  ]),
) as Record<CandidateType, string>;

/** The spelling an IOC of this value is kept in (lower-case IPv6...), to tell whether it is one already. */
const normalised = (t: CandidateType, v: string): string => {
  const c = iocValue(t, v);
  return c.ok ? c.value : v;
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Candidate indicators from the case's own logs: the source IPs, access key
 * ids, principals (ARNs) and user agents its events carry, with how often and
 * when they were first and last seen. They are not IOCs until the
 * investigator promotes one. Events of sample findings are left out, so a
 * sample's 0.0.0.0 or made-up key never becomes a candidate.
 */
export class CandidateService {
  constructor(private readonly deps: { db: Db; cases: CaseService; iocs: IocService }) {}

  list(caseNumber: string, type?: CandidateType, limit = 200): IocCandidate[] {
    const c = this.deps.cases.require(caseNumber);
    const iocs = new Set(this.deps.iocs.list(caseNumber).map((i) => `${i.type}\u0000${i.value}`));
    const out: IocCandidate[] = [];
    for (const t of type ? [type] : (Object.keys(SOURCES) as CandidateType[])) {
      const rows = this.deps.db
        .prepare<[number, number], { value: string; n: number; lo: number | null; hi: number | null }>(STATEMENTS[t])
        .all(c.id, limit * 2);
      for (const r of rows) {
        if (!SOURCES[t].keep(r.value)) continue;
        out.push({
          type: t,
          value: r.value,
          count: r.n,
          firstSeen: iso(r.lo),
          lastSeen: iso(r.hi),
          promoted: iocs.has(`${t}\u0000${normalised(t, r.value)}`),
        });
        if (out.filter((x) => x.type === t).length >= limit) break;
      }
    }
    return out;
  }

  /** Makes a candidate an IOC of the case, noting where it came from; refused for a value no real event carries. */
  promote(input: { caseNumber: string; type: CandidateType; value: string; tlp?: Tlp }): IocRecord {
    const c = this.deps.cases.requireWritable(input.caseNumber);
    const { column, keep } = SOURCES[input.type];
    // The column comes from the fixed SOURCES table above.
    const sql = `SELECT count(*) AS n, sum(sample = 0) AS real FROM timeline_events WHERE case_id = ? AND ${column} = ?`;
    const seen = this.deps.db.prepare<[number, string], { n: number; real: number | null }>(sql).get(c.id, input.value)!;
    if (!keep(input.value) || (seen.real ?? 0) === 0) {
      throw new AppError(
        'not-a-candidate',
        seen.n > 0
          ? `${input.value} appears only in sample findings, which are made up: it cannot become an indicator.`
          : `${input.value} is not a ${input.type} seen in the logs of ${input.caseNumber}.`,
        'List the candidates with `lariat ioc candidates <case>`; add an indicator by hand with `lariat ioc add`.',
      );
    }
    return this.deps.iocs.add({
      caseNumber: input.caseNumber,
      type: input.type,
      value: input.value,
      tlp: input.tlp,
      source: `timeline candidate (${seen.real} events)`,
    });
  }
}
