import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BatchCommit, EvidenceApi, EvidenceSummary } from '../../../main/custody/api';
import { createTimelineFeature, type TimelineFeature } from '../../../main/timeline';
import { afterAll, beforeAll } from 'vitest';
import { makeServices, type TestServices } from '../../helpers/services';

/** An in-test stand-in for the evidence vault: hashes the file, remembers it, reports duplicates by SHA-256. */
export function fakeEvidence(): EvidenceApi & BatchCommit & { calls: { file: string; kind: string | undefined }[] } {
  const seen = new Map<string, EvidenceSummary>();
  const calls: { file: string; kind: string | undefined }[] = [];
  const api: EvidenceApi & BatchCommit & { calls: typeof calls } = {
    calls,
    async importFile(caseNumber, filePath, meta) {
      return api.commitStaged(caseNumber, await api.stageFile(caseNumber, filePath), meta);
    },
    async stageFile(_caseNumber, filePath) {
      const bytes = fs.readFileSync(filePath);
      const hashes = { md5: '', sha1: '', sha256: createHash('sha256').update(bytes).digest('hex') };
      // No copy either: the source stands in for it (the parse thread reads `tempPath`).
      return { source: filePath, tempPath: filePath, size: bytes.length, hashes };
    },
    commitStaged(caseNumber, staged, meta) {
      calls.push({ file: staged.source, kind: meta.kind });
      const key = `${caseNumber}:${staged.hashes.sha256}`;
      const old = seen.get(key);
      if (old) return { ...old, duplicate: true };
      const item: EvidenceSummary = {
        id: seen.size + 1,
        caseNumber,
        kind: meta.kind ?? 'file',
        description: meta.description ?? path.basename(staged.source),
        size: staged.size,
        hashes: { sha256: staged.hashes.sha256 },
        // No vault here: raw records are read from the file itself (an absolute path resolves as is).
        vaultPath: staged.source,
        duplicate: false,
      };
      seen.set(key, item);
      return item;
    },
    commitStagedBatch: (caseNumber, items) => items.map(({ staged, meta }) => api.commitStaged(caseNumber, staged, meta)),
    custodyBatch: (_caseNumber, fn) => fn(),
    discardStaged: () => undefined,
    importBytes: () => Promise.reject(new Error('not used')),
    registerRemote: () => {
      throw new Error('not used');
    },
    recordCustody: () => undefined,
  };
  return api;
}

/** Real services with the timeline feature rebuilt over a fake evidence vault. */
export function makeTimeline(): { s: TestServices; t: TimelineFeature; evidence: ReturnType<typeof fakeEvidence> } {
  const s = makeServices();
  const evidence = fakeEvidence();
  const t = createTimelineFeature(s.core, { ...s.custody, evidence });
  return { s, t, evidence };
}

export const SHARED = path.resolve(__dirname, '../../../../shared/data');

/** A timeline and one case in it, for the tests of a describe block: made before them, cleaned up after. */
export interface TimelineCase {
  s: TestServices;
  t: TimelineFeature;
  caseNumber: string;
}

/** Registers the hooks that make (and clean up) a timeline with one case; read its fields inside the tests. */
export function timelineCase(title: string): TimelineCase {
  const c = {} as TimelineCase;
  beforeAll(() => {
    Object.assign(c, makeTimeline());
    c.caseNumber = c.s.core.cases.create({ title, severity: 'low' }).number;
  });
  afterAll(() => c.s.cleanup());
  return c;
}
