import { afterEach, describe, expect, it } from 'vitest';
import { lariatWithModel, type LariatEnv } from '../../aws-model/lariat-env';
import { ID } from '../../aws-model/scenario';
import { world } from '../../fault/cases';
import { ActionKind } from '../../../common/contract/response';
import { definedKinds, kindDef } from '../../../main/response/kinds';

let e: LariatEnv;
afterEach(() => e?.cleanup());

describe('action kinds registry', () => {
  it('defines exactly the kinds the contract names, and refuses a kind it does not know', () => {
    expect(definedKinds().sort()).toEqual([...ActionKind.options].sort());
    expect(() => kindDef('teleport')).toThrow(/not part of this build/);
  });

  it('releases an isolation by its action number, lists it with its target and what it releases, and refuses a second release', async () => {
    e = lariatWithModel();
    const before = structuredClone(world(e).net.interfaces);
    const iso = await e.plan('isolate', { revokeSessions: false });
    await e.run(iso.id);
    const rel = await e.feature.response.planRelease(iso.id);
    expect(rel).toMatchObject({ kind: 'release', releaseOf: iso.id, target: { type: 'ec2-instance', id: ID } });
    await expect(e.feature.response.planRelease(iso.id)).rejects.toMatchObject({ code: 'release-pending' });
    await e.feature.response.run(rel.id, ID);
    expect(world(e).net.interfaces).toEqual(before);
    await expect(e.feature.response.planRelease(iso.id)).rejects.toMatchObject({ code: 'already-released' });
    const list = e.feature.response.list(e.caseNumber);
    expect(list.map((a) => [a.kind, a.target.type, a.releaseOf])).toEqual([
      ['release', 'ec2-instance', iso.id],
      ['isolate', 'ec2-instance', null],
    ]);
  });

  it('refuses to release what is not a containment, and what never ran', async () => {
    e = lariatWithModel();
    const snap = await e.plan('snapshot');
    await expect(e.feature.response.planRelease(snap.id)).rejects.toMatchObject({ code: 'not-releasable' });
    const iso = await e.plan('isolate');
    await expect(e.feature.response.planRelease(iso.id)).rejects.toMatchObject({ code: 'nothing-to-release' });
  });

  it('asks for the target typed back, whatever its kind', async () => {
    e = lariatWithModel();
    const iso = await e.plan('isolate');
    expect(() => e.feature.response.start(iso.id, 'i-0000000000000000')).toThrow(/instance id i-0abc/);
  });
});
