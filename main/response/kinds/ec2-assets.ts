import type { Core } from '../../core/core';
import type { AssetRecord } from '../../../common/contract/assets';
import type { InstanceFacts } from '../discovery';
import type { StoredAction } from './registry';

/** Adds (or refreshes) the instance as an ec2-instance asset of the case, with what discovery saw. */
export function upsertInstanceAsset(core: Core, caseNumber: string, f: InstanceFacts, extra: Record<string, unknown> = {}): AssetRecord {
  const { warnings, profileAssociationId: _p, lookupFailures: _l, interfaceAddresses: _a, ...details } = f;
  return core.assets.upsert({
    caseNumber,
    kind: 'ec2-instance',
    identifier: f.instanceId,
    label: f.name ?? '',
    account: f.account,
    region: f.region,
    details: { ...details, warnings, describedAt: core.clock.now().toISOString(), ...extra },
  });
}

/** Marks the instance asset with the action that just succeeded (isolated, released, last snapshot or memory). */
export function markInstanceAsset(core: Core, a: StoredAction): void {
  const details: Record<string, unknown> =
    a.kind === 'isolate'
      ? { isolation: 'isolated', isolationActionId: a.id }
      : a.kind === 'release'
        ? { isolation: 'released', releaseActionId: a.id }
        : { [`last${a.kind === 'snapshot' ? 'Snapshot' : 'Memory'}ActionId`]: a.id };
  try {
    core.assets.upsert({
      caseNumber: a.caseNumber,
      kind: 'ec2-instance',
      identifier: a.instanceId,
      region: a.region,
      account: a.account,
      details,
    });
  } catch {
    // The case may have become read-only meanwhile; the action itself is recorded.
  }
}
