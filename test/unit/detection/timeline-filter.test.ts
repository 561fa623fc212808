import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeServices, type TestServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import { cli } from '../../helpers/cli';
import { timelineOperations } from '../../../main/timeline/operations';
import { buildWhere } from '../../../main/timeline/query';
import { TimelineFilter } from '../../../common/contract/timeline';
import { SHARED_ROOT } from './helpers';

let s: TestServices;
let caseNumber: string;
let caseId: number;

beforeAll(async () => {
  s = makeServices();
  ensureTestIdentity(s);
  caseNumber = s.core.cases.create({ title: 'Detection filters', severity: 'high' }).number;
  caseId = s.core.cases.require(caseNumber).id;
  await s.timeline.imports.importPaths(caseNumber, [
    path.join(SHARED_ROOT, 'data/cloudtrail/panther'),
    path.join(SHARED_ROOT, 'data/guardduty'),
  ]);
});
afterAll(() => s.cleanup());

/** Event ids of the case's current scan hits for one rule id. */
const hitsOf = (ruleId: string): number[] =>
  (
    s.core.db
      .prepare(
        `SELECT DISTINCT h.event_id FROM detection_hits h JOIN detection_rules r ON r.id = h.rule
         JOIN detection_scans sc ON sc.id = h.scan_id WHERE sc.case_id = ? AND sc.state = 'current' AND r.rule_id = ? ORDER BY h.event_id`,
      )
      .all(caseId, ruleId) as { event_id: number }[]
  ).map((r) => r.event_id);

describe('timeline queries filtered by detection', () => {
  it('--rule lists exactly the events the rule hit, by id or by name; count agrees; other filters still apply', async () => {
    const ops = timelineOperations(s);
    const want = hitsOf('a53f3fc6-629a-418c-b24b-e5a7b54440d7');
    expect(want.length).toBeGreaterThan(0);
    const byId = await ops.queryTimeline({ caseNumber, rule: 'a53f3fc6-629a-418c-b24b-e5a7b54440d7', limit: 1000 });
    expect(byId.events.map((e) => e.id).sort((a, b) => a - b)).toEqual(want);
    const byName = await ops.queryTimeline({ caseNumber, rule: 'remote-command', limit: 1000 });
    expect(byName.events.map((e) => e.id).sort((a, b) => a - b)).toEqual(want);
    expect((await ops.countTimeline({ caseNumber, rule: 'remote-command', exact: true })).count).toBe(want.length);
    const narrowed = await ops.countTimeline({ caseNumber, rule: 'remote-command', errorsOnly: true, exact: true });
    expect(narrowed.count).toBeLessThanOrEqual(want.length);
    await expect((async () => ops.countTimeline({ caseNumber, rule: 'no-such-rule', exact: true }))()).rejects.toMatchObject({
      code: 'not-found',
    });
  });

  it('--level keeps that level and above; --technique includes mapped GuardDuty findings', async () => {
    const ops = timelineOperations(s);
    const any = (await ops.countTimeline({ caseNumber, rule: 'any', exact: true })).count;
    const low = (await ops.countTimeline({ caseNumber, level: 'low', exact: true })).count;
    const high = (await ops.countTimeline({ caseNumber, level: 'high', exact: true })).count;
    const critical = (await ops.countTimeline({ caseNumber, level: 'critical', exact: true })).count;
    expect(high).toBeGreaterThan(0);
    expect(low).toBeLessThanOrEqual(any);
    expect(high).toBeLessThanOrEqual(low);
    expect(critical).toBeLessThanOrEqual(high);
    const page = await ops.queryTimeline({ caseNumber, technique: 't1110', limit: 1000 });
    const actions = page.events.map((e) => e.action);
    expect(actions).toContain('UnauthorizedAccess:EC2/SSHBruteForce');
    const h = await ops.timelineHistogram({ caseNumber, technique: 'T1110' });
    expect(h.counts.reduce((a, b) => a + b, 0) + h.untimed).toBe(page.events.length);
  });

  it('the contract refuses a malformed technique or level; the quick path refuses detection filters instead of ignoring them', () => {
    expect(TimelineFilter.safeParse({ caseNumber, technique: 'T10' }).success).toBe(false);
    expect(TimelineFilter.safeParse({ caseNumber, technique: "T1078' OR 1=1" }).success).toBe(false);
    expect(TimelineFilter.safeParse({ caseNumber, level: 'severe' }).success).toBe(false);
    expect(() => buildWhere(caseId, { caseNumber, rule: 'any' })).toThrow(/not available here/);
  });
});

describe('a rule the filter does not know', () => {
  it('is an error that says what to do; a shipped rule in a data folder that never imported is an empty list', async () => {
    const fresh = makeServices();
    try {
      ensureTestIdentity(fresh);
      const n = fresh.core.cases.create({ title: 'Nothing imported', severity: 'low' }).number;
      const ops = timelineOperations(fresh);
      // No import has run: the rule catalog is empty, yet shipped rules (and switched-off ones) are known by id and name.
      expect(fresh.core.db.prepare('SELECT count(*) AS n FROM detection_rules').get()).toEqual({ n: 0 });
      expect((await ops.countTimeline({ caseNumber: n, rule: 'remote-command', exact: true })).count).toBe(0);
      const root = fresh.detection.service.loadRules().set.rules.find((r) => r.meta.path.endsWith('aws_root_account_usage.yml'))!.meta.id;
      fresh.detection.service.setEnabled(root, false);
      expect((await ops.countTimeline({ caseNumber: n, rule: root, exact: true })).count).toBe(0);
      await expect((async () => ops.countTimeline({ caseNumber: n, rule: 'remote-comand', exact: true }))()).rejects.toMatchObject({
        code: 'not-found',
        message: 'Detection rule remote-comand was not found.',
      });
    } finally {
      fresh.cleanup();
    }
  });
});

describe('lariat timeline --rule/--level/--technique', () => {
  it('counts and lists through the full CLI (the quick path hands these filters over)', async () => {
    const dir = s.core.paths.dataDir;
    s.close();
    try {
      const want = (await cli(dir, 'timeline', caseNumber, '--count')).out;
      const r = await cli(dir, 'timeline', caseNumber, '--rule', 'remote-command', '--count');
      expect(r.code).toBe(0);
      expect(Number(r.out)).toBeGreaterThan(0);
      expect(Number(r.out)).toBeLessThan(Number(want));
      const j = JSON.parse((await cli(dir, 'timeline', caseNumber, '--technique', 'T1110', '--json', '--limit', '1000')).out) as {
        events: { action: string }[];
      };
      expect(j.events.map((e) => e.action)).toContain('UnauthorizedAccess:EC2/SSHBruteForce');
      const bad = await cli(dir, 'timeline', caseNumber, '--level', 'severe');
      expect(bad.code).toBe(1);
      // A mistyped rule is an error that says what to do, not "no events match".
      const typo = await cli(dir, 'timeline', caseNumber, '--rule', 'remote-comand', '--count');
      expect(typo.code).toBe(1);
      expect(typo.err).toContain('Detection rule remote-comand was not found');
      expect(typo.err).toContain('lariat rules list');
      expect(fs.existsSync(dir)).toBe(true);
    } finally {
      s = makeServices({ dataDir: dir });
    }
  });
});
