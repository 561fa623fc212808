import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import type { Core } from '../../core/core';
import type { JobContext } from '../../jobs/job-service';
import type { CustodyFeature } from '../../custody';
import type { ReceivedVerifier } from '../../custody/verify-service';
import type { EvidenceItem } from '../../../common/contract/custody';
import { EVIDENCE_KINDS, EVIDENCE_STATUSES } from '../../../common/contract/custody';
import { FolderSource } from './folder-source';
import { verifySource } from './verify';
import { receivedDir } from './import-bundle';
import { MANIFEST, evidenceEntryName } from './format';

const Text = z.string().max(4096);
/** The sender's register row as case.json carries it (their EvidenceItem); only what Lariat shows is read. */
const ReceivedItem = z
  .object({
    id: z.number().int().positive(),
    kind: z.enum(EVIDENCE_KINDS).catch('file'),
    description: Text.catch(''),
    source: z
      .object({ path: Text.nullable(), account: Text.nullable(), region: Text.nullable(), resource: Text.nullable() })
      .partial()
      .catch({}),
    acquisition: z.object({ by: Text, byFingerprint: Text.nullable(), at: Text, tool: Text, method: Text, host: Text }).partial().catch({}),
    size: z.number().nullable().catch(null),
    md5: Text.nullable().catch(null),
    sha1: Text.nullable().catch(null),
    sha256: Text.nullable().catch(null),
    vaultPath: Text.nullable().catch(null),
    custodian: Text.catch(''),
    custodianFingerprint: Text.nullable().catch(null),
    status: z.enum(EVIDENCE_STATUSES).catch('held'),
    createdAt: Text.catch(''),
    updatedAt: Text.catch(''),
  })
  .passthrough();

/**
 * The evidence of a received case, as the sender's register lists it in the
 * kept case.json (checked against the signed acquisition entries when the
 * bundle was received, and again by every verification). Files, when they
 * came with the bundle, are under `received/<case>/evidence/`.
 */
export function receivedItems(core: Core, caseNumber: string): EvidenceItem[] | null {
  const row = core.cases.require(caseNumber);
  if (row.read_only !== 1) return null;
  const dir = receivedDir(core, caseNumber);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8'));
  } catch {
    return [];
  }
  const list = z.object({ evidence: z.array(z.unknown()) }).safeParse(raw);
  if (!list.success) return [];
  return list.data.evidence.flatMap((e) => {
    const p = ReceivedItem.safeParse(e);
    if (!p.success) return [];
    const i = p.data;
    const file = i.vaultPath ? evidenceEntryName(i.id, i.vaultPath) : null;
    return [
      {
        id: i.id,
        caseNumber,
        kind: i.kind,
        description: i.description || `item ${i.id}`,
        source: {
          path: i.source.path ?? null,
          account: i.source.account ?? null,
          region: i.source.region ?? null,
          resource: i.source.resource ?? null,
        },
        acquisition: {
          by: i.acquisition.by ?? '',
          byFingerprint: i.acquisition.byFingerprint ?? null,
          at: i.acquisition.at ?? '',
          tool: i.acquisition.tool ?? '',
          method: i.acquisition.method ?? '',
          host: i.acquisition.host ?? '',
        },
        size: i.size,
        md5: i.md5,
        sha1: i.sha1,
        sha256: i.sha256,
        vaultPath: null,
        receivedPath: file && fs.existsSync(path.join(dir, ...file.split('/'))) ? `received/${caseNumber}/${file}` : null,
        custodian: i.custodian,
        custodianFingerprint: i.custodianFingerprint,
        status: i.status,
        createdAt: i.createdAt,
        updatedAt: i.updatedAt,
      } satisfies EvidenceItem,
    ];
  });
}

/**
 * Re-verifies the bundle a received case keeps (`received/<case>/`): the
 * manifest must be byte for byte the one the receiving investigator's signed
 * `received` entry names, and everything it lists must still verify as on the
 * day it was received, evidence files re-hashed against the SHA-256 of their
 * signed acquisition entries. Trust starts from the keys this case's own ledger
 * accepts (the sender named in the `received` entry, keys it introduced).
 */
export function receivedVerifier(core: Core, custody: CustodyFeature): ReceivedVerifier {
  return async (caseNumber: string, accepted: ReadonlyMap<string, string>, job?: JobContext) => {
    const dir = receivedDir(core, caseNumber);
    const receivedEntry = custody.ledger.list(caseNumber).find((e) => e.action === 'received');
    const expected = typeof receivedEntry?.details.manifestSha256 === 'string' ? receivedEntry.details.manifestSha256 : null;
    const fail = (message: string) => ({
      problems: [{ kind: 'received-changed' as const, message: `received bundle: ${message}` }],
      received: null,
      signers: [],
      warnings: [],
    });
    if (!receivedEntry) return fail('this read-only case has no "received" entry naming the bundle it came from');
    if (!expected)
      return {
        problems: [],
        received: null,
        signers: [],
        warnings: [
          `received bundle: received by an earlier Lariat that did not keep its manifest; the files in ${dir} cannot be re-verified`,
        ],
      };
    let manifestBytes: Buffer;
    try {
      manifestBytes = fs.readFileSync(path.join(dir, MANIFEST));
    } catch {
      return fail(`${MANIFEST} is missing from ${dir}`);
    }
    if (crypto.createHash('sha256').update(manifestBytes).digest('hex') !== expected)
      return fail(
        `${MANIFEST} in ${dir} is not the one received (its SHA-256 differs from the signed "received" entry ${receivedEntry.seq})`,
      );
    let source: FolderSource;
    try {
      source = new FolderSource(dir);
    } catch (err) {
      return fail((err as Error).message);
    }
    const r = await verifySource(source, {
      roots: { keys: new Map(accepted), source: "the keys this case's own ledger accepts (its received entry and your trust list)" },
      ...(job ? { onProgress: (d: number, t: number) => job.progress(d, t) } : {}),
    });
    const v = r.verification;
    if (!v.ok) return { ...fail(v.reason ?? 'verification failed'), signers: v.signers };
    const original = r.contents!.manifest.case.number;
    return {
      problems: [],
      received: {
        senderCaseNumber: original,
        entries: v.ledgerEntries ?? 0,
        files: r.contents!.manifest.files.filter((f) => f.role === 'evidence').length,
        exporter: v.exporter!,
      },
      signers: v.signers,
      warnings: v.warnings,
    };
  };
}
