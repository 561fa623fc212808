import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelNames, contract } from '../../../common/contract';
import { dispatch } from '../../../main/ipc/dispatch';
import { makeServices, type TestServices } from '../../helpers/services';
import { AppError } from '../../../main/core/errors';
import { memoryLogger } from '../../../main/core/logger';

/** Every row of every table, plus every file in the data folder except the database itself: what "nothing changed" means. */
function snapshot(s: TestServices): string {
  const h = createHash('sha256');
  const tables = s.core.db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all();
  for (const { name } of tables) {
    h.update(name);
    h.update(
      JSON.stringify(
        s.core.db
          .prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`)
          .raw()
          .all(),
        (_k, v) => (typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('hex') : v),
      ),
    );
  }
  const walk = (dir: string): string[] =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir, { withFileTypes: true })
          .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
      : [];
  for (const f of walk(s.dataDir)
    .filter((f) => !path.basename(f).startsWith('lariat.db'))
    .sort())
    h.update(`${f}:${fs.readFileSync(f).length}`);
  return h.digest('hex');
}

const malformed: [string, unknown][] = [
  ['a number', 42],
  ['a string', 'IR-2026-0001'],
  ['an array', [{ caseNumber: 'IR-2026-0001' }]],
  ['null', null],
  ['an object with an unknown key', { __proto__bogus: true, caseNumber: 'IR-2026-0001', title: 'x', severity: 'low' }],
  ['a prototype-pollution attempt', JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}')],
];

describe('IPC contract', () => {
  let s: TestServices;
  beforeAll(() => {
    s = makeServices();
    s.core.cases.create({ title: 'Existing case', severity: 'high' });
    s.tasks.add({ caseNumber: s.core.cases.list()[0]!.number, title: 'Existing task' });
  });
  afterAll(() => s.cleanup());

  it('has a handler and a strict zod input schema for every channel', () => {
    expect(channelNames.length).toBeGreaterThan(10);
    for (const name of channelNames) {
      expect(typeof s.handlers[name], name).toBe('function');
      expect(contract[name].description.length, name).toBeGreaterThan(3);
    }
  });

  describe.each(channelNames)('%s', (name) => {
    it('refuses malformed input with a structured error and changes nothing', async () => {
      const before = snapshot(s);
      for (const [what, input] of malformed) {
        const result = await dispatch(s.handlers, name, input);
        expect(result.ok, `${name} accepted ${what}`).toBe(false);
        if (!result.ok) {
          expect(result.error.code, `${name} with ${what}`).toBe('invalid-input');
          expect(result.error.message).toContain(name);
          expect(result.error.hint.length).toBeGreaterThan(10);
        }
      }
      expect(snapshot(s)).toBe(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  it('refuses unknown channels, including inherited property names', async () => {
    for (const name of ['nope', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const r = await dispatch(s.handlers, name, {});
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('unknown-channel');
    }
  });

  it('returns service errors as { code, message, hint } and hides internals', async () => {
    const missing = await dispatch(s.handlers, 'getCase', { caseNumber: 'IR-2026-0999' });
    expect(missing).toEqual({
      ok: false,
      error: { code: 'not-found', message: expect.stringContaining('IR-2026-0999'), hint: expect.any(String) },
    });
    const log = memoryLogger();
    const handlers = {
      ...s.handlers,
      listCases: () => {
        throw new TypeError('secret internal detail at /home/x');
      },
    };
    const boom = await dispatch(handlers, 'listCases', {}, log);
    expect(boom.ok).toBe(false);
    if (!boom.ok) expect(boom.error.code).toBe('internal');
    expect(log.lines).toEqual([
      { level: 'error', event: 'op', fields: expect.objectContaining({ op: 'listCases', code: 'internal', error: expect.anything() }) },
    ]);
    const known = await dispatch(
      {
        ...s.handlers,
        listCases: () => {
          throw new AppError('x-code', 'What happened.', 'What to do.');
        },
      },
      'listCases',
      {},
    );
    expect(known).toEqual({ ok: false, error: { code: 'x-code', message: 'What happened.', hint: 'What to do.' } });
  });

  it('passes valid input through to the service', async () => {
    const r = await dispatch(s.handlers, 'createCase', { title: '  Trimmed title  ', severity: 'low', regions: ['us-east-1'] });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toMatchObject({ title: 'Trimmed title', regions: ['us-east-1'] });
  });
});
