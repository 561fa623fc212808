import { AppError } from '../core/errors';
import type { JobContext } from '../jobs/job-service';
import type { AwsClients } from '../aws/clients';
import type { AccountScope, CoverageMap, RegionCoverage, TrailCoverage } from '../../common/contract/acquire';
import type { AcquireDeps } from './deps';
import { AccountAccess } from './accounts';

interface TrailOut {
  Name?: string;
  TrailARN?: string;
  HomeRegion?: string;
  IsMultiRegionTrail?: boolean;
  IsOrganizationTrail?: boolean;
  LogFileValidationEnabled?: boolean;
  S3BucketName?: string;
  S3KeyPrefix?: string;
}

/** What one trail records, asked once per trail in its home region. */
async function trailFacts(
  clients: AwsClients,
  t: TrailOut,
  errors: string[],
  signal?: AbortSignal,
): Promise<Pick<TrailCoverage, 'logging' | 'dataEvents'>> {
  const home = t.HomeRegion ?? '';
  let logging: boolean | null = null;
  let dataEvents: boolean | null = null;
  try {
    const s = await clients.call<{ IsLogging?: boolean }>(
      'cloudtrail',
      home,
      'GetTrailStatus',
      { Name: t.TrailARN },
      { signal, context: t.Name },
    );
    logging = s.IsLogging ?? null;
  } catch (err) {
    if (!(err instanceof AppError) || err.code === 'cancelled') throw err;
    errors.push(err.message);
  }
  try {
    const sel = await clients.call<{
      EventSelectors?: { DataResources?: unknown[] }[];
      AdvancedEventSelectors?: { FieldSelectors?: { Field?: string; Equals?: string[] }[] }[];
    }>('cloudtrail', home, 'GetEventSelectors', { TrailName: t.TrailARN }, { signal, context: t.Name });
    dataEvents =
      (sel.EventSelectors ?? []).some((e) => (e.DataResources ?? []).length > 0) ||
      (sel.AdvancedEventSelectors ?? []).some((a) =>
        (a.FieldSelectors ?? []).some((f) => f.Field === 'eventCategory' && (f.Equals ?? []).includes('Data')),
      );
  } catch (err) {
    if (!(err instanceof AppError) || err.code === 'cancelled') throw err;
    errors.push(err.message);
  }
  return { logging, dataEvents };
}

/** Runs one read-only lookup; a refusal is written down (with its IAM action) and the map goes on. */
async function attempt<T>(errors: string[], fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof AppError) || err.code === 'cancelled') throw err;
    errors.push(`${err.message}`);
    return null;
  }
}

async function regionCoverage(
  clients: AwsClients,
  account: string,
  region: string,
  trailCache: Map<string, Promise<Pick<TrailCoverage, 'logging' | 'dataEvents'>>>,
  signal?: AbortSignal,
): Promise<RegionCoverage> {
  const errors: string[] = [];
  const trailsOut = await attempt(errors, () =>
    clients.call<{ trailList?: TrailOut[] }>(
      'cloudtrail',
      region,
      'DescribeTrails',
      { includeShadowTrails: true },
      { signal, context: `${account} ${region}` },
    ),
  );
  const trails: TrailCoverage[] = [];
  for (const t of trailsOut?.trailList ?? []) {
    if (!t.TrailARN) continue;
    let facts = trailCache.get(t.TrailARN);
    if (!facts) {
      facts = trailFacts(clients, t, errors, signal);
      trailCache.set(t.TrailARN, facts);
    }
    trails.push({
      name: t.Name ?? t.TrailARN,
      arn: t.TrailARN,
      homeRegion: t.HomeRegion ?? null,
      multiRegion: t.IsMultiRegionTrail ?? false,
      organization: t.IsOrganizationTrail ?? false,
      validation: t.LogFileValidationEnabled ?? false,
      bucket: t.S3BucketName ?? null,
      prefix: t.S3KeyPrefix ?? null,
      ...(await facts),
    });
  }
  const flows = await attempt(errors, async () => {
    const all: { ResourceId?: string; FlowLogStatus?: string }[] = [];
    let NextToken: string | undefined;
    do {
      const out = await clients.call<{ FlowLogs?: { ResourceId?: string; FlowLogStatus?: string }[]; NextToken?: string }>(
        'ec2',
        region,
        'DescribeFlowLogs',
        NextToken ? { NextToken } : {},
        { signal, context: `${account} ${region}` },
      );
      all.push(...(out.FlowLogs ?? []));
      NextToken = out.NextToken;
    } while (NextToken);
    const resources = [...new Set(all.filter((f) => f.FlowLogStatus !== 'ERROR').map((f) => f.ResourceId ?? ''))].filter(Boolean).sort();
    return { vpcs: resources.filter((r) => r.startsWith('vpc-')).length, resources };
  });
  const guardDuty = await attempt(errors, async () => {
    const dets = await clients.call<{ DetectorIds?: string[] }>(
      'guardduty',
      region,
      'ListDetectors',
      {},
      { signal, context: `${account} ${region}` },
    );
    const detectorId = dets.DetectorIds?.[0] ?? null;
    if (!detectorId) return { enabled: false, detectorId: null, status: null };
    const det = await clients.call<{ Status?: string }>('guardduty', region, 'GetDetector', { DetectorId: detectorId }, { signal });
    return { enabled: det.Status === 'ENABLED', detectorId, status: det.Status ?? null };
  });
  const securityHub = await (async () => {
    try {
      await clients.call('securityhub', region, 'DescribeHub', {}, { signal, context: `${account} ${region}` });
      return { enabled: true };
    } catch (err) {
      if (!(err instanceof AppError) || err.code === 'cancelled') throw err;
      // Security Hub answers InvalidAccessException "not subscribed" when it is off in the account and region.
      if (/not subscribed|InvalidAccessException/i.test(err.message)) return { enabled: false };
      errors.push(err.message);
      return null;
    }
  })();
  const gaps: string[] = [];
  const logging = trails.filter((t) => t.logging !== false);
  if (trailsOut && logging.length === 0) gaps.push('no trail logs this region: management events older than 90 days are lost');
  if (logging.length && !logging.some((t) => t.validation))
    gaps.push('no logging trail has log file validation: its logs cannot be proven unchanged');
  if (logging.length && !logging.some((t) => t.dataEvents)) gaps.push('no data events (S3 object, Lambda invoke) are recorded');
  if (flows && flows.resources.length === 0) gaps.push('no VPC flow logs');
  if (guardDuty && !guardDuty.enabled) gaps.push('GuardDuty is off');
  if (securityHub && !securityHub.enabled) gaps.push('Security Hub is off');
  return { account, region, trails, flowLogs: flows, guardDuty, securityHub, gaps, errors };
}

/**
 * The logging coverage of each account and region: trails that record it
 * (multi-region, organization, logging, validated, data events), flow logs,
 * GuardDuty and Security Hub, and the blind spots in words. Every call is
 * read-only; a refused call is listed under `errors` naming its IAM action.
 * With a case, the map is also saved to it as evidence.
 */
export async function loggingCoverage(
  d: AcquireDeps,
  input: { caseNumber?: string; regions?: string[]; scope?: AccountScope },
  job?: JobContext,
): Promise<CoverageMap> {
  const caseRecord = input.caseNumber ? d.core.cases.get(input.caseNumber) : null;
  if (caseRecord) d.core.cases.requireWritable(caseRecord.number);
  const regions = input.regions ?? caseRecord?.regions ?? [];
  if (regions.length === 0)
    throw new AppError(
      'no-regions',
      `Case ${input.caseNumber} has no regions in scope.`,
      'Give regions with --region, or add them to the case.',
    );
  const scope = input.scope ?? (caseRecord?.accounts.length ? { accounts: caseRecord.accounts } : undefined);
  const access = new AccountAccess({ session: d.session, sleep: d.sleep });
  try {
    const targets = await access.resolve(scope);
    const out: RegionCoverage[] = [];
    const total = targets.length * regions.length;
    for (const t of targets) {
      const cache = new Map<string, Promise<Pick<TrailCoverage, 'logging' | 'dataEvents'>>>();
      for (const region of regions) {
        job?.throwIfCancelled();
        if (!t.clients)
          out.push({
            account: t.account,
            region,
            trails: [],
            flowLogs: null,
            guardDuty: null,
            securityHub: null,
            gaps: [],
            errors: [t.error ?? 'unreachable'],
          });
        else out.push(await regionCoverage(t.clients, t.account, region, cache, job?.signal));
        job?.progress(out.length, total, `${t.account} ${region}`);
      }
    }
    const map: CoverageMap = {
      generatedAt: d.core.clock.now().toISOString(),
      accounts: targets.map(({ clients: _c, ...a }) => a),
      regions: out,
      evidenceId: null,
    };
    if (caseRecord) {
      const c = d.core.cases.require(caseRecord.number);
      const id = d.store.insert({
        caseId: c.id,
        kind: 'coverage',
        label: `Logging coverage of ${targets.length} account(s) in ${regions.join(', ')}`,
        request: input,
        actor: d.core.actor().name,
      });
      try {
        const ev = await d.evidence.importBytes(
          caseRecord.number,
          `logging-coverage-acquisition-${id}.json`,
          Buffer.from(`${JSON.stringify(map, null, 2)}\n`),
          {
            kind: 'file',
            description: `Logging coverage map: ${targets.length} account(s), ${regions.length} region(s) (trails, flow logs, GuardDuty, Security Hub)`,
            source: { resource: `cloudtrail:DescribeTrails, ec2:DescribeFlowLogs, guardduty:ListDetectors, securityhub:DescribeHub` },
            acquisition: {
              tool: `Lariat ${d.core.version}`,
              method: 'read-only AWS calls per account and region, answers summarised as JSON',
            },
          },
        );
        map.evidenceId = ev.id;
        d.store.mergeResult(id, { evidenceIds: [ev.id] });
        d.store.finish(id, null);
      } catch (err) {
        d.store.finish(id, err);
        throw err;
      }
    }
    return map;
  } finally {
    access.destroy();
  }
}
