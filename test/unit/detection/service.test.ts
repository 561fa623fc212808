import { readRaw } from '../../../main/timeline/raw-store';
import { RawReader } from '../../../main/timeline/raw-reader';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServices, tempDir, type TestServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import { DetectionService } from '../../../main/detection/detection-service';
import { collectRuleSources } from '../../../main/detection/rules/sources';
import { RuleSet } from '../../../main/detection/engine/rule-set';
import { detectionWhere } from '../../../main/detection/queries';
import { guardDutyTypesFor } from '../../../main/detection/attack/guardduty-map';
import * as op from '../../../main/detection/operations';
import type { JobContext } from '../../../main/jobs/job-service';
import { cancelledError } from '../../../main/jobs/job-service';
import { ct, SHARED_ROOT } from './helpers';

let s: TestServices;
let caseNumber: string;
let caseId: number;
let work: string;

beforeEach(() => {
  s = makeServices();
  ensureTestIdentity(s);
  caseNumber = s.core.cases.create({ title: 'Detection', severity: 'high' }).number;
  caseId = s.core.cases.require(caseNumber).id;
  work = tempDir('lariat-detect-');
});
afterEach(() => {
  s.cleanup();
  fs.rmSync(work, { recursive: true, force: true });
});

/** Hits of the case's current scan as "eventId:ruleId", sorted. */
const storedHits = (): string[] =>
  (
    s.core.db
      .prepare(
        `SELECT h.event_id, r.rule_id FROM detection_hits h JOIN detection_rules r ON r.id = h.rule
         JOIN detection_scans sc ON sc.id = h.scan_id WHERE sc.case_id = ? AND sc.state = 'current'`,
      )
      .all(caseId) as { event_id: number; rule_id: string }[]
  )
    .map((r) => `${r.event_id}:${r.rule_id}`)
    .sort();

/** Every stored record of the case, read as the timeline reads them (vault copy by offset, or inline). */
function storedRecords(where = ''): { id: number; raw: string }[] {
  const reader = new RawReader(s.core.paths.vaultDir);
  try {
    const ids = s.core.db.prepare(`SELECT e.id FROM timeline_events e WHERE e.case_id = ? ${where} ORDER BY e.id`).all(caseId) as {
      id: number;
    }[];
    return ids.flatMap(({ id }) => {
      const r = readRaw(s.core.db, reader, id);
      return r ? [{ id, raw: r.text }] : [];
    });
  } finally {
    reader.close();
  }
}

/** What the rules match when run independently over every stored raw record. */
const expectedHits = (disabled: string[] = []): string[] => {
  const set = new RuleSet(collectRuleSources(path.resolve('resources'), []).sources, { disabled });
  const rows = storedRecords("AND e.source = 'cloudtrail'");
  return rows.flatMap((r) => set.matchRecord(JSON.parse(r.raw)).map((i) => `${r.id}:${set.rules[i]!.meta.id}`)).sort();
};

function writeRecords(name: string, records: Record<string, unknown>[]): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, JSON.stringify({ Records: records }));
  return file;
}

/** Six failed console logins from one IP, then a success: the brute-force correlation's shape. */
function bruteForce(ip = '198.51.100.23'): Record<string, unknown>[] {
  const fail = (i: number) =>
    ct({
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      sourceIPAddress: ip,
      eventTime: `2026-11-20T10:0${i}:00Z`,
      eventID: `f-${ip}-${i}`,
      errorMessage: 'Failed authentication',
      responseElements: { ConsoleLogin: 'Failure' },
    });
  return [0, 1, 2, 3, 4, 5].map(fail).concat(
    ct({
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      sourceIPAddress: ip,
      eventTime: '2026-11-20T10:07:00Z',
      eventID: `ok-${ip}`,
      responseElements: { ConsoleLogin: 'Success' },
    }),
  );
}

/** Appends the brute-force events to the case's timeline (no import, so nothing matches them) and returns the stored rows. */
function appendBruteForce(): ReturnType<typeof storedRecords> {
  s.timeline.timeline.appendEvents(
    caseNumber,
    bruteForce().map((r) => ({ time: r.eventTime as string, source: 'cloudtrail' as const, action: r.eventName as string, raw: r })),
  );
  return storedRecords();
}

describe('matching at import', () => {
  it('every imported CloudTrail event is matched; stored hits equal the rules run independently over the raw records', async () => {
    await s.timeline.imports.importPaths(caseNumber, [path.join(SHARED_ROOT, 'data/cloudtrail')]);
    const want = expectedHits();
    expect(want.length).toBeGreaterThan(100);
    expect(storedHits()).toEqual(want);
    // A second import into the same case matches only the new events.
    await s.timeline.imports.importPaths(caseNumber, [writeRecords('more.json', bruteForce())]);
    expect(storedHits()).toEqual(expectedHits());
  });

  it('beginImport/matchBatch/record/finish: the API the import pipeline calls per batch', () => {
    const rows = appendBruteForce();
    const session = s.detection.service.beginImport(caseNumber);
    // The parse thread builds the same set from what the session hands over: indexes agree.
    const onThread = new RuleSet(structuredClone(session.sources), { disabled: structuredClone(session.disabled) });
    expect(onThread.rules.map((r) => r.meta.id)).toEqual(session.rules.set.rules.map((r) => r.meta.id));
    const hits = session.matchBatch(rows.map((r) => ({ id: r.id, raw: Buffer.from(r.raw) })));
    s.core.db.transaction(() => session.record(hits))();
    session.finish();
    expect(storedHits()).toEqual(expectedHits());
    const d = op.listCaseDetections(s.detection, { caseNumber });
    expect(d.correlations.map((c) => c.ruleId)).toEqual(['b38848ad-6f87-45db-8309-61d870868bb3', '41f3a776-941e-43b4-9e9c-fb8bc81ac5f7']);
    expect(d.correlations[1]!.group).toEqual({ sourceIPAddress: '198.51.100.23' });
    expect(d.correlations[1]!.eventIds).toEqual(rows.map((r) => r.id));
    expect(d.correlations[1]!.author).toBe('Lariat');
    // Everything up to the last event is matched: a catch-up finds nothing more to do.
    expect(s.detection.service.catchUp(caseNumber)).toBe(0);
  });

  it('a session aborted after storing hits (an import cancelled after some files) leaves the catch-up nothing to store twice', () => {
    const rows = appendBruteForce();
    const session = s.detection.service.beginImport(caseNumber);
    // The hits of events 2-4 are stored, then the import stops without advancing the scan. (Starting after
    // the first event, so the catch-up's runs do not start where these do and cannot just be merged with them.)
    const hits = session.matchBatch(rows.slice(1, 4).map((r) => ({ id: r.id, raw: r.raw })));
    expect(hits.length).toBeGreaterThan(0);
    s.core.db.transaction(() => session.record(hits))();
    session.abort();
    // The catch-up matches every event again, those three included.
    s.detection.service.catchUp(caseNumber);
    const stored = storedHits();
    expect(stored).toEqual(expectedHits());
    expect(new Set(stored).size).toBe(stored.length);
  });

  it('an aborted session (import cancelled) leaves the catch-up on for the case', async () => {
    s.detection.service.beginImport(caseNumber).abort();
    await s.timeline.imports.importPaths(caseNumber, [writeRecords('bf.json', bruteForce())]);
    expect(storedHits()).toEqual(expectedHits());
    expect(storedHits().length).toBeGreaterThan(0);
  });
});

describe('rescan', () => {
  beforeEach(async () => {
    await s.timeline.imports.importPaths(caseNumber, [path.join(SHARED_ROOT, 'data/cloudtrail/panther')]);
  });

  it('applies a disabled rule to stored events, and records the rescan in the activity log', async () => {
    const root = s.detection.service.loadRules().set.rules.find((r) => r.meta.path.endsWith('aws_root_account_usage.yml'))!.meta.id;
    expect(storedHits().some((h) => h.endsWith(root))).toBe(true);
    op.setRuleEnabled(s.detection, { ruleId: root, enabled: false });
    const report = await op.rescanCase(s.detection, { caseNumber }).result;
    expect(storedHits()).toEqual(expectedHits([root]));
    expect(storedHits().some((h) => h.endsWith(root))).toBe(false);
    expect(report.hits).toBe(storedHits().length);
    expect(s.core.activity.list(caseNumber).some((a) => a.action === 'detection.rescan')).toBe(true);
  });

  it('a rescan leaves the cross-case index alone (it changes nothing the index reads); the next lookup refreshes it', async () => {
    const indexed = () => s.core.db.prepare('SELECT count(*) AS n FROM indicator_index WHERE case_id = ?').get(caseId) as { n: number };
    const ip = s.core.db
      .prepare('SELECT source_ip FROM timeline_events WHERE case_id = ? AND source_ip IS NOT NULL ORDER BY id LIMIT 1')
      .pluck()
      .get(caseId) as string;
    // The import left the index to the next lookup: a rescan must not pay for that build.
    expect(indexed().n).toBe(0);
    await op.rescanCase(s.detection, { caseNumber }).result;
    expect(indexed().n).toBe(0);
    const found = s.detection.indicators.lookup(ip);
    expect(found.cases.map((c) => c.caseNumber)).toContain(caseNumber);
    expect(indexed().n).toBeGreaterThan(0);
  });

  it('a cancelled rescan leaves the previous detections exactly as they were', async () => {
    const before = storedHits();
    const root = s.detection.service.loadRules().set.rules.find((r) => r.meta.path.endsWith('aws_root_account_usage.yml'))!.meta.id;
    op.setRuleEnabled(s.detection, { ruleId: root, enabled: false });
    let checks = 0;
    const job: JobContext = {
      signal: new AbortController().signal,
      progress: () => undefined,
      throwIfCancelled: () => {
        if (++checks === 2) throw cancelledError();
      },
    };
    await expect(s.detection.service.rescan(caseNumber, job)).rejects.toMatchObject({ code: 'cancelled' });
    expect(storedHits()).toEqual(before);
    expect(s.core.db.prepare("SELECT count(*) AS n FROM detection_scans WHERE state = 'running'").get()).toEqual({ n: 0 });
  });

  it('a rescan interrupted by a crash (kill -9) is discarded at the next start, keeping the previous hits', () => {
    const before = storedHits();
    const scan = Number(
      s.core.db
        .prepare(
          "INSERT INTO detection_scans (case_id, state, kind, owner, started_at) VALUES (?, 'running', 'rescan', 'gone-host:4242', 'x')",
        )
        .run(caseId).lastInsertRowid,
    );
    s.core.db
      .prepare(
        'INSERT INTO detection_hit_runs (scan_id, rule, first_event, last_event, n, events) SELECT ?, rule, first_event, last_event, n, events FROM detection_hit_runs',
      )
      .run(scan);
    expect(s.core.db.prepare('SELECT count(*) AS n FROM detection_hits WHERE scan_id = ?').get(scan)).toEqual({ n: before.length });
    new DetectionService({ ...s.core, resourcesDir: path.resolve('resources'), vaultDir: s.core.paths.vaultDir });
    expect(s.core.db.prepare('SELECT state FROM detection_scans WHERE id = ?').get(scan)).toEqual({ state: 'failed' });
    expect(s.core.db.prepare('SELECT count(*) AS n FROM detection_hits WHERE scan_id = ?').get(scan)).toEqual({ n: 0 });
    expect(storedHits()).toEqual(before);
  });

  it('refuses a case received in a bundle (read-only) and an unknown case', () => {
    expect(() => op.rescanCase(s.detection, { caseNumber: 'IR-2026-9999' })).toThrow(/not found/);
  });
});

describe('what the timeline and the event panel read', () => {
  beforeEach(async () => {
    await s.timeline.imports.importPaths(caseNumber, [
      path.join(SHARED_ROOT, 'data/cloudtrail/panther'),
      writeRecords('bf.json', bruteForce()),
    ]);
    await s.timeline.imports.importPaths(caseNumber, [path.join(SHARED_ROOT, 'data/guardduty')]);
  });

  const filtered = (f: Parameters<typeof detectionWhere>[2]) => {
    const w = detectionWhere(s.core.db, caseId, f, {
      supporting: s.detection.service.loadRules().set.supporting,
      findingTypesFor: guardDutyTypesFor,
    });
    return (
      s.core.db.prepare(`SELECT e.id FROM timeline_events e WHERE e.case_id = ? AND ${w!.sql} ORDER BY e.id`).all(caseId, ...w!.params) as {
        id: number;
      }[]
    ).map((r) => r.id);
  };

  it('detectionWhere filters by rule (id or name), minimum level and technique, equal to the stored hits', () => {
    const hits = storedHits();
    const ofRule = (id: string) =>
      [...new Set(hits.filter((h) => h.endsWith(`:${id}`)).map((h) => Number(h.split(':')[0])))].sort((a, b) => a - b);
    const stop = 'a53f3fc6-629a-418c-b24b-e5a7b54440d7';
    expect(filtered({ rule: 'remote-command' })).toEqual(ofRule(stop));
    const metas = s.detection.service.loadRules().set.rules.map((r) => r.meta);
    const high = metas.filter((m) => m.level === 'high' || m.level === 'critical').map((m) => m.id);
    const want = [...new Set(high.flatMap(ofRule))].sort((a, b) => a - b);
    expect(want.length).toBeGreaterThan(0);
    // Correlation detections at high level link their events too.
    const corr = op
      .listCaseDetections(s.detection, { caseNumber })
      .correlations.filter((c) => c.level === 'high')
      .flatMap((c) => c.eventIds);
    expect(filtered({ level: 'high' })).toEqual([...new Set([...want, ...corr])].sort((a, b) => a - b));
    // T1110 (brute force): the failed logins, their correlations, and GuardDuty's SSH/RDP brute-force findings.
    const t1110 = filtered({ technique: 'T1110' });
    const gd = (
      s.core.db
        .prepare(
          "SELECT id FROM timeline_events WHERE case_id = ? AND action IN ('UnauthorizedAccess:EC2/SSHBruteForce','UnauthorizedAccess:EC2/RDPBruteForce')",
        )
        .all(caseId) as { id: number }[]
    ).map((r) => r.id);
    expect(gd.length).toBe(2);
    for (const id of gd) expect(t1110).toContain(id);
    // A rule the case has never known is a mistake to report, not an empty list.
    expect(() => filtered({ rule: 'no-such-rule' })).toThrow(/Detection rule no-such-rule was not found/);
  });

  it('an event lists its rules with author, description and false positives, then its correlations', () => {
    const id = (
      s.core.db
        .prepare(
          "SELECT id FROM timeline_events WHERE case_id = ? AND action = 'ConsoleLogin' AND source_ip = '198.51.100.23' ORDER BY id LIMIT 1",
        )
        .get(caseId) as { id: number }
    ).id;
    const d = op.getEventDetections(s.detection, { caseNumber, eventId: id });
    expect(d.map((x) => x.title)).toEqual(
      expect.arrayContaining([
        'AWS ConsoleLogin Failed Authentication',
        'Console login failure',
        'Console login failures from one IP',
        'Console login failures then success from one IP',
      ]),
    );
    const sigma = d.find((x) => x.title === 'AWS ConsoleLogin Failed Authentication')!;
    expect(sigma.author.length).toBeGreaterThan(0);
    expect(sigma.falsepositives.length).toBeGreaterThan(0);
    expect(sigma.correlationId).toBeNull();
    expect(d.filter((x) => x.correlationId !== null)).toHaveLength(2);
    expect(() => op.getEventDetections(s.detection, { caseNumber, eventId: 999_999 })).toThrow(/not found/);
  });

  it('the ATT&CK matrix places techniques under their tactics, with events, findings and rule authors', () => {
    const m = op.getAttackMatrix(s.detection, { caseNumber });
    expect(m.tactics.slice(0, 3).map((t) => t.shortName)).toEqual(['reconnaissance', 'resource-development', 'initial-access']);
    const cred = m.tactics.find((t) => t.shortName === 'credential-access')!;
    const bf = cred.techniques.find((t) => t.id === 'T1110')!;
    expect(bf.name).toBe('Brute Force');
    expect(bf.events).toBeGreaterThanOrEqual(6);
    expect(bf.findings).toBe(2);
    expect(bf.findingTypes.sort()).toEqual(['UnauthorizedAccess:EC2/RDPBruteForce', 'UnauthorizedAccess:EC2/SSHBruteForce']);
    expect(bf.rules.every((r) => r.author.length > 0)).toBe(true);
    const recon = m.tactics.find((t) => t.shortName === 'reconnaissance')!;
    expect(recon.techniques.map((t) => t.id)).toContain('T1595.001');
    expect(m.terms).toMatch(/MITRE/);
    // A technique from a newer ATT&CK release is shown by id, marked unknown, never with a guessed name.
    const unknown = m.tactics.flatMap((t) => t.techniques).filter((t) => !t.known);
    for (const t of unknown) expect(t.name).toMatch(/not in Lariat's offline ATT&CK v17 table|sub-technique/);
  });

  it('rules list shows author, state and hits per case; supporting rules are marked', () => {
    const list = op.listRules(s.detection, { caseNumber });
    expect(list.notLoaded).toEqual([]);
    expect(list.rules).toHaveLength(74);
    const failed = list.rules.find((r) => r.name === 'console-login-failure')!;
    const count = storedHits().filter((h) => h.endsWith(`:${failed.id}`)).length;
    expect(count).toBeGreaterThanOrEqual(6);
    expect(failed.hits).toEqual([{ caseNumber, count }]);
    expect(list.rules.find((r) => r.name === 'access-denied')!.supporting).toBe(true);
  });
});

describe('rule sources', () => {
  it('investigator folders (setting and --rules) load, with errors listed by file; disabled rules are listed as disabled', () => {
    const mine = path.join(work, 'mine');
    fs.mkdirSync(path.join(mine, 'sub'), { recursive: true });
    fs.writeFileSync(
      path.join(mine, 'sub', 'ok.yml'),
      'title: Mine\nid: mine-1\nauthor: Me\nlogsource:\n    product: aws\n    service: cloudtrail\ndetection:\n    selection:\n        eventName: ListUsers\n    condition: selection\nlevel: low\n',
    );
    fs.writeFileSync(
      path.join(mine, 'bad.yaml'),
      'title: Broken\nid: mine-2\nlogsource:\n    product: aws\ndetection:\n    selection:\n        eventName|foo: x\n    condition: selection\n',
    );
    fs.writeFileSync(path.join(mine, 'notes.txt'), 'not a rule');
    const viaFlag = op.listRules(s.detection, { extraFolders: [mine] });
    expect(viaFlag.rules.find((r) => r.id === 'mine-1')).toMatchObject({ origin: 'investigator', author: 'Me', enabled: true });
    expect(viaFlag.notLoaded).toEqual([expect.objectContaining({ id: 'mine-2', title: 'Broken', error: expect.stringMatching(/\|foo/) })]);
    expect(op.listRules(s.detection, {}).rules.find((r) => r.id === 'mine-1')).toBeUndefined();
    // New folders arrive as tokens (the folder dialog, or the CLI's arguments); a path from the renderer is refused.
    const grant = (dir: string) => s.core.grants.grant(dir, 'read').token;
    op.setRuleFolders(s.detection, { add: [grant(mine)], keep: [] });
    expect(op.listRules(s.detection, {}).rules.find((r) => r.id === 'mine-1')).toBeDefined();
    op.setRuleEnabled(s.detection, { ruleId: 'mine-1', enabled: false });
    expect(op.listRules(s.detection, {}).rules.find((r) => r.id === 'mine-1')!.enabled).toBe(false);
    expect(() => op.setRuleFolders(s.detection, { add: [grant(path.join(work, 'nope'))], keep: [] })).toThrow(/does not exist/);
    expect(() => op.setRuleFolders(s.detection, { add: [], keep: ['/etc'] })).toThrow(/not one of your rule folders/);
    op.setRuleFolders(s.detection, { add: [], keep: [mine] });
    expect(op.listRules(s.detection, {}).folders).toEqual([mine]);
    expect(() => op.setRuleEnabled(s.detection, { ruleId: 'no-such', enabled: false })).toThrow(/not found/);
  });
});
