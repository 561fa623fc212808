import * as z from 'zod';
import { AssetKind } from '../../../common/contract/assets';
import { CaseNumber, CaseStatus, Severity, Tlp } from '../../../common/contract/common';
import { TaskStatus } from '../../../common/contract/cases';

const Text = (max: number) => z.string().max(max);
const Time = z.string().max(40);

/**
 * `case.json` in a bundle: the case and everything recorded about it at
 * export time. The parts a receiving Lariat re-creates (case, tasks, notes,
 * assets) are validated field by field; the rest (evidence register,
 * activity, timeline, findings, IOCs, response actions) is kept as received
 * for reading, with only the evidence ids and hashes checked.
 */
export const CaseData = z
  .object({
    format: z.literal('lariat-case-data'),
    version: z.literal(1),
    case: z
      .object({
        number: CaseNumber,
        title: Text(200),
        summary: Text(200_000),
        severity: Severity,
        status: CaseStatus,
        tlp: Tlp,
        lead: Text(200),
        accounts: z.array(Text(12)).max(100),
        regions: z.array(Text(30)).max(40),
        tags: z.array(Text(64)).max(50),
        openedAt: Time,
        closedAt: Time.nullable(),
      })
      .passthrough(),
    tasks: z
      .array(
        z
          .object({
            title: Text(300).min(1),
            assignee: Text(200),
            status: TaskStatus,
            dueDate: Text(10).nullable(),
            createdAt: Time,
            updatedAt: Time,
          })
          .passthrough(),
      )
      .max(100_000),
    notes: z
      .array(z.object({ title: Text(300).min(1), body: Text(200_000), author: Text(200), createdAt: Time, updatedAt: Time }).passthrough())
      .max(100_000),
    assets: z
      .array(
        z
          .object({
            kind: AssetKind,
            identifier: Text(2048).min(1),
            label: Text(200),
            account: Text(12).nullable(),
            region: Text(30).nullable(),
            details: z.record(z.string(), z.unknown()),
            createdAt: Time,
            updatedAt: Time,
          })
          .passthrough(),
      )
      .max(100_000),
    evidence: z.array(z.object({ id: z.number().int().positive(), sha256: z.string().nullable() }).passthrough()).max(100_000),
    activity: z.array(z.unknown()),
    timeline: z.object({ total: z.number().nullable(), events: z.array(z.unknown()) }).nullable(),
    findings: z.array(z.unknown()).nullable(),
    iocs: z.array(z.unknown()).nullable(),
    response: z.array(z.unknown()).nullable(),
    /** The post-incident analysis (absent from bundles made before it existed). */
    analysis: z.unknown().nullable().optional(),
  })
  .strict();
export type CaseData = z.infer<typeof CaseData>;
