import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../main/ipc/dispatch';
import { setup, type Env } from './fixtures';

let e: Env;
beforeEach(() => {
  e = setup();
});
afterEach(() => e.cleanup());

describe('acquisition channels', () => {
  it('answer through dispatch with the same operations as the CLI', async () => {
    const playbook = await dispatch(e.s.handlers, 'listAthenaPlaybook', {});
    expect(playbook).toMatchObject({
      ok: true,
      value: expect.arrayContaining([expect.objectContaining({ id: 'logging-tampering', events: true })]),
    });
    expect(await dispatch(e.s.handlers, 'listInbox', { states: ['new'] })).toEqual({ ok: true, value: [] });
    expect(await dispatch(e.s.handlers, 'listAcquisitions', { caseNumber: e.caseNumber })).toEqual({ ok: true, value: [] });
    const v = await dispatch(e.s.handlers, 'validateCloudTrail', { caseNumber: e.caseNumber });
    expect(v).toMatchObject({ ok: true, value: { verdict: 'nothing-to-validate', files: [] } });
    const missing = await dispatch(e.s.handlers, 'getAcquisition', { acquisitionId: 42 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found', hint: expect.stringContaining('lariat acquire list') } });
    const runMissing = await dispatch(e.s.handlers, 'runAcquisition', { acquisitionId: 42 });
    expect(runMissing).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('refuse an inverted window, two lookup attributes, and an unknown triage state before any service runs', async () => {
    const inverted = await dispatch(e.s.handlers, 'acquireLookupEvents', {
      caseNumber: e.caseNumber,
      window: { from: '2026-11-21', to: '2026-11-20' },
    });
    expect(inverted).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringContaining('start before it ends') },
    });
    const two = await dispatch(e.s.handlers, 'acquireLookupEvents', {
      caseNumber: e.caseNumber,
      window: { from: '2026-11-20', to: '2026-11-21' },
      principal: 'a',
      accessKeyId: 'AKIAEXAMPLEKEY000001',
    });
    expect(two).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await dispatch(e.s.handlers, 'triageFinding', { inboxId: 1, state: 'in-case' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect(e.mock.calls).toEqual([]);
  });
});
