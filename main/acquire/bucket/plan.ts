import { AppError } from '../../core/errors';
import type { JobContext } from '../../jobs/job-service';
import type { AwsClients } from '../../aws/clients';
import type { BucketPlan, PlanBucketInput } from '../../../common/contract/acquire';
import type { AcquireDeps } from '../deps';
import { AccountAccess } from '../accounts';
import { listFolders, listObjects } from '../s3/list';
import { LOG_FOLDER, awsLogsRoot, dayPrefix, days, DIGEST_SLACK_MS, inWindow, type Folder } from '../s3/layout';
import type { NewObject } from '../store';

/** What a bucket acquisition stores as its request: the plan's input with the bucket and places resolved. */
export interface BucketRequest {
  bucket: string;
  prefix: string;
  region: string;
  logKind: PlanBucketInput['logKind'];
  window: { from: string; to: string };
  owners: { owner: string; account: string }[];
  regions: string[];
  digests: boolean;
  trail: string | null;
  via: PlanBucketInput['via'] | null;
}

interface Trail {
  Name?: string;
  S3BucketName?: string;
  S3KeyPrefix?: string;
  HomeRegion?: string;
  LogFileValidationEnabled?: boolean;
}

/** Clients for the acquisition: the session's, or a role in the account named by `via` (the log archive). */
export async function bucketClients(d: AcquireDeps, via: BucketRequest['via']): Promise<{ clients: AwsClients; access: AccountAccess }> {
  const access = new AccountAccess({ session: d.session, sleep: d.sleep });
  const clients = via ? (await access.forAccount(via.account, via.roleName, via.externalId)).clients : (await access.base()).clients;
  return { clients, access };
}

/** The bucket and key prefix a trail delivers to (cloudtrail:DescribeTrails), for a bucket acquisition or an Athena table. */
export async function trailDelivery(
  clients: AwsClients,
  region: string,
  name: string,
  signal?: AbortSignal,
): Promise<{ trail: Trail; bucket: string; prefix: string }> {
  const out = await clients.call<{ trailList?: Trail[] }>(
    'cloudtrail',
    region,
    'DescribeTrails',
    { trailNameList: [name], includeShadowTrails: true },
    { signal, context: name },
  );
  const trail = out.trailList?.[0];
  if (!trail?.S3BucketName)
    throw new AppError(
      'trail-not-found',
      `CloudTrail has no trail ${name} delivering to S3 in ${region}.`,
      'Check the trail name and region (lariat aws accounts lists the trails of each region), or give the bucket with --bucket.',
    );
  return { trail, bucket: trail.S3BucketName, prefix: (trail.S3KeyPrefix ?? '').replace(/^\/+|\/+$/g, '') };
}

/**
 * Plans a bucket acquisition without downloading anything: resolves the
 * bucket (from the trail with cloudtrail:DescribeTrails, or as given), finds
 * the accounts and regions under AWSLogs/ (s3:ListBucket with a delimiter)
 * unless given, and lists every object of each account, region and day of
 * the window, logs and (for CloudTrail) digests. Objects named outside the
 * window are stored too, marked so, which lets validation tell a deleted log
 * from one never listed. The plan is an acquisition in state `planned`.
 */
export async function planBucket(d: AcquireDeps, input: PlanBucketInput, job?: JobContext): Promise<BucketPlan> {
  const c = d.core.cases.requireWritable(input.caseNumber);
  const caseRecord = d.core.cases.get(input.caseNumber);
  const region = input.region ?? caseRecord.regions[0] ?? d.session.whoAmI().region;
  const { clients, access } = await bucketClients(d, input.via ?? null);
  try {
    let bucket = input.bucket ?? '';
    let prefix = input.prefix ?? '';
    const warnings: string[] = [];
    if (input.trail) {
      const { trail, ...at } = await trailDelivery(clients, region, input.trail, job?.signal);
      ({ bucket, prefix } = at);
      if (input.digests && trail.LogFileValidationEnabled === false)
        warnings.push(`trail ${trail.Name} does not have log file validation enabled: there are no digests to prove its logs`);
    }
    const signal = job?.signal;
    const root = awsLogsRoot(prefix);
    const owners: { owner: string; account: string }[] = [];
    const wanted = input.accounts?.length ? new Set(input.accounts) : null;
    if (wanted) {
      // Named accounts are taken as given (an organization trail's folders sit under its o-id).
      for (const a of wanted) owners.push({ owner: input.organizationId ? `${input.organizationId}/${a}` : a, account: a });
    } else {
      for (const top of await listFolders(clients, region, bucket, root, signal)) {
        if (/^\d{12}$/.test(top)) owners.push({ owner: top, account: top });
        else if (/^o-[a-z0-9]+$/.test(top) && (!input.organizationId || top === input.organizationId))
          for (const acct of await listFolders(clients, region, bucket, `${root}${top}/`, signal))
            if (/^\d{12}$/.test(acct)) owners.push({ owner: `${top}/${acct}`, account: acct });
      }
    }
    const chosen = owners;
    if (chosen.length === 0)
      throw new AppError(
        'no-logs-found',
        `s3://${bucket}/${root} holds no account folders${wanted ? ` for ${[...wanted].join(', ')}` : ''}.`,
        'Check the bucket and prefix (the prefix is the part before AWSLogs/), or the trail.',
      );
    const folder = LOG_FOLDER[input.logKind];
    const regionsFor = async (owner: string): Promise<string[]> => {
      if (input.regions?.length) return input.regions;
      if (caseRecord.regions.length) return caseRecord.regions;
      return (await listFolders(clients, region, bucket, `${root}${owner}/${folder}/`, signal)).filter((r) =>
        /^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(r),
      );
    };
    const fromMs = Date.parse(input.window.from);
    const toMs = Date.parse(input.window.to);
    const dayList = days(fromMs, toMs + DIGEST_SLACK_MS);
    const folders: Folder[] = input.logKind === 'cloudtrail' && input.digests ? [folder, 'CloudTrail-Digest'] : [folder];
    const objects: NewObject[] = [];
    const listed: string[] = [];
    const regionsSeen = new Set<string>();
    const places: { owner: string; account: string; region: string }[] = [];
    for (const o of chosen) for (const r of await regionsFor(o.owner)) places.push({ ...o, region: r });
    const total = places.length * dayList.length * folders.length;
    for (const p of places) {
      regionsSeen.add(p.region);
      for (const f of folders)
        for (const day of dayList) {
          job?.throwIfCancelled();
          const pre = dayPrefix(prefix, p.owner, f, p.region, day);
          for (const obj of await listObjects(clients, region, bucket, pre, signal)) {
            objects.push({
              kind: f === 'CloudTrail-Digest' ? 'digest' : input.logKind === 'cloudtrail' ? 'log' : 'flow-log',
              bucket,
              key: obj.key,
              account: p.account,
              region: p.region,
              size: obj.size,
              etag: obj.etag,
              last_modified: obj.lastModified,
              state: inWindow(obj.key, f, fromMs, toMs) ? 'pending' : 'outside-window',
            });
          }
          listed.push(pre);
          job?.progress(listed.length, total, `listed ${pre}`);
        }
    }
    const request: BucketRequest = {
      bucket,
      prefix,
      region,
      logKind: input.logKind,
      window: input.window,
      owners: chosen,
      regions: [...regionsSeen],
      digests: folders.includes('CloudTrail-Digest'),
      trail: input.trail ?? null,
      via: input.via ?? null,
    };
    const pending = objects.filter((o) => o.state === 'pending');
    const keyRegions = request.digests ? [...new Set(pending.filter((o) => o.kind === 'digest').map((o) => o.region!))].sort() : [];
    const label = `${input.logKind === 'cloudtrail' ? 'CloudTrail' : 'VPC flow'} logs from s3://${bucket}/${root} ${input.window.from} to ${input.window.to}`;
    const id = d.core.db.transaction(() => {
      const acqId = d.store.insert({ caseId: c.id, kind: 'bucket', label, request, actor: d.core.actor().name });
      d.store.addObjects(acqId, objects);
      d.store.mergeResult(acqId, { listed, keyRegions, warnings });
      d.core.activity.record({
        caseId: c.id,
        action: 'acquisition.planned',
        entity: 'acquisition',
        entityId: acqId,
        details: { label, objects: pending.length },
      });
      return acqId;
    })();
    const sum = (kind: string) => {
      const sel = pending.filter((o) => (kind === 'digest' ? o.kind === 'digest' : o.kind !== 'digest'));
      return { count: sel.length, bytes: sel.reduce((n, o) => n + o.size, 0) };
    };
    return {
      acquisition: d.store.get(id),
      bucket,
      prefix,
      logKind: input.logKind,
      accounts: [...new Set(chosen.map((o) => o.account))],
      regions: [...regionsSeen].sort(),
      prefixes: listed.length,
      logs: sum('log'),
      digests: sum('digest'),
      keyRegions,
      outsideWindow: objects.length - pending.length,
    };
  } finally {
    access.destroy();
  }
}
