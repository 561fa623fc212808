import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LookupEventsInput } from '../../../common/contract/acquire';
import * as ops from '../../../main/acquire/operations';
import { ACCOUNT, REGION, awsError, ctEvent, custodyBodies, setup, type Env } from './fixtures';

let e: Env;
beforeEach(() => {
  e = setup({ regions: [REGION, 'us-east-1'] });
});
afterEach(() => e.cleanup());

const input = (extra: Record<string, unknown> = {}) =>
  LookupEventsInput.parse({ caseNumber: e.caseNumber, window: { from: '2026-11-20', to: '2026-11-20T12:00:00Z' }, ...extra });

/** Three pages in eu-west-1 (50, 50, 7 events), one page in us-east-1 (2 events). */
function pages(): void {
  let n = 0;
  e.mock.on('cloudtrail', 'LookupEvents', (inp) => {
    const token = inp.NextToken as string | undefined;
    const count = token === 'p2' ? 50 : token === 'p3' ? 7 : 50;
    const events = Array.from({ length: count }, () => {
      const i = n++;
      return {
        EventId: `id-${i}`,
        EventName: 'ListUsers',
        EventTime: new Date('2026-11-20T10:00:00Z'),
        Username: 'mallory',
        CloudTrailEvent: ctEvent(i),
      };
    });
    return {
      Events: events,
      NextToken: token === undefined ? 'p2' : token === 'p2' ? 'p3' : undefined,
      $metadata: { requestId: `req-${token ?? 'p1'}` },
    };
  });
}

describe('LookupEvents acquisition', () => {
  it('pages through every region, keeps each CloudTrailEvent byte for byte in one evidence item, and imports the events', async () => {
    pages();
    const a = await ops.lookupEvents(e.d, input({ regions: [REGION] }));
    expect(a.state).toBe('done');
    const calls = e.mock.of('cloudtrail', 'LookupEvents');
    expect(calls.map((c) => c.NextToken ?? null)).toEqual([null, 'p2', 'p3']);
    expect(calls[0]).toMatchObject({
      StartTime: new Date('2026-11-20T00:00:00.000Z'),
      EndTime: new Date('2026-11-20T12:00:00.000Z'),
      MaxResults: 50,
    });
    expect(calls[0]!.LookupAttributes).toBeUndefined();
    expect(a.evidenceIds).toHaveLength(1);
    const item = e.s.custody.vault.get(e.caseNumber, a.evidenceIds[0]!);
    const text = fs.readFileSync(path.join(e.s.core.paths.vaultDir, item.vaultPath!), 'utf8');
    const doc = JSON.parse(text) as {
      Records: unknown[];
      lariatLookupEvents: { pages: { request: { NextToken?: string }; requestId: string; Events: { record: number }[] }[] };
    };
    expect(doc.Records).toHaveLength(107);
    // Byte for byte: every CloudTrailEvent string appears unchanged in the file.
    for (let i = 0; i < 107; i++) expect(text).toContain(ctEvent(i));
    expect(doc.lariatLookupEvents.pages.map((p) => p.requestId)).toEqual(['req-p1', 'req-p2', 'req-p3']);
    expect(doc.lariatLookupEvents.pages[1]!.request.NextToken).toBe('p2');
    expect(doc.lariatLookupEvents.pages[2]!.Events.at(-1)!.record).toBe(106);
    expect(item.kind).toBe('log-export');
    expect(item.acquisition.method).toContain('cloudtrail:LookupEvents StartTime=2026-11-20T00:00:00.000Z');
    expect(item.source.resource).toBe(`cloudtrail:LookupEvents ${ACCOUNT} ${REGION}`);
    const entry = custodyBodies(e.s, e.caseNumber).find((b) => b.evidence?.id === item.id && b.action === 'acquired');
    expect(entry).toBeDefined();
    expect(a.result.timeline).toMatchObject({ imported: 107, rejected: 0 });
    const page = e.s.timeline.events.query({ caseNumber: e.caseNumber, limit: 1000 });
    expect(page.events).toHaveLength(107);
    expect(page.events.every((ev) => ev.evidenceId === item.id)).toBe(true);
    // The importer linked its events to the acquired item instead of copying the file a second time.
    expect(e.s.custody.vault.list(e.caseNumber)).toHaveLength(1);
  });

  it('sends the one lookup attribute given, and refuses two', async () => {
    e.mock.on('cloudtrail', 'LookupEvents', { Events: [] });
    await ops.lookupEvents(e.d, input({ regions: [REGION], accessKeyId: 'AKIAEXAMPLEKEY000001' }));
    expect(e.mock.of('cloudtrail', 'LookupEvents')[0]!.LookupAttributes).toEqual([
      { AttributeKey: 'AccessKeyId', AttributeValue: 'AKIAEXAMPLEKEY000001' },
    ]);
    expect(
      LookupEventsInput.safeParse({
        caseNumber: e.caseNumber,
        window: { from: '2026-11-20', to: '2026-11-21' },
        principal: 'a',
        eventName: 'B',
      }).success,
    ).toBe(false);
  });

  it("covers the case's regions by default, and records an empty window as evidence of absence", async () => {
    e.mock.on('cloudtrail', 'LookupEvents', { Events: [] });
    const a = await ops.lookupEvents(e.d, input());
    expect(e.mock.calls.filter((c) => c.op === 'LookupEvents')).toHaveLength(2);
    expect(a.result.events).toBe(0);
    expect(a.evidenceIds).toHaveLength(1);
  });

  it('retries throttling, counting the attempts on the job', async () => {
    e.mock.on('cloudtrail', 'LookupEvents', { Events: [{ EventId: 'x', CloudTrailEvent: ctEvent(1) }] });
    e.mock.failNext('cloudtrail', 'LookupEvents', awsError('ThrottlingException', 'Rate exceeded'));
    e.mock.failNext('cloudtrail', 'LookupEvents', awsError('ThrottlingException', 'Rate exceeded'));
    const messages: string[] = [];
    const job = {
      signal: new AbortController().signal,
      progress: (_d: number, _t?: number | null, m?: string) => void messages.push(m ?? ''),
      throwIfCancelled: () => undefined,
    };
    const a = await ops.lookupEvents(e.d, input({ regions: [REGION] }), job);
    expect(a.result.events).toBe(1);
    expect(e.mock.of('cloudtrail', 'LookupEvents')).toHaveLength(3);
    expect(messages.filter((m) => /throttled LookupEvents in eu-west-1 \(ThrottlingException\); retry [12]$/.test(m))).toHaveLength(2);
  });

  it('names the IAM action when AWS refuses, and records nothing', async () => {
    e.mock.failNext('cloudtrail', 'LookupEvents', awsError('AccessDeniedException', 'not authorized'));
    await expect(ops.lookupEvents(e.d, input({ regions: [REGION] }))).rejects.toMatchObject({
      code: 'aws-access-denied',
      message: expect.stringContaining('cloudtrail:LookupEvents'),
    });
    expect(e.s.custody.vault.list(e.caseNumber)).toHaveLength(0);
    const [acq] = ops.listAcquisitions(e.d, e.caseNumber);
    expect(acq).toMatchObject({ state: 'failed', evidenceIds: [] });
    expect(fs.readdirSync(path.join(e.s.core.paths.dataDir, 'acquire-staging', e.caseNumber))).toEqual([]);
  });

  it('keeps going when one region refuses and says which', async () => {
    e.mock.on('cloudtrail', 'LookupEvents', { Events: [{ EventId: 'x', CloudTrailEvent: ctEvent(1) }] });
    e.mock.failNext(
      'cloudtrail',
      'LookupEvents',
      awsError('UnrecognizedClientException', 'The security token included in the request is invalid'),
      1,
    );
    const a = await ops.lookupEvents(e.d, input());
    expect(a.result.events).toBe(1);
    expect(a.result.errors).toEqual([expect.objectContaining({ region: 'us-east-1', code: 'aws-credentials-expired' })]);
  });

  it('refuses a window older than the 90 days of event history', async () => {
    await expect(
      ops.lookupEvents(e.d, LookupEventsInput.parse({ caseNumber: e.caseNumber, window: { from: '2026-05-01', to: '2026-05-02' } })),
    ).rejects.toMatchObject({
      code: 'lookup-window-too-old',
    });
    expect(e.mock.calls.filter((c) => c.op === 'LookupEvents')).toHaveLength(0);
  });

  it('records nothing when cancelled mid-way', async () => {
    let calls = 0;
    let jobId = '';
    e.mock.on('cloudtrail', 'LookupEvents', () => {
      if (++calls === 2) e.s.core.jobs.cancel(jobId);
      return { Events: [{ EventId: 'x', CloudTrailEvent: ctEvent(calls) }], NextToken: 'more' };
    });
    const started = e.s.core.jobs.start({ kind: 'k', label: 'l' }, (job) => ops.lookupEvents(e.d, input({ regions: [REGION] }), job));
    jobId = started.jobId;
    await expect(started.result).rejects.toMatchObject({ code: 'cancelled' });
    expect(calls).toBe(2);
    expect(ops.listAcquisitions(e.d, e.caseNumber)[0]!.state).toBe('cancelled');
    expect(e.s.custody.vault.list(e.caseNumber)).toHaveLength(0);
    expect(fs.readdirSync(path.join(e.s.core.paths.dataDir, 'acquire-staging', e.caseNumber))).toEqual([]);
  });
});
