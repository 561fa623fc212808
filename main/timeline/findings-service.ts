import { clipDepth } from './raw-depth';
import { iocValue } from './ioc-value';
import type { Db } from '../db/database';
import type { EventBus } from '../core/events';
import { notFound } from '../core/errors';
import type { ActivityService } from '../activity/activity-service';
import type { CaseService } from '../cases/case-service';
import type { AssetService } from '../assets/asset-service';
import type { AssetKind } from '../../common/contract/assets';
import { instanceFactsFromFinding } from '../assets/instance-facts';
import type { CaseRecord } from '../../common/contract/cases';
import type { FindingDetail, FindingRecord } from '../../common/contract/timeline';
import type { IocService } from './ioc-service';
import { EventStore } from './event-store';
import { parseAsff, parseGuardDuty } from './importers/findings';
import type { FindingRow } from './importers/types';

interface Row {
  id: number;
  case_number: string;
  source: FindingRecord['source'];
  finding_id: string;
  type: string;
  title: string;
  severity_label: FindingRecord['severityLabel'];
  severity_score: number;
  account: string | null;
  region: string | null;
  resources: string;
  first_seen: string | null;
  last_seen: string | null;
  linked_cases: string;
  raw: string;
}

const SELECT = 'SELECT f.*, c.number AS case_number FROM findings f JOIN cases c ON c.id = f.case_id';

const toFinding = (r: Row): FindingRecord => ({
  id: r.id,
  caseNumber: r.case_number,
  source: r.source,
  findingId: r.finding_id,
  type: r.type,
  title: r.title,
  severityLabel: r.severity_label,
  severityScore: r.severity_score,
  account: r.account,
  region: r.region,
  resources: JSON.parse(r.resources) as FindingRecord['resources'],
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
  linkedCases: JSON.parse(r.linked_cases) as string[],
});

/**
 * Findings imported from GuardDuty and Security Hub, and what an
 * investigator does with one: open a case from it, attach it to another
 * case, add its resources as assets and its indicators as IOCs.
 */
export class FindingsService {
  private readonly store: EventStore;

  constructor(
    private readonly deps: {
      db: Db;
      cases: CaseService;
      assets: AssetService;
      iocs: IocService;
      activity: ActivityService;
      events: EventBus;
    },
  ) {
    this.store = new EventStore(deps.db);
  }

  list(caseNumber: string, filter: { severity?: string; type?: string } = {}): FindingRecord[] {
    const c = this.deps.cases.require(caseNumber);
    const where = ['f.case_id = ?'];
    const params: (string | number)[] = [c.id];
    if (filter.severity) {
      where.push('f.severity_label = ?');
      params.push(filter.severity.toLowerCase());
    }
    if (filter.type) {
      where.push('f.type = ?');
      params.push(filter.type);
    }
    return (
      this.deps.db
        // eslint-disable-next-line no-restricted-syntax -- fixed fragments only; values are ? parameters
        .prepare<(string | number)[], Row>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY f.severity_score DESC, f.type, f.id LIMIT 5000`)
        .all(...params)
        .map(toFinding)
    );
  }

  private row(caseNumber: string, id: number): Row {
    const row = this.deps.db.prepare<[number, string], Row>(`${SELECT} WHERE f.id = ? AND c.number = ?`).get(id, caseNumber);
    if (!row)
      throw notFound('Finding', id, `Finding ${id} is not part of case ${caseNumber}; list them with \`lariat findings ${caseNumber}\`.`);
    return row;
  }

  private normalised(row: Row): FindingRow {
    const raw = JSON.parse(row.raw) as Record<string, unknown>;
    const parsed = row.source === 'guardduty' ? parseGuardDuty(raw, 1) : parseAsff(raw, 1);
    if ('error' in parsed || !parsed.finding) throw new Error(`stored finding ${row.id} no longer parses`);
    return parsed.finding;
  }

  get(caseNumber: string, id: number): FindingDetail {
    const row = this.row(caseNumber, id);
    return { ...toFinding(row), raw: clipDepth(JSON.parse(row.raw) as unknown), indicators: this.normalised(row).indicators };
  }

  /** Adds the finding's resources as assets and its indicators as IOCs of `targetCase` (default: the finding's case). */
  addAssets(caseNumber: string, id: number, targetCase = caseNumber): { assets: number; iocs: number } {
    const row = this.row(caseNumber, id);
    const f = this.normalised(row);
    let assets = 0;
    for (const r of f.resources) {
      this.deps.assets.upsert({
        caseNumber: targetCase,
        kind: r.type as AssetKind,
        identifier: r.id,
        account: f.account,
        region: f.region,
        details: { fromFinding: `${f.source}:${f.findingId}` },
        fillDetails: (r.type === 'ec2-instance' && instanceFactsFromFinding(f.source, JSON.parse(row.raw), r.id, f)) || undefined,
      });
      assets++;
    }
    let iocs = 0;
    for (const i of f.indicators) {
      // A finding's field that is not an indicator of its type (a service name where an address goes) is left out, not an error.
      if (!iocValue(i.type, i.value).ok) continue;
      this.deps.iocs.add({ caseNumber: targetCase, type: i.type, value: i.value, source: `${f.source} finding ${f.findingId}` });
      iocs++;
    }
    return { assets, iocs };
  }

  /** Copies the finding (and its timeline event) into another case, links both ways, and brings its assets and IOCs. */
  attach(caseNumber: string, id: number, targetCase: string): FindingRecord {
    const row = this.row(caseNumber, id);
    const f = this.normalised(row);
    this.deps.db.transaction(() => {
      const from = this.deps.cases.require(caseNumber);
      const to = this.deps.cases.requireWritable(targetCase);
      this.store.addFinding(to.id, f, null);
      const parsed =
        row.source === 'guardduty'
          ? parseGuardDuty(JSON.parse(row.raw) as Record<string, unknown>, 1)
          : parseAsff(JSON.parse(row.raw) as Record<string, unknown>, 1);
      const already = this.deps.db
        .prepare<[number, string, string], { n: number }>(
          'SELECT count(*) AS n FROM timeline_events e JOIN timeline_raw r ON r.id = e.id WHERE e.case_id = ? AND e.source = ? AND r.raw = ?',
        )
        .get(to.id, row.source, row.raw)!.n;
      if (!('error' in parsed) && already === 0)
        this.store.addEvent(to.id, parsed.event, { importId: null, evidenceId: null, file: `finding from ${caseNumber}` });
      const link = (caseId: number, findingKey: string, other: string) =>
        this.deps.db
          .prepare(
            `UPDATE findings SET linked_cases = (SELECT json_group_array(value) FROM (SELECT DISTINCT value FROM json_each(json_insert(linked_cases, '$[#]', ?)))) WHERE case_id = ? AND source = ? AND finding_id = ?`,
          )
          .run(other, caseId, row.source, findingKey);
      if (from.id !== to.id) {
        link(from.id, row.finding_id, targetCase);
        link(to.id, row.finding_id, caseNumber);
      }
      this.deps.activity.record({
        caseId: to.id,
        action: 'finding.attached',
        entity: 'finding',
        entityId: row.finding_id,
        details: { fromCase: caseNumber, type: row.type },
      });
      this.deps.activity.record({
        caseId: from.id,
        action: 'finding.linked',
        entity: 'finding',
        entityId: row.finding_id,
        details: { toCase: targetCase },
      });
    })();
    this.addAssets(caseNumber, id, targetCase);
    this.deps.events.emit('caseChanged', { caseNumber: targetCase, what: 'findings' });
    this.deps.events.emit('caseChanged', { caseNumber, what: 'findings' });
    return toFinding(this.row(caseNumber, id));
  }

  /** Opens a new case from a finding: title, severity and accounts from the finding; the finding attached. */
  caseFromFinding(caseNumber: string, id: number): CaseRecord {
    const row = this.row(caseNumber, id);
    const severity = row.severity_label === 'informational' ? 'low' : row.severity_label;
    const created = this.deps.cases.create({
      title: row.title.slice(0, 200),
      severity,
      summary: `Opened from ${row.source === 'guardduty' ? 'GuardDuty' : 'Security Hub'} finding ${row.finding_id} (${row.type}) in case ${caseNumber}.`,
      accounts: row.account && /^\d{12}$/.test(row.account) ? [row.account] : [],
      regions: row.region && /^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(row.region) ? [row.region] : [],
    });
    this.attach(caseNumber, id, created.number);
    return this.deps.cases.get(created.number);
  }
}
