import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACCOUNT, ID, REGION, setup, stubInstance, type Env } from './fixtures';
import { awsError } from './aws-mock';

let e: Env;
let describeCalls = 0;
beforeEach(() => {
  e = setup();
  stubInstance(e.mock);
  describeCalls = 0;
  e.mock
    .on('ec2', 'CreateSnapshots', {
      Snapshots: [
        { SnapshotId: 'snap-1', VolumeId: 'vol-1', State: 'pending', VolumeSize: 8 },
        { SnapshotId: 'snap-2', VolumeId: 'vol-2', State: 'pending', VolumeSize: 100 },
      ],
    })
    .on('ec2', 'DescribeSnapshots', (input) => {
      if (input.Filters) return { Snapshots: [] };
      describeCalls++;
      const done = describeCalls >= 3;
      return {
        Snapshots: [
          {
            SnapshotId: 'snap-1',
            VolumeId: 'vol-1',
            State: 'completed',
            Progress: '100%',
            VolumeSize: 8,
            StartTime: new Date('2026-11-27T10:00:00Z'),
            Encrypted: true,
          },
          {
            SnapshotId: 'snap-2',
            VolumeId: 'vol-2',
            State: done ? 'completed' : 'pending',
            Progress: done ? '100%' : `${describeCalls * 30}%`,
            VolumeSize: 100,
            StartTime: new Date('2026-11-27T10:00:00Z'),
            Encrypted: true,
          },
        ],
      };
    })
    .on('ec2', 'CopySnapshot', (input) => ({ SnapshotId: `snap-copy-of-${String(input.SourceSnapshotId)}` }));
});
afterEach(() => e.cleanup());

const plan = (options: Record<string, unknown> = {}) =>
  e.feature.response.plan({
    kind: 'snapshot',
    caseNumber: e.caseNumber,
    region: REGION,
    instanceId: ID,
    options: { waitMinutes: 60, ...options },
  });

describe('EBS snapshots', () => {
  it('snapshots every volume tagged with case, action and investigator, waits with progress, records each as evidence and tags it with its evidence id', async () => {
    const p = await plan();
    // Job events are throttled to 10/s, so look at every progress report the job received.
    const spy = vi.spyOn(e.s.core.jobs as unknown as { progress: (...a: unknown[]) => void }, 'progress');
    const done = await e.feature.response.run(p.id, ID);
    const progress = spy.mock.calls.map((c) => String(c[3]));
    spy.mockRestore();
    expect(done.state).toBe('succeeded');
    const create = e.mock.of('ec2', 'CreateSnapshots');
    expect(create).toEqual([
      {
        InstanceSpecification: { InstanceId: ID, ExcludeBootVolume: false },
        Description: `Lariat ${e.caseNumber} evidence of ${ID}`,
        TagSpecifications: [
          {
            ResourceType: 'snapshot',
            Tags: [
              { Key: 'lariat:case', Value: e.caseNumber },
              { Key: 'lariat:action', Value: String(p.id) },
              { Key: 'lariat:investigator', Value: 'Test Investigator' },
              { Key: 'lariat:instance', Value: ID },
            ],
          },
        ],
      },
    ]);
    expect(describeCalls).toBe(3);
    expect(progress.filter((m) => /snapshots \d+% \(\d\/2 completed\)/.test(m))).toEqual([
      expect.stringContaining('snapshots 65% (1/2 completed)'),
      expect.stringContaining('snapshots 80% (1/2 completed)'),
      expect.stringContaining('snapshots 100% (2/2 completed)'),
    ]);
    const items = e.s.custody.vault.list(e.caseNumber).filter((i) => i.kind === 'ebs-snapshot');
    expect(items.map((i) => i.source.resource).sort()).toEqual(['snap-1', 'snap-2']);
    expect(items.find((i) => i.source.resource === 'snap-2')!.size).toBe(100 * 2 ** 30);
    const tags = e.mock.of('ec2', 'CreateTags');
    const byVolume = Object.fromEntries(items.map((i) => [i.source.resource, String(i.id)]));
    expect(tags).toEqual([
      { Resources: ['snap-1'], Tags: [{ Key: 'lariat:evidence-id', Value: byVolume['snap-1'] }] },
      { Resources: ['snap-2'], Tags: [{ Key: 'lariat:evidence-id', Value: byVolume['snap-2'] }] },
    ]);
  });

  it('shares with a forensic account and copies re-encrypted with the chosen key, each with a custody entry', async () => {
    const kmsKeyId = `arn:aws:kms:eu-central-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const p = await plan({ shareWithAccount: '444455556666', copyToRegion: 'eu-central-1', kmsKeyId });
    expect(p.steps.filter((s) => s.operation === 'CopySnapshot').every((s) => s.region === 'eu-central-1')).toBe(true);
    await e.feature.response.run(p.id, ID);
    expect(e.mock.of('ec2', 'ModifySnapshotAttribute')).toEqual([
      { SnapshotId: 'snap-1', Attribute: 'createVolumePermission', OperationType: 'add', UserIds: ['444455556666'] },
      { SnapshotId: 'snap-2', Attribute: 'createVolumePermission', OperationType: 'add', UserIds: ['444455556666'] },
    ]);
    const copies = e.mock.of('ec2', 'CopySnapshot');
    expect(copies.map((c) => [c.SourceSnapshotId, c.SourceRegion, c.Encrypted, c.KmsKeyId])).toEqual([
      ['snap-1', REGION, true, kmsKeyId],
      ['snap-2', REGION, true, kmsKeyId],
    ]);
    const exported = e.s.custody.ledger.list(e.caseNumber).filter((x) => x.action === 'exported');
    expect(exported.map((x) => x.purpose).sort()).toEqual([
      'Snapshot copied to eu-central-1 as snap-copy-of-snap-1, re-encrypted',
      'Snapshot copied to eu-central-1 as snap-copy-of-snap-2, re-encrypted',
      'Snapshot shared with forensic account 444455556666',
      'Snapshot shared with forensic account 444455556666',
    ]);
    expect(exported.every((x) => x.evidence !== null)).toBe(true);
  });

  it('resumed after a crash during CreateSnapshots, reuses the snapshots tagged with the action instead of snapshotting twice', async () => {
    const p = await plan();
    e.mock.failNext('ec2', 'DescribeSnapshots', awsError('RequestExpired', 'Request has expired'));
    await expect(e.feature.response.run(p.id, ID)).rejects.toMatchObject({ code: 'aws-credentials-expired' });
    expect(e.mock.of('ec2', 'CreateSnapshots')).toEqual([]);
    e.mock.on('ec2', 'DescribeSnapshots', (input) =>
      input.Filters
        ? {
            Snapshots: [
              { SnapshotId: 'snap-1', VolumeId: 'vol-1', State: 'pending' },
              { SnapshotId: 'snap-2', VolumeId: 'vol-2', State: 'pending' },
            ],
          }
        : {
            Snapshots: [
              { SnapshotId: 'snap-1', VolumeId: 'vol-1', State: 'completed', VolumeSize: 8 },
              { SnapshotId: 'snap-2', VolumeId: 'vol-2', State: 'completed', VolumeSize: 100 },
            ],
          },
    );
    const done = await e.feature.response.run(p.id, ID);
    expect(done.state).toBe('succeeded');
    expect(e.mock.of('ec2', 'CreateSnapshots')).toEqual([]);
    expect(e.mock.of('ec2', 'DescribeSnapshots')[1]).toEqual({
      OwnerIds: ['self'],
      Filters: [
        { Name: 'tag:lariat:action', Values: [String(p.id)] },
        { Name: 'tag:lariat:case', Values: [e.caseNumber] },
      ],
    });
  });

  it('fails clearly when a snapshot errors', async () => {
    e.mock.on('ec2', 'DescribeSnapshots', (input) =>
      input.Filters
        ? { Snapshots: [] }
        : { Snapshots: [{ SnapshotId: 'snap-1', VolumeId: 'vol-1', State: 'error', StateMessage: 'internal error' }] },
    );
    const p = await plan();
    await expect(e.feature.response.run(p.id, ID)).rejects.toMatchObject({ code: 'snapshot-failed' });
  });

  it('needs both a region and a key for a forensic copy', async () => {
    await expect(plan({ copyToRegion: 'eu-central-1' })).rejects.toMatchObject({ code: 'invalid-input' });
  });
});
