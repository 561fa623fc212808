import * as z from 'zod';
import { AwsRegion, CaseNumber } from './common';
import { AccountScope } from './acquire-scope';

/** Several accounts (a list or the Organization) and the logging coverage map with its blind spots. */

export const ListAccountsInput = AccountScope;

export interface AccountInfo {
  account: string;
  name: string | null;
  email: string | null;
  status: string | null;
  /** How Lariat reaches it: the current identity, or the role ARN it assumes. */
  via: string;
  /** Why it cannot be reached, if it cannot. */
  error: string | null;
}

export const CoverageInput = z
  .object({
    /** When given, the map is also saved to the case as evidence. */
    caseNumber: CaseNumber.optional(),
    regions: z.array(AwsRegion).min(1).max(40).optional(),
    scope: AccountScope.optional(),
  })
  .strict()
  .refine((v) => v.caseNumber || v.regions?.length, 'give a case (its regions) or regions');

export interface TrailCoverage {
  name: string;
  arn: string;
  homeRegion: string | null;
  multiRegion: boolean;
  organization: boolean;
  logging: boolean | null;
  validation: boolean;
  dataEvents: boolean | null;
  bucket: string | null;
  prefix: string | null;
}

export interface RegionCoverage {
  account: string;
  region: string;
  trails: TrailCoverage[];
  flowLogs: { vpcs: number; resources: string[] } | null;
  guardDuty: { enabled: boolean; detectorId: string | null; status: string | null } | null;
  securityHub: { enabled: boolean } | null;
  /** Blind spots in words: no trail, trail not validated, no data events, no flow logs, GuardDuty off... */
  gaps: string[];
  /** Calls that failed (permission, region disabled), with the IAM action named. */
  errors: string[];
}

export interface CoverageMap {
  generatedAt: string;
  accounts: AccountInfo[];
  regions: RegionCoverage[];
  evidenceId: number | null;
}
