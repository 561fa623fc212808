import { AppError } from '../../core/errors';
import type { SnapshotOptions } from '../../../common/contract/response';
import type { InstanceFacts } from '../discovery';
import { type Plan, type StepSpec, ref } from './types';
import { lookupWarnings } from './lookup-warnings';

export interface SnapshotContext {
  caseNumber: string;
  actionId: number;
  investigator: string;
  facts: InstanceFacts;
  options: SnapshotOptions;
}

/**
 * Crash-consistent snapshots of every attached EBS volume in one
 * CreateSnapshots call, tagged with the case, action and investigator;
 * waited on with progress; each registered as evidence and then tagged with
 * its evidence id; optionally shared with a forensic account and copied
 * (re-encrypted with the chosen KMS key) to a forensic region.
 */
export function planSnapshot(ctx: SnapshotContext): Plan {
  const { facts: f, options: o } = ctx;
  const id = f.instanceId;
  const region = f.region;
  if (f.volumes.length === 0)
    throw new AppError(
      'no-volumes',
      `Instance ${id} has no EBS volumes to snapshot.`,
      'Instance-store volumes cannot be snapshotted; acquire memory or files over SSM instead.',
    );
  if ((o.copyToRegion || o.kmsKeyId) && !(o.copyToRegion && o.kmsKeyId)) {
    throw new AppError(
      'invalid-input',
      'A forensic copy needs both a destination region and a KMS key.',
      'Choose the region and the KMS key to re-encrypt with, or neither.',
    );
  }
  const tags = [
    { Key: 'lariat:case', Value: ctx.caseNumber },
    { Key: 'lariat:action', Value: String(ctx.actionId) },
    { Key: 'lariat:investigator', Value: ctx.investigator.slice(0, 256) },
    { Key: 'lariat:instance', Value: id },
  ];
  const steps: StepSpec[] = [
    {
      key: 'create-snapshots',
      title: `Snapshot all ${f.volumes.length} attached volume(s)`,
      kind: 'create-snapshots',
      service: 'ec2',
      region,
      operation: 'CreateSnapshots',
      request: {
        InstanceSpecification: { InstanceId: id, ExcludeBootVolume: false },
        Description: `Lariat ${ctx.caseNumber} evidence of ${id}`,
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: tags }],
      },
    },
    {
      key: 'wait-snapshots',
      title: 'Wait until every snapshot is completed',
      kind: 'wait-snapshots',
      service: 'ec2',
      region,
      operation: 'DescribeSnapshots',
      request: { SnapshotIds: ref('create-snapshots.Snapshots[*].SnapshotId') },
    },
    {
      key: 'register-evidence',
      title: 'Record each snapshot as an evidence item with a custody entry',
      kind: 'register-snapshots',
      service: 'lariat',
      region,
      operation: 'RegisterEvidence',
      request: { Snapshots: ref('wait-snapshots.Snapshots') },
    },
  ];
  for (const v of f.volumes) {
    const snap = ref(`create-snapshots.Snapshots[VolumeId=${v.id}].SnapshotId`);
    steps.push({
      key: `tag-evidence:${v.id}`,
      title: `Tag the snapshot of ${v.id} with its evidence id`,
      kind: 'call',
      service: 'ec2',
      region,
      operation: 'CreateTags',
      request: {
        Resources: [snap],
        Tags: [{ Key: 'lariat:evidence-id', Value: ref(`register-evidence.Evidence[VolumeId=${v.id}].EvidenceId`) }],
      },
    });
    if (o.shareWithAccount) {
      steps.push({
        key: `share:${v.id}`,
        title: `Share the snapshot of ${v.id} with account ${o.shareWithAccount}`,
        kind: 'share-snapshot',
        service: 'ec2',
        region,
        operation: 'ModifySnapshotAttribute',
        request: { SnapshotId: snap, Attribute: 'createVolumePermission', OperationType: 'add', UserIds: [o.shareWithAccount] },
      });
    }
    if (o.copyToRegion && o.kmsKeyId) {
      steps.push({
        key: `copy:${v.id}`,
        title: `Copy the snapshot of ${v.id} to ${o.copyToRegion}, re-encrypted with ${o.kmsKeyId}`,
        kind: 'copy-snapshot',
        service: 'ec2',
        region: o.copyToRegion,
        operation: 'CopySnapshot',
        request: {
          SourceRegion: region,
          SourceSnapshotId: snap,
          Encrypted: true,
          KmsKeyId: o.kmsKeyId,
          Description: `Lariat ${ctx.caseNumber} forensic copy of ${v.id} from ${id}`,
          TagSpecifications: [{ ResourceType: 'snapshot', Tags: [...tags, { Key: 'lariat:source-volume', Value: v.id }] }],
        },
      });
    }
  }
  return { steps, recorded: { volumes: f.volumes }, warnings: lookupWarnings(f, ['volumes']) };
}
