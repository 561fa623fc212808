import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli';
import { makeServices, tempDir, type TestServices } from '../../helpers/services';
import { toErrorInfo } from '../../../main/core/errors';
import { migrate } from '../../../main/db/database';
import { migrations } from '../../../main/db/migrations';

const dirs: string[] = [];
const open: TestServices[] = [];
const dataDir = () => {
  const d = tempDir();
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const services = (dir: string) => {
  const s = makeServices({ dataDir: dir });
  open.push(s);
  return s;
};

describe('the demo can never sign a real case', () => {
  it('CLI: case new; demo; evidence add <real case> is refused, records nothing; a real identity then signs it', async () => {
    const dir = dataDir();
    const file = path.join(dir, 'auth.log');
    fs.writeFileSync(file, 'Accepted publickey for ubuntu from 203.0.113.7\n');
    const real = (await cli(dir, 'case', 'new', '--title', 'Real incident')).out;
    const demo = await cli(dir, 'demo', '--json');
    expect(demo.code).toBe(0);
    const demoCase = (JSON.parse(demo.out) as { case: { number: string; demo: boolean } }).case;
    expect(demoCase.demo).toBe(true);

    const refused = await cli(dir, 'evidence', 'add', real.toLowerCase(), file);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('demo investigator');
    expect(refused.err).toContain('lariat identity init');
    // Nothing about it in the real case: no evidence, no custody entry, no vault folder.
    const s = services(dir);
    expect(s.custody.vault.list(real)).toEqual([]);
    expect(s.custody.ledger.list(real)).toEqual([]);
    expect(fs.existsSync(path.join(s.core.paths.vaultDir, real))).toBe(false);
    // Nor any other change to the real case while acting as the demo.
    expect(() => s.tasks.add({ caseNumber: real, title: 'x' })).toThrow(/demo investigator/);
    expect(() => s.core.cases.create({ title: 'Another real one', severity: 'low' })).toThrow(/no case was opened/);
    s.close();
    open.length = 0;

    expect((await cli(dir, 'identity', 'init', '--name', 'Ada Analyst', '--role', 'Incident responder')).code).toBe(0);
    const signed = await cli(dir, 'evidence', 'add', real, file);
    expect(signed.code).toBe(0);
    const after = services(dir);
    const entries = after.custody.ledger.list(real);
    expect(entries.map((e) => [e.action, e.actor.name])).toEqual([['imported', 'Ada Analyst']]);
    // The demo case keeps working for whoever is current.
    expect(after.core.cases.get(demoCase.number).demo).toBe(true);
  }, 60_000);

  it('the database refuses a demo signature in a real case even when the service check is bypassed', async () => {
    const s = services(dataDir());
    const real = s.core.cases.create({ title: 'Real incident', severity: 'high' });
    const { caseRecord: demoCase } = await s.timeline.demo();
    expect(s.custody.identity.current()?.demo).toBe(true);
    // recordCustody goes straight to the ledger (no requireWritable): the trigger of migration 014 refuses.
    let thrown: unknown;
    try {
      s.custody.evidence.recordCustody(real.number, { evidenceId: null, action: 'note', purpose: 'should never be signed by the demo' });
    } catch (err) {
      thrown = err;
    }
    expect(toErrorInfo(thrown)).toMatchObject({ code: 'demo-identity', message: expect.stringContaining('demo investigator') });
    expect(s.custody.ledger.list(real.number)).toEqual([]);
    // Inside the demo case the demo identity signs as before.
    const before = s.custody.ledger.list(demoCase.number).length;
    s.custody.evidence.recordCustody(demoCase.number, { evidenceId: null, action: 'note', purpose: 'demo note' });
    expect(s.custody.ledger.list(demoCase.number)).toHaveLength(before + 1);
  }, 60_000);

  it('a real investigator cannot hand evidence of a real case to the demo identity (its counter-signature is refused)', async () => {
    const dir = dataDir();
    const s = services(dir);
    await s.timeline.demo(); // creates the demo identity
    const demoFp = s.custody.identity.current()!.fingerprint;
    const ada = s.custody.identity.create({ name: 'Ada Analyst' });
    const real = s.core.cases.create({ title: 'Real incident', severity: 'high' });
    const file = path.join(dir, 'x.log');
    fs.writeFileSync(file, 'x');
    const item = await s.custody.evidence.importFile(real.number, file, {});
    expect(() =>
      s.custody.actions.transfer({ caseNumber: real.number, evidenceId: item.id, toFingerprint: demoFp, purpose: 'test', location: '' }),
    ).toThrow(/demo-identity/);
    expect(s.custody.ledger.list(real.number).map((e) => e.actor.fingerprint)).toEqual([ada.fingerprint]);
  }, 60_000);

  it('whether a case is the demo case cannot be changed after it was created', () => {
    const s = services(dataDir());
    const real = s.core.cases.create({ title: 'Real incident', severity: 'high' });
    expect(() => s.core.db.prepare('UPDATE cases SET demo = 1 WHERE number = ?').run(real.number)).toThrow(/demo-flag-frozen/);
    expect(s.core.cases.get(real.number).demo).toBe(false);
  });
});

describe('migration 014 (demo case)', () => {
  it('adds the flag to existing cases (not demo) and leaves their ledgers as they were', () => {
    const dir = dataDir();
    const db = new Database(path.join(dir, 'm.db'));
    migrate(db, migrations.slice(0, 13));
    db.prepare(
      `INSERT INTO cases (number, title, severity, status, tlp, opened_at, updated_at) VALUES ('IR-2026-0001', 'old', 'low', 'open', 'amber', 'x', 'x')`,
    ).run();
    migrate(db, migrations.slice(0, 14));
    expect(db.pragma('user_version', { simple: true })).toBe(14);
    expect(db.prepare('SELECT demo FROM cases').get()).toEqual({ demo: 0 });
    expect(() => db.prepare('UPDATE cases SET demo = 2').run()).toThrow();
    db.close();
  });
});
