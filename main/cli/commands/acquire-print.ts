import type {
  AcquisitionRecord,
  AcquisitionSummary,
  AthenaQueryPlan,
  AthenaSetupPlan,
  BucketPlan,
  CloudTrailValidation,
  CoverageMap,
  InboxItem,
} from '../../../common/contract/acquire';
import { scaleBytes } from '../../../common/bytes';
import { table } from '../context';

/** Plain-text views of the acquisition results for `lariat acquire|cloudtrail|findings|aws|athena`. */

export function bytes(n: number): string {
  const { value, unit } = scaleBytes(n);
  return unit === 'B' ? `${n} B` : `${value.toFixed(1)} ${unit}`;
}

export const usd = (v: number): string => `$${v < 0.01 && v > 0 ? v.toFixed(4) : v.toFixed(2)}`;

export function formatBucketPlan(p: BucketPlan): string {
  const lines = [
    `Plan #${p.acquisition.id}: ${p.acquisition.label}`,
    `  bucket     s3://${p.bucket}/${p.prefix ? `${p.prefix}/` : ''}AWSLogs/`,
    `  accounts   ${p.accounts.join(', ')}`,
    `  regions    ${p.regions.join(', ')}`,
    `  listed     ${p.prefixes} day folders (s3:ListBucket)`,
    `  logs       ${p.logs.count} objects, ${bytes(p.logs.bytes)}`,
  ];
  if (p.logKind === 'cloudtrail') lines.push(`  digests    ${p.digests.count} objects, ${bytes(p.digests.bytes)}`);
  if (p.keyRegions.length) lines.push(`  keys       CloudTrail public keys of ${p.keyRegions.join(', ')} (cloudtrail:ListPublicKeys)`);
  lines.push(`  outside    ${p.outsideWindow} objects in those folders but outside the window (not downloaded)`);
  const warnings = (p.acquisition.result.warnings as string[] | undefined) ?? [];
  for (const w of warnings) lines.push(`  warning    ${w}`);
  return lines.join('\n');
}

export function formatAcquisition(a: AcquisitionRecord): string {
  const lines = [
    `Acquisition #${a.id} (${a.kind}) ${a.interrupted ? 'interrupted' : a.state}: ${a.label}`,
    `  objects   ${a.objectsDone}/${a.objectsTotal} (${bytes(a.bytesDone)} of ${bytes(a.bytesTotal)})`,
    `  evidence  ${a.evidenceIds.length ? a.evidenceIds.join(', ') : '-'}`,
  ];
  const tl = a.result.timeline as { imported?: number; rejected?: number; files?: number } | undefined;
  if (tl) lines.push(`  timeline  ${tl.imported ?? 0} events imported from ${tl.files ?? 0} file(s), ${tl.rejected ?? 0} rejected`);
  if (typeof a.result.bytesScanned === 'number')
    lines.push(
      `  athena    query ${String(a.result.queryExecutionId)}: ${bytes(a.result.bytesScanned)} scanned, ${usd(Number(a.result.costUsd ?? 0))} (estimated ${bytes(Number(a.result.estimatedBytes ?? 0))}, ${usd(Number(a.result.estimatedCostUsd ?? 0))})`,
    );
  for (const o of a.objects) lines.push(`  ${o.kind.padEnd(13)} ${o.state.padEnd(14)} ${String(o.count).padStart(6)}  ${bytes(o.bytes)}`);
  if (a.error) lines.push(`error: ${a.error.message}\nhint: ${a.error.hint}`);
  return lines.join('\n');
}

export function formatAcquisitions(list: AcquisitionSummary[]): string {
  return table([
    ['#', 'KIND', 'STATE', 'OBJECTS', 'BYTES', 'EVIDENCE', 'LABEL'],
    ...list.map((a) => [
      String(a.id),
      a.kind,
      a.interrupted ? 'interrupted' : a.state,
      `${a.objectsDone}/${a.objectsTotal}`,
      bytes(a.bytesTotal),
      String(a.evidenceIds.length),
      a.label,
    ]),
  ]);
}

export function formatValidation(v: CloudTrailValidation): string {
  const lines = [
    `${v.caseNumber}: ${v.verdict.toUpperCase()} (validated offline ${v.validatedAt})`,
    `  digests  ${v.digests.valid} valid, ${v.digests.invalid} invalid of ${v.digests.total}`,
    `  logs     ${v.logs.authentic} proven authentic, ${v.logs.changed} changed, ${v.logs.deleted} deleted, ${v.logs.unverified} not proven, ${v.logs.notAcquired} listed by digests but not acquired`,
    `  keys     ${v.keys.length ? v.keys.map((k) => `${k.region} ${k.fingerprint}`).join('; ') : 'none acquired'}`,
  ];
  for (const p of v.problems) lines.push(`${p.severity === 'tampering' ? 'TAMPERED' : 'GAP     '} ${p.kind}: ${p.message}`);
  return lines.join('\n');
}

export function formatInbox(items: InboxItem[]): string {
  if (!items.length) return 'The inbox is empty. Pull findings with: lariat findings pull --case <case> (or --region R)';
  return table([
    ['#', 'SEVERITY', 'STATE', 'SOURCE', 'ACCOUNT', 'REGION', 'TYPE', 'TITLE'],
    ...items.map((i) => [
      String(i.id),
      i.severityLabel,
      `${i.state}${i.updatedSinceTriage ? ' (updated)' : ''}`,
      i.source,
      i.account,
      i.region,
      i.type.length > 50 ? `${i.type.slice(0, 49)}…` : i.type,
      i.title.length > 70 ? `${i.title.slice(0, 69)}…` : i.title,
    ]),
  ]);
}

export function formatCoverage(m: CoverageMap): string {
  const lines: string[] = [];
  for (const a of m.accounts)
    lines.push(`account ${a.account}${a.name ? ` (${a.name})` : ''}: ${a.error ? `NOT REACHED: ${a.error}` : `via ${a.via}`}`);
  lines.push(
    table([
      ['ACCOUNT', 'REGION', 'TRAILS (logging/validated/data)', 'FLOW LOGS', 'GUARDDUTY', 'SECURITY HUB'],
      ...m.regions.map((r) => [
        r.account,
        r.region,
        r.trails.length
          ? r.trails
              .map(
                (t) =>
                  `${t.name}${t.multiRegion ? '*' : ''} ${t.logging ? 'on' : t.logging === false ? 'OFF' : '?'}/${t.validation ? 'yes' : 'NO'}/${t.dataEvents ? 'yes' : t.dataEvents === false ? 'no' : '?'}`,
              )
              .join(', ')
          : 'NONE',
        r.flowLogs ? `${r.flowLogs.resources.length} resource(s)` : '?',
        r.guardDuty ? (r.guardDuty.enabled ? 'on' : 'OFF') : '?',
        r.securityHub ? (r.securityHub.enabled ? 'on' : 'OFF') : '?',
      ]),
    ]),
  );
  for (const r of m.regions) {
    for (const g of r.gaps) lines.push(`gap    ${r.account} ${r.region}: ${g}`);
    for (const e of r.errors) lines.push(`error  ${r.account} ${r.region}: ${e}`);
  }
  lines.push('* multi-region trail');
  if (m.evidenceId) lines.push(`Saved to the case as evidence ${m.evidenceId}.`);
  return lines.join('\n');
}

export function formatSetupPlan(p: AthenaSetupPlan): string {
  return [
    `Plan #${p.acquisition.id}: ${p.acquisition.label}`,
    `  region ${p.region}, workgroup ${p.workgroup}, results to ${p.outputLocation ?? '(workgroup setting)'}`,
    p.exists
      ? '  The table already exists with this location: running the plan changes nothing.'
      : '  Statements (athena:StartQueryExecution):',
    ...p.statements.map((s, i) => `--- ${i + 1}\n${s}`),
  ].join('\n');
}

export function formatQueryPlan(p: AthenaQueryPlan): string {
  return [
    `Plan #${p.acquisition.id}: ${p.acquisition.label}`,
    `  workgroup ${p.workgroup}; reads at most ${bytes(p.estimatedBytes)} (S3 objects under its partitions): about ${usd(p.estimatedCostUsd)} at ${usd(p.pricePerTbUsd)}/TB`,
    p.sql,
  ].join('\n');
}
