import { z } from 'zod';
import { channel } from './define';
import { AwsAccountId, AwsRegion, CaseNumber, Id, text } from './common';

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

export const AssetInput = z
  .object({
    caseNumber: CaseNumber,
    kind: AssetKind,
    identifier: text().trim().min(1).max(2048),
    label: text().trim().max(200).optional(),
    account: AwsAccountId.optional(),
    region: AwsRegion.optional(),
  })
  .strict();

export const assetsContract = {
  listAssets: channel<AssetRecord[]>()(z.object({ caseNumber: CaseNumber, kind: AssetKind.optional() }).strict(), 'Assets of a case.'),
  addAsset: channel<AssetRecord>()(AssetInput, 'Add (or update) an asset in a case.'),
  getAsset: channel<AssetRecord>()(z.object({ caseNumber: CaseNumber, assetId: Id }).strict(), 'One asset.'),
};
