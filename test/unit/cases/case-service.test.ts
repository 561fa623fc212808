import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServices, type TestServices } from '../../helpers/services';

let s: TestServices;
beforeEach(() => {
  s = makeServices();
});
afterEach(() => s.cleanup());

describe('CaseService', () => {
  it('numbers cases per year and lists them newest first', () => {
    const a = s.core.cases.create({ title: 'Crypto miner on web-1', severity: 'high' });
    const b = s.core.cases.create({ title: 'Leaked key', severity: 'critical', regions: ['eu-west-1'] });
    expect(a.number).toBe('IR-2026-0001');
    expect(b.number).toBe('IR-2026-0002');
    expect(s.core.cases.list().map((c) => c.number)).toEqual(['IR-2026-0002', 'IR-2026-0001']);
    expect(b.regions).toEqual(['eu-west-1']);
    expect(a.status).toBe('open');
    expect(a.tlp).toBe('amber');
  });

  it('searches by text, including LIKE wildcards typed literally', () => {
    s.core.cases.create({ title: 'Miner 100% CPU', severity: 'low' });
    s.core.cases.create({ title: 'Phishing', severity: 'low', tags: ['email'] });
    expect(s.core.cases.list({ search: '100%' }).map((c) => c.title)).toEqual(['Miner 100% CPU']);
    expect(s.core.cases.list({ search: 'email' }).map((c) => c.title)).toEqual(['Phishing']);
    expect(s.core.cases.list({ search: '_' })).toEqual([]);
  });

  it('sets closed time on close and logs every change', () => {
    const c = s.core.cases.create({ title: 'X', severity: 'medium' });
    const closed = s.core.cases.update({ caseNumber: c.number, patch: { status: 'closed' } });
    expect(closed.closedAt).not.toBeNull();
    const reopened = s.core.cases.update({ caseNumber: c.number, patch: { status: 'open', title: 'Y' } });
    expect(reopened.closedAt).toBeNull();
    const log = s.core.activity.list(c.number);
    expect(log.map((e) => e.action)).toEqual(['case.updated', 'case.updated', 'case.created']);
    expect(log[0]!.details).toMatchObject({ title: { from: 'X', to: 'Y' }, status: { from: 'closed', to: 'open' } });
  });

  it('refuses unknown cases and writes to read-only cases', () => {
    expect(() => s.core.cases.get('IR-2026-0099')).toThrow(/IR-2026-0099 was not found/);
    const r = s.core.cases.create({ title: 'Received', severity: 'low' }, { readOnly: true, number: 'IR-2025-0042' });
    expect(() => s.core.cases.update({ caseNumber: r.number, patch: { title: 'Z' } })).toThrow(/read-only/);
    expect(() => s.tasks.add({ caseNumber: r.number, title: 't' })).toThrow(/read-only/);
  });

  it('keeps the activity log append-only', () => {
    s.core.cases.create({ title: 'X', severity: 'low' });
    expect(() => s.core.db.prepare('UPDATE activity SET actor = ?').run('mallory')).toThrow(/append-only/);
    expect(() => s.core.db.prepare('DELETE FROM activity').run()).toThrow(/append-only/);
  });
});
