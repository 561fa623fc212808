import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedDialogs } from '../../../main/core/dialogs';
import { dispatch } from '../../../main/ipc/dispatch';
import type { Handlers } from '../../../main/ipc/handlers';
import type { ChannelName, Envelope, ResultOf } from '../../../common/contract';
import { makeServices, seededCase, tempDir } from './fixture';
import type { TestServices } from '../../helpers/services';

const dialogs = new ScriptedDialogs();

/** Dispatches like a transport (validation included), typed by channel. */
const send = async <K extends ChannelName>(h: Handlers, name: K, input: unknown) =>
  (await dispatch(h, name, input)) as Envelope<ResultOf<K>>;
let s: TestServices;
let caseNumber: string;
let out: string;

beforeAll(async () => {
  s = makeServices({ dialogs });
  ({ caseNumber } = await seededCase(s));
  out = tempDir('lariat-handlers-');
});
afterAll(() => {
  s.cleanup();
  fs.rmSync(out, { recursive: true, force: true });
});

describe('report channels', () => {
  it('previews without writing anything, and refuses invalid input before any service runs', async () => {
    const before = s.core.activity.list(caseNumber).length;
    const r = await send(s.handlers, 'previewReport', { caseNumber, sections: ['summary', 'custody'] });
    expect(r.ok && r.value.body).toContain('Executive summary');
    // The preview does not re-hash the vault; the exported report carries the verdict.
    expect(r.ok && r.value.body).toContain('Verification was not run for this rendering');
    expect(r.ok && r.value.body).not.toContain('Verification at generation time');
    expect(s.core.activity.list(caseNumber).length).toBe(before);
    const bad = await send(s.handlers, 'previewReport', { caseNumber, sections: ['secrets'] });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.code).toBe('invalid-input');
  });

  /** What the renderer does: ask main for a save location (a token), then export to it. */
  const saveToken = async (purpose: 'report-html' | 'report-pdf' | 'bundle', file: string | null) => {
    dialogs.saveQueue.push(file);
    const where = await send(s.handlers, 'chooseSaveLocation', { purpose, caseNumber });
    return where.ok ? (where.value?.token ?? null) : null;
  };

  it('exports where the save dialog said, and does nothing when the dialog is cancelled', async () => {
    expect(await saveToken('report-html', null)).toBeNull();
    const file = path.join(out, 'r.html');
    const r = await send(s.handlers, 'exportReport', { caseNumber, format: 'html', out: await saveToken('report-html', file) });
    expect(r.ok && r.value?.path).toBe(file);
    expect(fs.existsSync(file)).toBe(true);
    // A path instead of a token is refused before anything runs.
    const byPath = await send(s.handlers, 'exportReport', { caseNumber, format: 'html', out: path.join(out, 'evil.html') });
    expect(!byPath.ok && byPath.error.code).toBe('invalid-input');
    expect(fs.existsSync(path.join(out, 'evil.html'))).toBe(false);
  });

  it('exports a bundle, picks and verifies it (nothing written), and imports it elsewhere', async () => {
    const file = path.join(out, 'c.lariat');
    const e = await send(s.handlers, 'exportBundle', { caseNumber, withEvidence: true, out: await saveToken('bundle', file) });
    expect(e.ok && e.value?.withEvidence).toBe(true);
    dialogs.openQueue.push([file]);
    const chosen = await send(s.handlers, 'chooseFiles', { purpose: 'bundle' });
    const token = chosen.ok ? chosen.value.files[0]!.token : '';
    const verified = await send(s.handlers, 'verifyBundle', { file: token });
    expect(verified.ok && verified.value.verification.ok).toBe(true);
    expect(await send(s.handlers, 'chooseFiles', { purpose: 'bundle' })).toEqual({ ok: true, value: { files: [] } });
    const bob = makeServices();
    try {
      bob.custody.identity.create({ name: 'Bob' });
      const grant = (p: string) => bob.core.grants.grant(p, 'read').token;
      // Bob has not confirmed Ada's fingerprint yet: the bundle is intact but not anchored, and nothing is imported.
      const unconfirmed = await send(bob.handlers, 'importBundle', { file: grant(file) });
      expect(!unconfirmed.ok && unconfirmed.error.code).toBe('bundle-not-anchored');
      const ada = s.custody.identity.current()!.fingerprint;
      const imported = await send(bob.handlers, 'importBundle', { file: grant(file), trust: [ada] });
      expect(imported.ok && imported.value.caseNumber).toBe(caseNumber);
      const again = await send(bob.handlers, 'importBundle', { file: grant(file), trust: [ada] });
      expect(!again.ok && again.error.code).toBe('case-exists');
      const missing = await send(bob.handlers, 'verifyBundle', { file: grant(path.join(out, 'nope.lariat')) });
      expect(!missing.ok && missing.error.code).toBe('not-found');
    } finally {
      bob.cleanup();
    }
  });

  it('a cancelled bundle export leaves no file and no custody entry behind', async () => {
    const before = s.custody.ledger.list(caseNumber).length;
    const stop = s.core.events.subscribe((name, payload) => {
      const job = payload as { id: string; kind: string; state: string };
      if (name === 'jobProgress' && job.kind === 'bundle-export' && job.state === 'running') s.core.jobs.cancel(job.id);
    });
    try {
      await expect(
        s.reports.bundles.export({ caseNumber, outPath: path.join(out, 'cancelled.lariat'), withEvidence: true }),
      ).rejects.toThrow(/cancelled/);
    } finally {
      stop();
    }
    expect(fs.readdirSync(out).filter((f) => f.includes('cancelled'))).toEqual([]);
    expect(s.custody.ledger.list(caseNumber).length).toBe(before);
  });

  it('refuses to export a bundle without an investigator identity to sign it', async () => {
    const anon = makeServices();
    try {
      const c = anon.core.cases.create({ title: 'x', severity: 'low' });
      await expect(anon.reports.bundles.export({ caseNumber: c.number, outPath: path.join(out, 'anon.lariat') })).rejects.toThrow(
        /must be signed/,
      );
      expect(fs.existsSync(path.join(out, 'anon.lariat'))).toBe(false);
    } finally {
      anon.cleanup();
    }
  });
});
