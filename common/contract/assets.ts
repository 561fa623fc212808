import * as z from 'zod';
import { channel } from './define';
import { AwsAccountId, AwsRegion, CaseNumber, Id, text } from './common';
import { AccessKeyId } from './response-credentials';

export const AssetKind = z.enum(['ec2-instance', 'access-key', 'iam-principal', 's3-bucket', 'ip', 'domain', 'other']);
export type AssetKind = z.infer<typeof AssetKind>;

/** Something involved in the incident: an instance, access key, principal, bucket, IP or domain. */
export interface AssetRecord {
  id: number;
  caseNumber: string;
  kind: AssetKind;
  identifier: string;
  label: string;
  account: string | null;
  region: string | null;
  /** Feature-specific facts (instance details, isolation state...). */
  details: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/**
 * What an identifier of a kind looks like, where AWS fixes it. An investigator's typo (`i-../../etc` as an
 * instance) was kept as an asset, and a playbook step pre-filled from it then failed at AWS. Buckets allow the
 * legacy names (capitals, underscores) older buckets still carry; principals, domains and `other` are free text.
 */
const IDENTIFIER_FORMATS: Partial<Record<AssetKind, { valid: (v: string) => boolean; says: string }>> = {
  'ec2-instance': { valid: (v) => /^i-[0-9a-f]{8}(?:[0-9a-f]{9})?$/.test(v), says: 'an EC2 instance id looks like i-0123456789abcdef0' },
  'access-key': { valid: (v) => AccessKeyId.safeParse(v).success, says: 'an access key id looks like AKIAIOSFODNN7EXAMPLE' },
  ip: { valid: (v) => z.union([z.ipv4(), z.ipv6()]).safeParse(v).success, says: 'an IP address looks like 203.0.113.7 or 2001:db8::1' },
  's3-bucket': {
    valid: (v) => /^[A-Za-z0-9._-]{3,255}$/.test(v),
    says: 'an S3 bucket name is 3 to 255 letters, digits, dots, hyphens and underscores',
  },
};

export const AssetInput = z
  .object({
    caseNumber: CaseNumber,
    kind: AssetKind,
    identifier: text().trim().min(1).max(2048),
    label: text().trim().max(200).optional(),
    account: AwsAccountId.optional(),
    region: AwsRegion.optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    const format = IDENTIFIER_FORMATS[a.kind];
    if (format && !format.valid(a.identifier)) ctx.addIssue({ code: 'custom', path: ['identifier'], message: format.says });
  });

export const assetsContract = {
  listAssets: channel<AssetRecord[]>()(z.object({ caseNumber: CaseNumber, kind: AssetKind.optional() }).strict(), 'Assets of a case.'),
  addAsset: channel<AssetRecord>()(AssetInput, 'Add (or update) an asset in a case.'),
  getAsset: channel<AssetRecord>()(z.object({ caseNumber: CaseNumber, assetId: Id }).strict(), 'One asset.'),
};
