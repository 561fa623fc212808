import type { AnalysisMetric, AnalysisMoment, AnalysisView } from '../../common/contract/analysis';

/** Everything the metrics are computed from, gathered from the case (see analysis-service.ts). */
export interface MetricInputs {
  openedAt: string;
  /** The first event from the evidence (not Lariat's own) that the investigator flagged. */
  firstFlagged: { time: string; id: number; source: string; action: string | null } | null;
  /** The first GuardDuty or Security Hub event in the timeline. */
  firstFinding: { time: string; id: number; source: string } | null;
  incident: { createdAt: string | null; resolvedAt: string | null } | null;
  /** The first investigator action on the case (see ACK_ACTIONS). */
  firstWork: { at: string; action: string } | null;
  /** When pages of the incident's engagements were read (Incident Manager). */
  pageReads: string[];
  containments: { at: string; what: string }[];
  /** Case status changes, from the activity log. */
  statusChanges: { at: string; to: string }[];
}

/** Activity-log actions that are an investigator working the case (not Lariat filling it in). */
export const ACK_ACTIONS = [
  'task.updated',
  'note.added',
  'note.edited',
  'timeline.flagged',
  'timeline.tagged',
  'evidence.imported',
  'evidence.acquired',
  'timeline.imported',
  'ioc.added',
  'asset.added',
  'response.action.planned',
  'runbook.planned',
  'incident.started',
  'case.updated',
];

/** Response action kinds that contain (by the names this and other features use). */
export const CONTAINMENT_KINDS = ['isolate', 'credentials', 'role-sessions', 's3', 'lambda'];
const CONTAINED_OR_LATER = ['contained', 'eradicated', 'recovered', 'closed'];
const RESOLVED_STATUSES = ['recovered', 'closed'];

function earliest(candidates: (AnalysisMoment | null)[], none: string): AnalysisMoment {
  const real = candidates.filter((c): c is AnalysisMoment & { at: string } => Boolean(c?.at));
  if (real.length === 0) return { at: null, basis: none };
  return real.reduce((a, b) => (b.at < a.at ? b : a));
}

export function computeMoments(i: MetricInputs): AnalysisView['moments'] {
  const impactStarted: AnalysisMoment = i.firstFlagged
    ? {
        at: i.firstFlagged.time,
        basis: `first flagged ${i.firstFlagged.source} event #${i.firstFlagged.id}${i.firstFlagged.action ? ` (${i.firstFlagged.action})` : ''}`,
      }
    : { at: null, basis: 'no event from the evidence is flagged' };
  const detected = earliest(
    [
      i.firstFinding && { at: i.firstFinding.time, basis: `first ${i.firstFinding.source} finding (event #${i.firstFinding.id})` },
      i.incident?.createdAt ? { at: i.incident.createdAt, basis: 'Incident Manager incident created' } : null,
      { at: i.openedAt, basis: 'case opened' },
    ],
    'not recorded',
  );
  const acknowledged = earliest(
    [
      i.firstWork && { at: i.firstWork.at, basis: `first investigator action (${i.firstWork.action})` },
      ...i.pageReads.map((at) => ({ at, basis: 'page read in Incident Manager' })),
    ],
    'no investigator action recorded yet',
  );
  const contained = earliest(
    [
      ...i.containments.map((c) => ({ at: c.at, basis: c.what })),
      ...i.statusChanges.filter((s) => CONTAINED_OR_LATER.includes(s.to)).map((s) => ({ at: s.at, basis: `case status set to ${s.to}` })),
    ],
    'not contained yet',
  );
  const resolved = earliest(
    [
      ...i.statusChanges.filter((s) => RESOLVED_STATUSES.includes(s.to)).map((s) => ({ at: s.at, basis: `case status set to ${s.to}` })),
      i.incident?.resolvedAt ? { at: i.incident.resolvedAt, basis: 'Incident Manager incident resolved' } : null,
    ],
    'not resolved yet',
  );
  return { impactStarted, detected, acknowledged, contained, resolved };
}

const seconds = (from: AnalysisMoment, to: AnalysisMoment): number | null =>
  from.at && to.at ? Math.round((Date.parse(to.at) - Date.parse(from.at)) / 1000) : null;

export function computeMetrics(m: AnalysisView['moments']): AnalysisMetric[] {
  return [
    {
      id: 'time-to-detect',
      title: 'Time to detect',
      definition:
        'From the first flagged event of the evidence to detection (first finding, incident created or case opened, whichever came first).',
      seconds: seconds(m.impactStarted, m.detected),
    },
    {
      id: 'time-to-acknowledge',
      title: 'Time to acknowledge',
      definition: 'From detection to the first investigator action on the case, or the first page read in Incident Manager.',
      seconds: seconds(m.detected, m.acknowledged),
    },
    {
      id: 'time-to-contain',
      title: 'Time to contain',
      definition:
        'From detection to the first containment: a succeeded containment action or runbook, or the case status reaching contained.',
      seconds: seconds(m.detected, m.contained),
    },
    {
      id: 'time-to-resolve',
      title: 'Time to resolve',
      definition: 'From detection to resolution: the case recovered or closed, or the incident resolved.',
      seconds: seconds(m.detected, m.resolved),
    },
  ];
}

export { formatDuration } from '../../common/duration';
