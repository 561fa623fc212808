import {
  EC2Client,
  type CopySnapshotCommandInput,
  type CreateSnapshotsCommandInput,
  type DescribeSnapshotAttributeCommandInput,
  type DescribeSnapshotsCommandInput,
  type ModifySnapshotAttributeCommandInput,
} from '@aws-sdk/client-ec2';
import { h, type CallContext, type ModelModule } from '../types';
import { applyTagSpecifications, matches, tagField, tagList } from './ec2-tags';
import { requireInstance, type InstanceState } from './ec2-instances';

export interface SnapshotRecord {
  SnapshotId: string;
  VolumeId: string;
  VolumeSize: number;
  State: 'pending' | 'completed' | 'error';
  Progress: number;
  StartTime: string;
  Encrypted: boolean;
  KmsKeyId?: string;
  Description: string;
  sharedWith: string[];
  copiedFrom?: { region: string; snapshotId: string };
}

export interface SnapshotState {
  snapshots: Record<string, SnapshotRecord>;
  /** Progress added by each DescribeSnapshots naming a pending snapshot by id (time passing, deterministically). */
  progressStep: number;
  /** Volumes whose snapshots end in `error` (a failing snapshot). */
  failVolumes: string[];
}

function requireSnapshot(ctx: CallContext<SnapshotState>, id: string | undefined, state = ctx.state): SnapshotRecord {
  const s = id ? state.snapshots[id] : undefined;
  if (!s) ctx.error('InvalidSnapshot.NotFound', `The snapshot '${id ?? ''}' does not exist.`);
  return s;
}

const view = (ctx: CallContext<SnapshotState>, s: SnapshotRecord) => ({
  SnapshotId: s.SnapshotId,
  VolumeId: s.VolumeId,
  VolumeSize: s.VolumeSize,
  State: s.State,
  Progress: `${s.Progress}%`,
  StartTime: new Date(s.StartTime),
  Encrypted: s.Encrypted,
  ...(s.KmsKeyId ? { KmsKeyId: s.KmsKeyId } : {}),
  Description: s.Description,
  OwnerId: ctx.model.account,
  ...(s.State === 'error' ? { StateMessage: 'internal error' } : {}),
  Tags: tagList(ctx, s.SnapshotId),
});

/** EBS snapshots: multi-volume creation, progress over successive describes, sharing and cross-region copies. */
export const ec2Snapshots: ModelModule<SnapshotState> = {
  name: 'ec2-snapshots',
  service: 'ec2',
  client: EC2Client,
  scope: 'regional',
  throttlingCode: 'RequestLimitExceeded',
  initial: () => ({ snapshots: {}, progressStep: 50, failVolumes: [] }),
  owns: (s, id) => id in s.snapshots,
  handlers: {
    CreateSnapshots: h<CreateSnapshotsCommandInput, SnapshotState>((i, ctx) => {
      const inst = requireInstance(ctx, i.InstanceSpecification?.InstanceId);
      const vols = ctx.slice<InstanceState>('ec2-instances').volumes;
      const devices = inst.blockDevices.filter((_, k) => !(k === 0 && i.InstanceSpecification?.ExcludeBootVolume));
      const out = devices.map((d) => {
        const v = vols[d.VolumeId]!;
        const s: SnapshotRecord = {
          SnapshotId: ctx.id('snap'),
          VolumeId: v.VolumeId,
          VolumeSize: v.Size,
          State: 'pending',
          Progress: 0,
          StartTime: ctx.now(),
          Encrypted: v.Encrypted,
          ...(v.KmsKeyId ? { KmsKeyId: v.KmsKeyId } : {}),
          Description: i.Description ?? '',
          sharedWith: [],
        };
        ctx.state.snapshots[s.SnapshotId] = s;
        applyTagSpecifications(ctx, s.SnapshotId, 'snapshot', i.TagSpecifications);
        return s;
      });
      return {
        Snapshots: out.map((s) => ({
          SnapshotId: s.SnapshotId,
          VolumeId: s.VolumeId,
          State: s.State,
          VolumeSize: s.VolumeSize,
          StartTime: new Date(s.StartTime),
        })),
      };
    }),
    DescribeSnapshots: h<DescribeSnapshotsCommandInput, SnapshotState>((i, ctx) => {
      for (const id of i.SnapshotIds ?? []) requireSnapshot(ctx, id);
      const found = Object.values(ctx.state.snapshots).filter(
        (s) =>
          (!i.SnapshotIds?.length || i.SnapshotIds.includes(s.SnapshotId)) &&
          matches(i.Filters, (name) =>
            name === 'volume-id' ? [s.VolumeId] : name === 'status' ? [s.State] : tagField(ctx, s.SnapshotId, name),
          ),
      );
      // Time passes for a snapshot each time it is described by id (how a waiter polls); searches by tag do not move it.
      for (const s of i.SnapshotIds?.length ? found : []) {
        if (s.State !== 'pending') continue;
        if (ctx.state.failVolumes.includes(s.VolumeId)) s.State = 'error';
        else {
          s.Progress = Math.min(100, s.Progress + ctx.state.progressStep);
          if (s.Progress === 100) s.State = 'completed';
        }
      }
      return { Snapshots: found.map((s) => view(ctx, s)) };
    }),
    ModifySnapshotAttribute: h<ModifySnapshotAttributeCommandInput, SnapshotState>((i, ctx) => {
      const s = requireSnapshot(ctx, i.SnapshotId);
      if (i.Attribute !== 'createVolumePermission') ctx.error('InvalidParameterValue', `Attribute ${String(i.Attribute)} is not supported`);
      const users = i.UserIds ?? i.CreateVolumePermission?.Add?.map((p) => p.UserId ?? '') ?? [];
      if (i.OperationType === 'remove') s.sharedWith = s.sharedWith.filter((u) => !users.includes(u));
      else s.sharedWith = [...new Set([...s.sharedWith, ...users])];
      return {};
    }),
    DescribeSnapshotAttribute: h<DescribeSnapshotAttributeCommandInput, SnapshotState>((i, ctx) => {
      const s = requireSnapshot(ctx, i.SnapshotId);
      return { SnapshotId: s.SnapshotId, CreateVolumePermissions: s.sharedWith.map((UserId) => ({ UserId })) };
    }),
    CopySnapshot: h<CopySnapshotCommandInput, SnapshotState>((i, ctx) => {
      const source = requireSnapshot(ctx, i.SourceSnapshotId, ctx.slice<SnapshotState>('ec2-snapshots', i.SourceRegion ?? ctx.region));
      if (source.State !== 'completed') ctx.error('IncorrectState', `Snapshot is in invalid state - ${source.State}`);
      const s: SnapshotRecord = {
        SnapshotId: ctx.id('snap'),
        VolumeId: 'vol-ffffffff',
        VolumeSize: source.VolumeSize,
        State: 'pending',
        Progress: 0,
        StartTime: ctx.now(),
        Encrypted: Boolean(i.Encrypted) || source.Encrypted,
        ...(i.KmsKeyId ? { KmsKeyId: i.KmsKeyId } : {}),
        Description: i.Description ?? '',
        sharedWith: [],
        copiedFrom: { region: i.SourceRegion ?? ctx.region, snapshotId: source.SnapshotId },
      };
      ctx.state.snapshots[s.SnapshotId] = s;
      applyTagSpecifications(ctx, s.SnapshotId, 'snapshot', i.TagSpecifications);
      return { SnapshotId: s.SnapshotId };
    }),
  },
};
