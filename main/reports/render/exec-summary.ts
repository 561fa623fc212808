import { findingKind } from '../../../common/finding-kind';
import type { HighlightRule, TimelineEvent } from '../../../common/contract/timeline';
import { type ReportData, noteSection } from '../report-data';
import { formatBytes, plural, span, utcShort } from './format';

/** Rows and lines the first page holds at most, so it stays one page. */
const KEY_ROWS = 6;
const OPEN_LINES = 7;

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'informational'];

const list = (items: string[], max: number, short = false): string => {
  const shown = items.slice(0, max).join(', ');
  if (items.length <= max) return shown;
  return short ? `${shown} +${items.length - max}` : `${shown} (+${items.length - max} more)`;
};

/** A span of days ("2019-01-01 → 2022-11-10"), or one day with its times, for the narrow key-timeline column. */
function days(first: string | null, last: string | null): string {
  const a = utcShort(first);
  const b = utcShort(last);
  if (a.slice(0, 10) !== b.slice(0, 10)) return `${a.slice(0, 10)} → ${b.slice(0, 10)}`;
  return a === b ? a : `${a} → ${b.slice(11)}`;
}

/** What the notable events say, one line per kind of event (a highlight rule, or a flagged action), in time order. */
function keyTimeline(events: TimelineEvent[], rules: HighlightRule[]) {
  const labels = new Map(rules.map((r) => [r.id, r.label]));
  const groups = new Map<string, { label: string; events: TimelineEvent[] }>();
  for (const e of events) {
    const key = e.highlight ? `rule:${e.highlight}` : `flag:${e.action ?? e.source}`;
    const label = e.highlight ? (labels.get(e.highlight) ?? e.highlight) : `Flagged: ${e.action ?? e.source}`;
    const g = groups.get(key) ?? { label, events: [] };
    g.events.push(e);
    groups.set(key, g);
  }
  const rows = [...groups.values()]
    .map((g) => {
      const timed = g.events.filter((e) => e.time);
      const actors = [...new Set(g.events.map((e) => e.actor).filter((a): a is string => !!a))].map((a) => a.split('/').pop() ?? a);
      const ips = [...new Set(g.events.map((e) => e.sourceIp).filter((a): a is string => !!a))];
      const actions = [...new Set(g.events.map((e) => e.action).filter((a): a is string => !!a))];
      return {
        first: timed[0]?.time ?? null,
        when: timed.length ? days(timed[0]!.time, timed[timed.length - 1]!.time) : 'no time recorded',
        what: g.label,
        count: g.events.length,
        detail: [list(actions, 2, true), actors.length ? `by ${list(actors, 1, true)}` : '', ips.length ? `from ${list(ips, 1, true)}` : '']
          .filter(Boolean)
          .join(' · '),
      };
    })
    .sort((a, b) => (a.first ?? '9').localeCompare(b.first ?? '9'));
  return { rows: rows.slice(0, KEY_ROWS), more: rows.length > KEY_ROWS ? `+${rows.length - KEY_ROWS} more kinds of notable events` : '' };
}

/**
 * The executive first page: what happened, its impact, what is contained, the key moments and what is
 * still open, each in a few lines a reader takes in at once, computed from the case record (nothing here
 * is typed by hand except the summary).
 */
export function executiveSummary(d: ReportData) {
  const c = d.caseRecord;
  const findings = d.findings ?? [];
  const threats = findings.filter((f) => findingKind(f) === 'threat');
  const compliance = findings.length - threats.length;
  const bySeverity = SEVERITY_ORDER.map((s) => [s, threats.filter((f) => f.severityLabel === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const touched = [
    ...new Set(threats.flatMap((f) => f.resources.map((r) => `${r.id}${r.type === 'ec2-instance' ? ' (EC2 instance)' : ''}`))),
  ];
  const instances = d.assets.filter((a) => a.kind === 'ec2-instance');
  const isolation = (details: Record<string, unknown>) => (typeof details.isolation === 'string' ? details.isolation : 'not isolated');
  const evidence = d.evidence ?? [];
  const verification = d.custody?.verification ?? null;
  const notable = d.notable?.events ?? [];

  const impact = [
    `Severity ${c.severity}, status ${c.status}${c.accounts.length ? `; AWS account ${c.accounts.join(', ')}` : ''}${c.regions.length ? `; regions ${c.regions.join(', ')}` : ''}.`,
    findings.length
      ? `${plural(threats.length, 'threat finding')}${bySeverity.length ? ` (${bySeverity.join(', ')})` : ''} and ${plural(compliance, 'compliance finding')}.`
      : 'No GuardDuty or Security Hub finding is attached to this case.',
    touched.length ? `Resources named by threat findings: ${list(touched, 4)}.` : '',
    d.notable
      ? `${plural(d.notable.total ?? notable.length, 'notable timeline event')} (matched by a highlight rule or flagged)${notable.length ? `, ${span(notable.find((e) => e.time)?.time ?? null, [...notable].reverse().find((e) => e.time)?.time ?? null)}` : ''}.`
      : '',
    d.evidence
      ? `${plural(evidence.length, 'evidence item')} (${formatBytes(evidence.reduce((n, e) => n + (e.size ?? 0), 0)).replace(/ \(.*\)$/, '')})${verification ? `; custody ledger ${verification.intact ? 'verified intact' : 'NOT intact'} at generation (${plural(verification.entries, 'entry', 'entries')})` : ''}.`
      : '',
  ].filter(Boolean);

  const actions = d.response ?? [];
  const containment = [
    ...instances.map((a) => ({
      text: `${a.identifier}${a.label ? ` (${a.label})` : ''}: ${isolation(a.details)}`,
      ok: isolation(a.details) === 'isolated',
    })),
    ...(instances.length === 0 ? [{ text: 'No EC2 instance is recorded as an asset of this case.', ok: false }] : []),
    ...(actions.length
      ? [
          {
            text: `Response actions: ${Object.entries(
              actions.reduce<Record<string, number>>(
                (m, a) => ((m[`${a.kind} ${a.status}`] = (m[`${a.kind} ${a.status}`] ?? 0) + 1), m),
                {},
              ),
            )
              .map(([k, n]) => `${n} ${k}`)
              .join(', ')}.`,
            ok: actions.every((a) => a.status === 'succeeded' || a.status === 'discarded'),
          },
        ]
      : [{ text: 'No response action was taken through Lariat.', ok: false }]),
  ];

  const openTasks = d.tasks.filter((t) => t.status !== 'done');
  const open = [
    ...instances
      .filter((a) => isolation(a.details) !== 'isolated')
      .map((a) => `Decide on containment of ${a.identifier}${a.label ? ` (${a.label})` : ''}: it is ${isolation(a.details)}.`),
    ...actions
      .filter((a) => a.status === 'failed' || a.status === 'running' || a.status === 'planned')
      .map(
        (a) =>
          `${a.status === 'planned' ? 'Run or discard' : 'Resume or discard'} response action ${a.id} (${a.kind} ${a.target}): ${a.status}.`,
      ),
    ...(verification && !verification.intact ? [`Investigate the custody verification failure: ${verification.summary}`] : []),
    ...openTasks.map(
      (t) =>
        `${t.title}${t.assignee ? ` (${t.assignee}` : ''}${t.dueDate ? `${t.assignee ? ', ' : ' ('}due ${t.dueDate}` : ''}${t.assignee || t.dueDate ? ')' : ''} [${t.status}]`,
    ),
    ...(d.notes.some((n) => noteSection(n) === 'scope')
      ? []
      : ['Record the authorisation and scope (a note titled “Scope” or “Authorisation”).']),
  ];

  return {
    impact,
    containment,
    key: keyTimeline(notable, d.highlightRules),
    keyMissing:
      d.notable === null
        ? 'The timeline is not available to this report.'
        : notable.length === 0
          ? 'No timeline event matched a highlight rule or was flagged.'
          : '',
    open: open.slice(0, OPEN_LINES),
    openMore: open.length > OPEN_LINES ? `+${open.length - OPEN_LINES} more (see Tasks and the sections below)` : '',
    openNone: open.length === 0 ? 'Nothing is open: no open task, every instance isolated, every action complete.' : '',
  };
}
