import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { ParseWorker } from '../../../main/timeline/import-worker';
import { importServiceWith } from '../../helpers/services';
import { perTest } from '../../helpers/temp-dirs';
import { ensureTestIdentity } from '../../helpers/identity';

const each = perTest();
afterEach(() => vi.restoreAllMocks());

/** One CloudTrail delivery file whose every record comes from 10.0.0.1. */
function trailFile(records: number, tag = ''): string {
  const dir = each.dir('lariat-trail-');
  const Records = Array.from({ length: records }, (_, i) => ({
    eventVersion: '1.08',
    eventTime: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RunInstances',
    awsRegion: 'us-east-1',
    sourceIPAddress: '10.0.0.1',
    eventID: `${tag}e-${i}`,
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice' },
  }));
  const file = path.join(dir, 'trail.json');
  fs.writeFileSync(file, JSON.stringify({ Records }));
  return file;
}

/**
 * The fault: the source file is rewritten (same size, another address) right after its copy into the vault was
 * hashed and verified, before the timeline reads it. The custody record holds the first content; the events must
 * too, and each must read back (by offset from the vault copy) as the record its columns were taken from.
 */
for (const [mode, workerBytes] of [
  ['streamed on the main thread', Infinity],
  ['on the parse thread', 0],
] as const)
  test(`a source rewritten after its vault copy: the events are the copy's, as the custody record hashed it (${mode})`, async () => {
    const s = each.services();
    ensureTestIdentity(s);
    const file = trailFile(200);
    const real = s.custody.evidence;
    const evidence = Object.create(real, {
      stageFile: {
        value: async (...args: Parameters<typeof real.stageFile>) => {
          const staged = await real.stageFile(...args);
          fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replaceAll('"10.0.0.1"', '"10.6.6.6"'));
          return staged;
        },
      },
    }) as typeof real;
    const parse = vi.spyOn(ParseWorker.prototype, 'parse');
    const caseNumber = s.core.cases.create({ title: 'rewritten', severity: 'low' }).number;
    const report = await importServiceWith(s, { workerBytes, evidence }).importPaths(caseNumber, [file]);
    expect(report.imported).toBe(200);
    // On the parse thread, the file was parsed there (not streamed after a failed open of the copy).
    const parsed = await Promise.all(parse.mock.results.map((r) => r.value as ReturnType<ParseWorker['parse']>));
    expect(parsed.map((p) => p?.events)).toEqual(workerBytes === 0 ? [200] : []);
    const events = s.timeline.events.query({ caseNumber, limit: 500 }).events;
    expect(events).toHaveLength(200);
    for (const e of events) {
      expect(e.sourceIp).toBe('10.0.0.1');
      expect((s.timeline.events.get(caseNumber, e.id).raw as { sourceIPAddress: string }).sourceIPAddress).toBe('10.0.0.1');
    }
    expect(s.timeline.events.count({ caseNumber, search: '10.6.6.6' }).count).toBe(0);
    expect((await s.custody.verify.verify(caseNumber)).intact).toBe(true);
  });

test('every copy is parsed on the thread, also when a commit renames or removes it first (eight files, one a duplicate)', async () => {
  const s = each.services();
  ensureTestIdentity(s);
  const dir = each.dir('lariat-trails-');
  for (let f = 0; f < 7; f++) fs.copyFileSync(trailFile(50 + f, `f${f}`), path.join(dir, `t-${f}.json`));
  fs.copyFileSync(path.join(dir, 't-3.json'), path.join(dir, 't-7.json'));
  const parse = vi.spyOn(ParseWorker.prototype, 'parse');
  const caseNumber = s.core.cases.create({ title: 'eight', severity: 'low' }).number;
  const report = await importServiceWith(s, { workerBytes: 0 }).importPaths(caseNumber, [dir]);
  const parsed = await Promise.all(parse.mock.results.map((r) => r.value as ReturnType<ParseWorker['parse']>));
  // In the order the copies were staged (several at once), each parsed whole.
  expect(parsed.map((p) => p?.events).sort()).toEqual([50, 51, 52, 53, 53, 54, 55, 56]);
  expect(report.imported).toBe(50 + 51 + 52 + 53 + 54 + 55 + 56);
  expect(report.files.filter((f) => f.duplicate).map((f) => path.basename(f.file))).toEqual(['t-7.json']);
  expect((await s.custody.verify.verify(caseNumber)).intact).toBe(true);
});
