import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contract } from '../../../common/contract';
import { makeCheckpoint } from '../../../main/custody/checkpoint';
import { cli } from '../../helpers/cli';
import { setup, type Fixture } from './fixture';

/**
 * A checkpoint placed by hand where Lariat cannot write (a ticket, an email
 * to counsel) and recorded in a signed `anchored` entry. Only a checkpoint
 * of this very ledger, signed and unchanged, may be recorded: a record of a
 * placed anchor that could not be checked later would mislead.
 */
let f: Fixture;
afterEach(() => f?.s.cleanup());

const recordInput = (raw: unknown) => contract.recordAnchor.input.parse(raw);

describe('recording an anchor placed outside Lariat', () => {
  it('is a signed entry; the anchor is listed with its checkpoint, which a later verification is given', async () => {
    f = setup();
    const h = f.s.handlers;
    await h.addCustodyNote(contract.addCustodyNote.input.parse({ caseNumber: f.caseNumber, note: 'seal 7 checked' }));
    const cp = await h.getCustodyCheckpoint({ caseNumber: f.caseNumber });
    const list = await h.recordAnchor(recordInput({ caseNumber: f.caseNumber, checkpoint: cp.text, where: 'ServiceNow INC0012345' }));
    expect(list).toEqual([
      expect.objectContaining({ kind: 'manual', seq: cp.seq, hash: cp.hash, location: 'ServiceNow INC0012345', checkpoint: cp.text }),
    ]);
    const last = f.s.custody.ledger.list(f.caseNumber).at(-1)!;
    expect(last).toMatchObject({
      action: 'anchored',
      seq: cp.seq + 1,
      purpose: `checkpoint of entry ${cp.seq} placed outside Lariat: ServiceNow INC0012345`,
    });
    expect(list[0]!.detail).toBe(`recorded in entry ${last.seq} by ${f.me.name}`);
    expect(await h.listAnchors({ caseNumber: f.caseNumber })).toEqual(list);

    const v = await h.verifyCustody(contract.verifyCustody.input.parse({ caseNumber: f.caseNumber, checkpoints: [list[0]!.checkpoint] }));
    expect(v.intact).toBe(true);
    expect(v.checkpoints).toEqual([expect.objectContaining({ ok: true, seq: cp.seq, hash: cp.hash })]);
  });

  it('refuses an edited checkpoint, one of another case, and one this ledger does not hold; nothing is recorded', async () => {
    f = setup();
    const h = f.s.handlers;
    await h.addCustodyNote(contract.addCustodyNote.input.parse({ caseNumber: f.caseNumber, note: 'one' }));
    const cp = await h.getCustodyCheckpoint({ caseNumber: f.caseNumber });
    const before = f.s.custody.ledger.list(f.caseNumber).length;
    const record = (checkpoint: string) => () => h.recordAnchor(recordInput({ caseNumber: f.caseNumber, checkpoint, where: 'email' }));

    const edited = cp.text.replace(`"at":"${cp.at}"`, `"at":"2020-01-01T00:00:00.000Z"`);
    expect(edited).not.toBe(cp.text);
    expect(record(edited)).toThrow(/is not validly signed by a key known here: it was changed after signing/);
    expect(record('hello\nworld')).toThrow(/This is not a custody checkpoint: its first line is not JSON/);

    const other = f.s.core.cases.create({ title: 'other', severity: 'low' }).number;
    await h.addCustodyNote(contract.addCustodyNote.input.parse({ caseNumber: other, note: 'two' }));
    const otherCp = await h.getCustodyCheckpoint({ caseNumber: other });
    expect(record(otherCp.text)).toThrow(`This checkpoint is of case ${other}, not ${f.caseNumber}.`);

    const forked = makeCheckpoint({ case: f.caseNumber, seq: cp.seq, hash: 'a'.repeat(64), at: cp.at }, f.s.custody.identity.signer());
    expect(record(forked.text)).toThrow(/does not hold entry 1 with hash aaaaaaaaaaaa…: this checkpoint is not of this ledger/);

    expect(f.s.custody.ledger.list(f.caseNumber)).toHaveLength(before);
    expect(await h.listAnchors({ caseNumber: f.caseNumber })).toEqual([]);
  });

  it('lariat custody placed records it from a checkpoint file and lists the anchors', async () => {
    f = setup();
    await f.s.handlers.addCustodyNote(contract.addCustodyNote.input.parse({ caseNumber: f.caseNumber, note: 'one' }));
    const dir = f.s.dataDir;
    const file = path.join(dir, 'cp.txt');
    fs.writeFileSync(file, (await f.s.handlers.getCustodyCheckpoint({ caseNumber: f.caseNumber })).text);
    f.s.close?.();
    const r = await cli(dir, 'custody', 'placed', f.caseNumber, '--checkpoint', file, '--where', 'email to counsel');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^manual: checkpoint of entry 1 \([0-9a-f]{64}\) at email to counsel \(recorded in entry 2 by /);
  });
});
