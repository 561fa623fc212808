import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServices, tempDir, type TestServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import { fixedClock } from '../../../main/core/clock';
import { call } from '../../helpers/call';
import { AnalysisService } from '../../../main/analysis/analysis-service';
import { formatDuration } from '../../../main/analysis/metrics';

let s: TestServices;
let clock: ReturnType<typeof fixedClock>;
let n: string;

/**
 * The hand-computed case (all times UTC, 2026-11-27):
 *   08:30  attacker's CreateAccessKey (CloudTrail)          flagged  -> impact started
 *   09:10  attacker's RunInstances (CloudTrail)             flagged
 *   09:45  GuardDuty finding                                          -> detected (before the case was opened)
 *   10:00  case opened
 *   10:07  investigator writes a note                                 -> acknowledged
 *   10:12  investigator flags the two events
 *   10:40  case status contained                                      -> contained
 *   12:30  case status closed                                         -> resolved
 * so: detect 09:45-08:30 = 75 min, acknowledge 10:07-09:45 = 22 min,
 *     contain 10:40-09:45 = 55 min, resolve 12:30-09:45 = 2 h 45 min.
 */
function handComputedCase(): void {
  clock.set('2026-11-27T10:00:00Z');
  n = s.core.cases.create({ title: 'Leaked key', severity: 'high' }).number;
  s.timeline.timeline.appendEvents(n, [
    { time: '2026-11-27T08:30:00Z', source: 'cloudtrail', action: 'CreateAccessKey', actor: 'mallory', raw: {} },
    { time: '2026-11-27T09:10:00Z', source: 'cloudtrail', action: 'RunInstances', actor: 'mallory', raw: {} },
    { time: '2026-11-27T09:45:00Z', source: 'guardduty', action: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration', raw: {} },
    { time: '2026-11-27T09:50:00Z', source: 'cloudtrail', action: 'ListBuckets', actor: 'mallory', raw: {} },
  ]);
  clock.set('2026-11-27T10:07:00Z');
  s.notes.add({ caseNumber: n, title: 'First look', body: 'key used from 203.0.113.5' });
  clock.set('2026-11-27T10:12:00Z');
  for (const e of s.timeline.events.query({ caseNumber: n, where: [{ column: 'source', value: 'cloudtrail' }] }).events)
    if (e.action !== 'ListBuckets') s.timeline.events.flag(n, e.id, true);
  clock.set('2026-11-27T10:40:00Z');
  s.core.cases.update({ caseNumber: n, patch: { status: 'contained' } });
}

beforeEach(() => {
  clock = fixedClock('2026-11-27T10:00:00.000Z');
  s = makeServices({ clock });
  handComputedCase();
});
afterEach(() => s.cleanup());

describe('post-incident analysis', () => {
  it('is refused before the case is resolved, then computes the hand-computed metrics', async () => {
    expect(await call(s.handlers, 'createAnalysis', { caseNumber: n })).toMatchObject({
      ok: false,
      error: { code: 'case-not-resolved' },
    });
    clock.set('2026-11-27T12:30:00Z');
    s.core.cases.update({ caseNumber: n, patch: { status: 'closed' } });
    const r = await call(s.handlers, 'createAnalysis', { caseNumber: n });
    if (!r.ok) throw new Error(r.error.message);
    const v = r.value;
    expect(v.moments).toEqual({
      impactStarted: { at: '2026-11-27T08:30:00.000Z', basis: expect.stringContaining('flagged cloudtrail event') },
      detected: { at: '2026-11-27T09:45:00.000Z', basis: expect.stringContaining('first guardduty finding') },
      acknowledged: { at: '2026-11-27T10:07:00.000Z', basis: 'first investigator action (note.added)' },
      contained: { at: '2026-11-27T10:40:00.000Z', basis: 'case status set to contained' },
      resolved: { at: '2026-11-27T12:30:00.000Z', basis: 'case status set to closed' },
    });
    expect(Object.fromEntries(v.metrics.map((m) => [m.id, m.seconds]))).toEqual({
      'time-to-detect': 75 * 60,
      'time-to-acknowledge': 22 * 60,
      'time-to-contain': 55 * 60,
      'time-to-resolve': (2 * 60 + 45) * 60,
    });
    expect(v.metrics.map((m) => formatDuration(m.seconds))).toEqual(['1 h 15 min', '22 min', '55 min', '2 h 45 min']);
    // Key events start as the flagged ones; the template's questions and checklist are there, unanswered.
    expect(v.analysis!.keyEvents.map((k) => k.summary)).toEqual(['CreateAccessKey by mallory', 'RunInstances by mallory']);
    expect(v.analysis!.questions.length).toBeGreaterThan(5);
    expect(v.analysis!.questions.every((q) => q.answer === '')).toBe(true);
    expect(v.analysis!.checklist.every((c) => !c.done)).toBe(true);
    // Creating again changes nothing.
    const again = await call(s.handlers, 'createAnalysis', { caseNumber: n });
    expect(again.ok && again.value.analysis!.createdAt).toBe(v.analysis!.createdAt);
  });

  it('a succeeded containment action earlier than the status change is the containment', () => {
    clock.set('2026-11-27T12:30:00Z');
    s.core.cases.update({ caseNumber: n, patch: { status: 'closed' } });
    const svc = new AnalysisService({
      core: s.core,
      tasks: s.tasks,
      templateDirs: [path.resolve('resources/analysis-templates')],
      sources: {
        events: s.timeline.events,
        actions: () => [
          { id: 3, kind: 'snapshot', state: 'succeeded', finishedAt: '2026-11-27T10:20:00.000Z', target: 'i-1' },
          { id: 4, kind: 'isolate', state: 'failed', finishedAt: '2026-11-27T10:25:00.000Z', target: 'i-1' },
          { id: 5, kind: 'isolate', state: 'succeeded', finishedAt: '2026-11-27T10:31:00.000Z', target: 'i-1' },
        ],
        containmentRunbooks: () => [{ id: 1, documentName: 'AWSSupport-ContainEC2Instance', finishedAt: '2026-11-27T10:35:00.000Z' }],
      },
    });
    const v = svc.view(n);
    expect(v.moments.contained).toEqual({ at: '2026-11-27T10:31:00.000Z', basis: 'isolate of i-1 succeeded (action #5)' });
    expect(v.metrics.find((m) => m.id === 'time-to-contain')!.seconds).toBe(46 * 60);
  });

  it('is edited afterwards (answers, checklist, key events), with action items as tasks, and exported', async () => {
    clock.set('2026-11-27T12:30:00Z');
    s.core.cases.update({ caseNumber: n, patch: { status: 'recovered' } });
    s.analysis.analysis.create(n, 'default');
    const listBuckets = s.timeline.events.query({ caseNumber: n, where: [{ column: 'action', value: 'ListBuckets' }] }).events[0]!;
    const up = await call(s.handlers, 'updateAnalysis', {
      caseNumber: n,
      patch: {
        overview: 'A leaked **access key** was used for 2 hours.',
        answers: [{ id: 'diagnose-cause', answer: 'Key committed to a public repository.' }],
        checklist: [{ id: 'credentials-rotated', done: true }],
        keyEvents: [{ eventId: listBuckets.id, note: 'enumeration' }],
      },
    });
    expect(up.ok).toBe(true);
    expect(
      await call(s.handlers, 'updateAnalysis', { caseNumber: n, patch: { answers: [{ id: 'no-such-question', answer: 'x' }] } }),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await call(s.handlers, 'updateAnalysis', { caseNumber: n, patch: { keyEvents: [{ eventId: 999_999 }] } })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    const ai = await call(s.handlers, 'addAnalysisActionItem', {
      caseNumber: n,
      title: 'Scan repos for keys',
      owner: 'platform team',
      dueDate: '2026-12-15',
    });
    if (!ai.ok) throw new Error(ai.error.message);
    expect(ai.value.actionItems).toEqual([
      expect.objectContaining({ title: 'Scan repos for keys', assignee: 'platform team', dueDate: '2026-12-15', status: 'todo' }),
    ]);
    expect(s.tasks.list(n).map((t) => t.title)).toContain('Scan repos for keys');
    const a = ai.value.analysis!;
    expect(a.questions.find((q) => q.id === 'diagnose-cause')!.answer).toBe('Key committed to a public repository.');
    expect(a.checklist.find((c) => c.id === 'credentials-rotated')!.done).toBe(true);
    expect(a.keyEvents).toEqual([
      { eventId: listBuckets.id, time: '2026-11-27T09:50:00.000Z', summary: 'ListBuckets by mallory', note: 'enumeration' },
    ]);

    const md = await call(s.handlers, 'exportAnalysis', { caseNumber: n });
    if (!md.ok) throw new Error(md.error.message);
    expect(md.value.fileName).toBe(`${n}-analysis.md`);
    expect(md.value.text).toContain('| Time to detect | 1 h 15 min |');
    expect(md.value.text).toContain('- [ ] Scan repos for keys — owner platform team, due 2026-12-15');
    expect(md.value.text).toContain('- [x] Every credential that may have been exposed has been rotated or revoked.');
    const json = await call(s.handlers, 'exportAnalysis', { caseNumber: n, format: 'json' });
    expect(json.ok && (JSON.parse(json.value.text) as { metrics: unknown[] }).metrics).toHaveLength(4);
  });

  it('is a section of the case report (Markdown sanitized, answers escaped) and part of the bundle case.json', async () => {
    ensureTestIdentity(s);
    clock.set('2026-11-27T12:30:00Z');
    s.core.cases.update({ caseNumber: n, patch: { status: 'closed' } });
    s.analysis.analysis.create(n, 'default');
    s.analysis.analysis.update({
      caseNumber: n,
      patch: {
        overview: 'Root cause <script>alert(1)</script> found.',
        answers: [{ id: 'lessons', answer: '<img src=x onerror=alert(1)> rotate keys' }],
      },
    });
    const report = await s.reports.reports.generate({ caseNumber: n, preview: true });
    expect(report.html).toContain('Time to detect');
    expect(report.html).toContain('1 h 15 min');
    expect(report.html).toContain('&lt;img src=x onerror=alert(1)&gt; rotate keys');
    expect(report.html).not.toContain('<script>alert(1)');
    expect(report.html).not.toContain('<img src=x');
    const data = s.reports.bundles.caseData(n) as unknown as { analysis: { analysis: { template: string }; metrics: unknown[] } };
    expect(data.analysis.analysis.template).toBe('default');
    expect(data.analysis.metrics).toHaveLength(4);
    // A bundle carrying the analysis verifies and imports as before.
    const out = path.join(tempDir('lariat-bundle-'), `${n}.lariat`);
    await s.reports.bundles.export({ caseNumber: n, outPath: out });
    expect((await s.reports.bundles.verify(out)).ok).toBe(true);
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });
});
