import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../core/errors';
import type { JobContext } from '../../jobs/job-service';
import type { AcquisitionRecord, LookupEventsInput } from '../../../common/contract/acquire';
import { stagingDir, type AcquireDeps } from '../deps';
import { AccountAccess } from '../accounts';
import { importEvidence, importSummary } from '../timeline-import';

/** How far back LookupEvents reaches (CloudTrail event history keeps 90 days of management events). */
const HISTORY_MS = 90 * 24 * 3600_000;
const FORMAT = 'lariat-lookup-events/1';

interface LookupOutput {
  Events?: {
    EventId?: string;
    EventName?: string;
    ReadOnly?: string;
    AccessKeyId?: string;
    EventTime?: Date;
    EventSource?: string;
    Username?: string;
    Resources?: { ResourceType?: string; ResourceName?: string }[];
    CloudTrailEvent?: string;
  }[];
  NextToken?: string;
  $metadata?: { requestId?: string; httpStatusCode?: number };
}

/** The one lookup attribute of the input, as LookupEvents takes it. */
function lookupAttributes(i: LookupEventsInput): { AttributeKey: string; AttributeValue: string }[] {
  const pairs: [string, string | undefined][] = [
    ['Username', i.principal],
    ['AccessKeyId', i.accessKeyId],
    ['EventName', i.eventName],
    ['ResourceName', i.resourceName],
    ['EventSource', i.eventSource],
  ];
  return pairs.filter(([, v]) => v !== undefined).map(([k, v]) => ({ AttributeKey: k, AttributeValue: v! }));
}

/**
 * Acquires CloudTrail event history (cloudtrail:LookupEvents, 50 events a
 * page, throttled retries counted on the job) for a window in each region
 * and account, into ONE evidence item: a CloudTrail delivery document whose
 * `Records` are the CloudTrailEvent strings exactly as received (so the
 * timeline imports it as it stands), and whose `lariatLookupEvents` holds
 * every request as sent and every page's other fields, so the JSON received
 * can be rebuilt from the file. Pages stream to disk as they arrive.
 * Nothing is recorded when the acquisition fails or is cancelled.
 */
export async function acquireLookupEvents(d: AcquireDeps, input: LookupEventsInput, job?: JobContext): Promise<AcquisitionRecord> {
  const caseNumber = input.caseNumber;
  const c = d.core.cases.requireWritable(caseNumber);
  const now = d.core.clock.now();
  if (Date.parse(input.window.from) < now.getTime() - HISTORY_MS)
    throw new AppError(
      'lookup-window-too-old',
      `CloudTrail event history reaches back 90 days (to ${new Date(now.getTime() - HISTORY_MS).toISOString()}); the window starts ${input.window.from}.`,
      'Start the window within the last 90 days, or acquire the trail bucket for older events (lariat acquire bucket --trail NAME).',
    );
  const caseRecord = d.core.cases.get(caseNumber);
  const regions = input.regions ?? (caseRecord.regions.length ? caseRecord.regions : [d.session.whoAmI().region]);
  const attrs = lookupAttributes(input);
  const label = `CloudTrail event history ${input.window.from} to ${input.window.to} in ${regions.join(', ')}${attrs[0] ? ` where ${attrs[0].AttributeKey}=${attrs[0].AttributeValue}` : ''}`;
  const id = d.store.insert({ caseId: c.id, kind: 'lookup-events', label, request: input, actor: d.core.actor().name });
  d.store.claim(id);
  const dir = stagingDir(d, caseNumber);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const base = path.join(dir, `lookup-events-${caseNumber}-acquisition-${id}`);
  const files = { records: `${base}.records.part`, pages: `${base}.pages.part`, out: `${base}.json` };
  const access = new AccountAccess({ session: d.session, sleep: d.sleep });
  try {
    const targets = await access.resolve(input.scope);
    const records = fs.openSync(files.records, 'w', 0o600);
    const pages = fs.openSync(files.pages, 'w', 0o600);
    let events = 0;
    let pageCount = 0;
    const errors: { account: string; region: string; error: AppError }[] = [];
    try {
      for (const t of targets) {
        if (!t.clients) {
          errors.push({ account: t.account, region: '*', error: new AppError('aws-account-unreachable', t.error ?? 'unreachable', '') });
          continue;
        }
        for (const region of regions) {
          let NextToken: string | undefined;
          try {
            do {
              job?.throwIfCancelled();
              const request = {
                StartTime: input.window.from,
                EndTime: input.window.to,
                MaxResults: 50,
                ...(attrs.length ? { LookupAttributes: attrs } : {}),
                ...(NextToken ? { NextToken } : {}),
              };
              const out = await t.clients.call<LookupOutput>(
                'cloudtrail',
                region,
                'LookupEvents',
                { ...request, StartTime: new Date(request.StartTime), EndTime: new Date(request.EndTime) },
                {
                  signal: job?.signal,
                  context: `${t.account} ${region}`,
                  onRetry: (attempt, code) =>
                    job?.progress(events, null, `AWS throttled LookupEvents in ${region} (${code}); retry ${attempt}`),
                },
              );
              const meta = [];
              for (const e of out.Events ?? []) {
                const raw = e.CloudTrailEvent ?? '';
                let ok = false;
                try {
                  const v = JSON.parse(raw) as unknown;
                  ok = typeof v === 'object' && v !== null && !Array.isArray(v);
                } catch {
                  ok = false;
                }
                const { CloudTrailEvent: _raw, ...rest } = e;
                if (ok) {
                  fs.writeSync(records, `${events > 0 ? ',' : ''}${raw}`);
                  meta.push({ record: events, ...rest, EventTime: rest.EventTime ? new Date(rest.EventTime).toISOString() : null });
                  events++;
                } else
                  meta.push({ record: null, ...rest, CloudTrailEvent: raw, note: 'CloudTrailEvent is not a JSON object; kept here only' });
              }
              const page = {
                account: t.account,
                region,
                request,
                requestId: out.$metadata?.requestId ?? null,
                NextToken: out.NextToken ?? null,
                Events: meta,
              };
              fs.writeSync(pages, `${pageCount > 0 ? ',' : ''}${JSON.stringify(page)}`);
              pageCount++;
              NextToken = out.NextToken;
              job?.progress(events, null, `${events} events, ${pageCount} pages (${t.account} ${region})`);
            } while (NextToken);
          } catch (err) {
            if (!(err instanceof AppError) || err.code === 'cancelled') throw err;
            errors.push({ account: t.account, region, error: err });
          }
        }
      }
    } finally {
      fs.closeSync(records);
      fs.closeSync(pages);
    }
    const places = targets.length * regions.length;
    if (errors.length && errors.length >= places) throw errors[0]!.error;
    const header = {
      format: FORMAT,
      acquiredAt: now.toISOString(),
      tool: `Lariat ${d.core.version}`,
      window: input.window,
      lookupAttributes: attrs,
      errors: errors.map((e) => ({ account: e.account, region: e.region, code: e.error.code, message: e.error.message })),
    };
    await assemble(files, header);
    const ev = await d.evidence.importFile(
      caseNumber,
      files.out,
      {
        kind: 'log-export',
        description: `${label}: ${events} events`,
        source: {
          path: undefined,
          account: targets.length === 1 ? targets[0]!.account : undefined,
          region: regions.length === 1 ? regions[0] : undefined,
          resource: `cloudtrail:LookupEvents ${targets.map((t) => t.account).join(',')} ${regions.join(',')}`,
        },
        acquisition: {
          tool: `Lariat ${d.core.version}`,
          method: `cloudtrail:LookupEvents StartTime=${input.window.from} EndTime=${input.window.to}${attrs[0] ? ` ${attrs[0].AttributeKey}=${attrs[0].AttributeValue}` : ''}; ${pageCount} pages; CloudTrailEvent strings kept byte for byte as Records, every request and page in lariatLookupEvents`,
          host: (await access.base()).clients.endpoint ?? 'cloudtrail.amazonaws.com',
        },
        action: 'acquired',
      },
      job && { signal: job.signal, throwIfCancelled: () => job.throwIfCancelled(), progress: () => undefined },
    );
    d.store.mergeResult(id, { evidenceIds: [ev.id], events, pages: pageCount, errors: header.errors });
    const report = await importEvidence(d, caseNumber, [ev.id], job);
    d.store.mergeResult(id, { timeline: importSummary(report) });
    d.store.finish(id, null);
    return d.store.get(id);
  } catch (err) {
    d.store.finish(id, err);
    throw err;
  } finally {
    access.destroy();
    for (const f of Object.values(files)) fs.rmSync(f, { force: true });
  }
}

/** `{"Records":[...],"lariatLookupEvents":{...,"pages":[...]}}` from the two part files, streamed. */
async function assemble(files: { records: string; pages: string; out: string }, header: Record<string, unknown>): Promise<void> {
  const out = fs.createWriteStream(files.out, { mode: 0o600 });
  const write = (s: string) => new Promise<void>((resolve, reject) => out.write(s, (e) => (e ? reject(e) : resolve())));
  await write('{"Records":[');
  await pipeline(fs.createReadStream(files.records), out, { end: false });
  await write(`],"lariatLookupEvents":${JSON.stringify(header).slice(0, -1)},"pages":[`);
  await pipeline(fs.createReadStream(files.pages), out, { end: false });
  await write(']}}\n');
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}
