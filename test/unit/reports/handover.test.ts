import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeServices, type TestServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import { activityGroups, custodyGroups, timelineGroups } from '../../../main/reports/render/group';
import { ranges } from '../../../main/reports/render/format';

let s: TestServices;
let n: string;
let html: string;

/** The demo case, with an instance asset (not isolated), an open task, and one flagged event that no rule highlights. */
beforeAll(async () => {
  s = makeServices();
  ensureTestIdentity(s, 'Ada Examiner');
  n = (await s.timeline.demo()).caseRecord.number;
  s.core.assets.upsert({ caseNumber: n, kind: 'ec2-instance', identifier: 'i-0abc1234def567890', label: 'web-1' });
  s.tasks.add({ caseNumber: n, title: 'Rotate the leaked keys', assignee: 'Bob', dueDate: '2026-12-01' });
  const plain = s.timeline.events.query({ caseNumber: n, where: [{ column: 'action', value: 'DescribeInstances' }], limit: 1 }).events[0]!;
  expect(plain.highlight).toBeNull();
  s.timeline.events.flag(n, plain.id, true);
  html = (await s.reports.reports.generate({ caseNumber: n })).html;
}, 60_000);
afterAll(() => s.cleanup());

const text = (h: string) =>
  h
    .replace(/<wbr>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

describe('a report worth handing over', () => {
  it('opens with an executive page: what happened, impact, containment, key timeline, open actions', () => {
    const first = text(html.slice(0, html.indexOf('<nav class="toc"')));
    for (const h of ['What happened', 'Impact', 'Key timeline', 'Containment', 'Open actions']) expect(first).toContain(h);
    const threats = s.timeline.findings.list(n).filter((f) => f.source === 'guardduty').length;
    expect(first).toMatch(new RegExp(`${threats} threat findings \\(`));
    expect(first).toContain('i-99999999 (EC2 instance)');
    expect(first).toContain('i-0abc1234def567890 (web-1): not isolated');
    expect(first).toContain('Decide on containment of i-0abc1234def567890');
    expect(first).toContain('Rotate the leaked keys (Bob, due 2026-12-01)');
    expect(first).toContain('Logging stopped or changed');
  });

  it('shows the highlighted and the flagged events in the timeline section by default', () => {
    const highlighted = s.timeline.events.count({ caseNumber: n, highlight: 'any' }).count;
    expect(highlighted).toBeGreaterThan(50);
    const section = text(html.slice(html.indexOf('id="timeline"'), html.indexOf('id="iocs"')));
    expect(section).toContain('Scope: notable events');
    expect(section).toContain('DescribeInstances');
    expect(section).toContain('StopLogging');
    expect(section).toContain('Logging stopped or changed');
  });

  it('loses nothing of substance: every item with all its hashes and exact size, every signer, the ledger head', () => {
    for (const e of s.custody.vault.list(n)) {
      for (const h of [e.sha256, e.sha1, e.md5]) if (h) expect(html).toContain(h);
      expect(html).toContain(`E-${e.id}`);
      if (e.size !== null) expect(html).toContain(e.size.toLocaleString('en-US'));
    }
    const entries = s.custody.ledger.list(n);
    expect(html).toContain(entries[entries.length - 1]!.hash);
    expect(html).toContain(s.custody.identity.current()!.fingerprint);
    for (const f of s.timeline.findings.list(n)) expect(text(html)).toContain(f.title.replace(/\s+/g, ' ').trim());
  });

  it('prints the custody ledger and the activity log as grouped appendices', () => {
    const a = html.indexOf('Appendix A. Custody ledger');
    const b = html.indexOf('Appendix B. Activity log');
    expect(a).toBeGreaterThan(html.indexOf('Sign-off'));
    expect(b).toBeGreaterThan(a);
    const ledger = text(html.slice(a, b));
    // The import alternates `imported` entries with per-file notes: one line still covers all 130, naming every entry it holds.
    expect(ledger).toMatch(/ 1(, |–)[\d–, ]+ [\d-]+ [\d:]+ → [\d:]+ imported ×130 E-1–E-130 /);
    expect(ledger.match(/ imported ×/g)).toHaveLength(1);
    const activity = text(html.slice(b));
    // The appendix holds the latest 500 activity entries (four per imported file): the import is a few lines, not hundreds.
    const count = (action: string) => Number(new RegExp(`${action.replace('.', '\\.')} ×(\\d+)`).exec(activity)?.[1] ?? 0);
    expect(count('timeline.imported')).toBeGreaterThan(100);
    expect(count('evidence.imported')).toBeGreaterThan(100);
    expect(activity.match(/timeline\.imported/g)).toHaveLength(1);
  });
});

describe('grouping repetitive records', () => {
  const entry = (seq: number, action: string, evidence: number | null, purpose = 'p') => ({
    seq,
    action,
    at: `2026-11-27T10:00:${String(seq).padStart(2, '0')}.000Z`,
    actor: { name: 'Ada', fingerprint: 'a'.repeat(64) },
    counterparty: null,
    evidence: evidence === null ? null : { id: evidence, description: `file ${evidence}`, sha256: 'x' },
    purpose,
    location: '',
    hash: `${seq}`.padStart(64, '0'),
  });

  it('keeps every change of action, signer or purpose on its own line', () => {
    const groups = custodyGroups([
      entry(1, 'imported', 1),
      entry(2, 'imported', 2),
      entry(3, 'note', null),
      entry(4, 'imported', 3, 'q'),
    ] as never);
    expect(groups.map((g) => [g.seq, g.action, g.count, g.evidence])).toEqual([
      ['1–2', 'imported', '×2', 'E-1–E-2'],
      ['3', 'note', '', 'whole case'],
      ['4', 'imported', '', 'E-3 file 3'],
    ]);
  });

  it('merges interleaved bursts of the activity log, and keeps bursts apart in time separate', () => {
    const log = (id: number, action: string, at: string) => ({
      id,
      caseNumber: 'IR-2026-0001',
      at,
      actor: 'Ada',
      action,
      entity: 'x',
      entityId: String(id),
      details: {},
    });
    const groups = activityGroups([
      log(6, 'b', '2026-11-27T12:00:00.000Z'),
      log(5, 'a', '2026-11-27T10:00:02.000Z'),
      log(4, 'b', '2026-11-27T10:00:02.000Z'),
      log(3, 'a', '2026-11-27T10:00:01.000Z'),
      log(2, 'b', '2026-11-27T10:00:01.000Z'),
      log(1, 'a', '2026-11-27T10:00:00.000Z'),
    ]);
    expect(groups.map((g) => [g.action, g.count, g.entity])).toEqual([
      ['b', '', 'x 6'],
      ['a', '×3', 'x 1, 3, 5'],
      ['b', '×2', 'x 2, 4'],
    ]);
  });

  it('merges consecutive identical timeline events only', () => {
    const ev = (id: number, action: string, time: string) =>
      ({
        id,
        time,
        source: 'cloudtrail',
        action,
        actor: 'alice',
        sourceIp: '1.2.3.4',
        region: 'us-east-1',
        errorCode: null,
        resource: null,
        highlight: null,
        flagged: true,
      }) as never;
    const g = timelineGroups(
      [ev(1, 'A', '2026-01-01T00:00:00Z'), ev(2, 'A', '2026-01-01T00:00:05Z'), ev(3, 'B', '2026-01-01T00:00:06Z')],
      new Map(),
    );
    expect(g.map((x) => [x.action, x.count])).toEqual([
      ['A', '×2'],
      ['B', ''],
    ]);
    expect(ranges([1, 2, 3, 5, 7, 8], 'E-')).toBe('E-1–E-3, E-5, E-7–E-8');
  });
});
