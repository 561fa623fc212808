import type { LogKind } from '../../../common/contract/acquire';

/**
 * Where AWS delivers logs in a bucket, and how a key tells its time.
 *
 * CloudTrail: `<prefix>/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_YYYYMMDDTHHmmZ_<id>.json.gz`
 * (organization trails put `<o-id>/` before the account), digests under `CloudTrail-Digest/` named
 * `..._YYYYMMDDTHHmmssZ.json.gz` after the end of the hour they cover. VPC flow logs:
 * `<prefix>/AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/[HH/]<account>_vpcflowlogs_<region>_<id>_YYYYMMDDTHHmmZ_<hash>.log.gz`.
 */
export type Folder = 'CloudTrail' | 'CloudTrail-Digest' | 'vpcflowlogs';

export const LOG_FOLDER: Record<LogKind, Folder> = { cloudtrail: 'CloudTrail', vpcflowlogs: 'vpcflowlogs' };

/** A log file holds events up to ~15 minutes older than its name; take files named up to this long after the window. */
export const LOG_SLACK_MS = 60 * 60 * 1000;
/** A digest covers the hour of deliveries before its name: take the ones named up to two hours after the window. */
export const DIGEST_SLACK_MS = 2 * 60 * 60 * 1000;

/** `AWSLogs/` under the bucket prefix. */
export function awsLogsRoot(prefix: string): string {
  return prefix ? `${prefix}/AWSLogs/` : 'AWSLogs/';
}

/** The folder of one account (or `o-id/account`), service folder, region and day. */
export function dayPrefix(prefix: string, owner: string, folder: Folder, region: string, day: string): string {
  return `${awsLogsRoot(prefix)}${owner}/${folder}/${region}/${day}/`;
}

/** `YYYY/MM/DD` of every UTC day from `from` to `to` (inclusive). */
export function days(fromMs: number, toMs: number): string[] {
  const out: string[] = [];
  const d = new Date(Date.UTC(new Date(fromMs).getUTCFullYear(), new Date(fromMs).getUTCMonth(), new Date(fromMs).getUTCDate()));
  while (d.getTime() <= toMs) {
    out.push(`${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`);
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

/** The time in a log or digest file name (UTC), or null when the name is not AWS's. */
export function keyTime(key: string): number | null {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const m = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?Z(?:_|\.json\.gz$|_backfill)/.exec(name);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? '0'));
  return Number.isNaN(t) ? null : t;
}

/** Account and region named by a key under `AWSLogs/[o-id/]<account>/<folder>/<region>/`. */
export function keyPlace(key: string): { account: string | null; region: string | null; folder: string | null } {
  const m = /AWSLogs\/(?:o-[a-z0-9]+\/)?(\d{12})\/([\w-]+)\/([a-z]{2}(?:-gov)?-[a-z]+-\d)\//.exec(key);
  return m ? { account: m[1]!, folder: m[2]!, region: m[3]! } : { account: null, region: null, folder: null };
}

/** True when a key of this folder was delivered in the window (with the folder's slack after its end). */
export function inWindow(key: string, folder: Folder, fromMs: number, toMs: number): boolean {
  const t = keyTime(key);
  if (t === null) return false;
  return t >= fromMs && t < toMs + (folder === 'CloudTrail-Digest' ? DIGEST_SLACK_MS : LOG_SLACK_MS);
}

/** What a digest key names: source region, trail name and home region (for grouping digests into chains). */
export function digestTrail(key: string): { account: string; region: string; trail: string; homeRegion: string } | null {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const m =
    /^(\d{12})_CloudTrail-Digest_([a-z]{2}(?:-gov)?-[a-z]+-\d)_(.+)_([a-z]{2}(?:-gov)?-[a-z]+-\d)_\d{8}T\d{6}Z(?:_backfill)?\.json\.gz$/.exec(
      name,
    );
  return m ? { account: m[1]!, region: m[2]!, trail: m[3]!, homeRegion: m[4]! } : null;
}
