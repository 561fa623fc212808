import { REPORT_SECTIONS, type ReportSectionId } from '../../../common/contract/reports';
import { SOURCE_LABEL, findingKind, threatsFirst } from '../../../common/finding-kind';
import { type ReportData, noteSection } from '../report-data';
import { markdownToSafeHtml } from './markdown';
import { analysisSection } from './analysis-section';
import { attackSection } from './attack-section';
import { acquisitionSection } from './acquisition-section';
import { breakable, plural, span, utc, utcShort } from './format';
import { activityGroups, timelineGroups } from './group';
import { custodyView, evidenceView } from './inventory';
import { executiveSummary } from './exec-summary';
import { custodyFront } from './custody-front';

export { utc, formatBytes } from './format';

const TLP: Record<string, { label: string; meaning: string }> = {
  clear: { label: 'TLP:CLEAR', meaning: 'Disclosure is not limited.' },
  green: { label: 'TLP:GREEN', meaning: 'Limited disclosure: the recipient may share within their community, not publicly.' },
  amber: {
    label: 'TLP:AMBER',
    meaning: 'Limited disclosure: recipients may share only within their organisation and its clients, on a need-to-know basis.',
  },
  'amber+strict': {
    label: 'TLP:AMBER+STRICT',
    meaning: 'Limited disclosure: recipients may share only within their own organisation, on a need-to-know basis.',
  },
  red: { label: 'TLP:RED', meaning: 'For the eyes and ears of the individual recipients only; no further disclosure.' },
};

const NOT_RECORDED = 'Not recorded in this case.';

/**
 * Turns gathered case data into the plain view a template renders: every
 * value is a string, number, list or SafeHtml (sanitized Markdown), numbered
 * in report order, with "not recorded" where a feature holds nothing.
 */
export function buildView(d: ReportData) {
  const include = new Set<ReportSectionId>(['cover', ...d.sections]);
  let n = 0;
  const toc: { num: number; title: string }[] = [];
  const head = (id: ReportSectionId) => {
    if (!include.has(id) || id === 'cover') return null;
    const title = REPORT_SECTIONS.find((s) => s.id === id)!.title;
    n += 1;
    toc.push({ num: n, title });
    return { num: n, title };
  };
  const notes = d.notes.map((note) => ({
    title: note.title,
    author: note.author,
    at: utc(note.updatedAt),
    body: markdownToSafeHtml(note.body),
    section: noteSection(note),
  }));
  const notesFor = (id: ReportSectionId) => notes.filter((x) => x.section === id);
  const c = d.caseRecord;
  const tlp = TLP[c.tlp] ?? TLP.amber!;
  const postIncident = notesFor('postIncident');

  const rules = new Map(d.highlightRules.map((r) => [r.id, r]));
  // Numbered in report order: the executive summary first (it shares the first page with the cover).
  const summary = head('summary') && {
    ...head_(toc),
    body: c.summary.trim() ? markdownToSafeHtml(c.summary) : null,
    ...executiveSummary(d),
  };
  const s = {
    summary,
    details: head('details') && {
      ...head_(toc),
      examiners: (d.examiners ?? []).map((e) => ({ ...e, fingerprint: e.fingerprint })),
      noExaminers:
        d.examiners === null ? NOT_RECORDED : d.examiners.length === 0 ? 'No investigator identity has signed anything in this case.' : '',
    },
    scope: head('scope') && {
      ...head_(toc),
      accounts: c.accounts.join(', ') || 'none recorded',
      regions: c.regions.join(', ') || 'none recorded',
      notes: notesFor('scope'),
    },
    evidence: head('evidence') && {
      ...head_(toc),
      notRecorded: d.evidence === null ? NOT_RECORDED : d.evidence.length === 0 ? 'No evidence items are recorded in this case.' : '',
      ...evidenceView(d.evidence ?? []),
      aws: acquisitionSection(d.acquisitions, d.cloudtrail, d.cloudtrailPending),
    },
    custody: head('custody') && {
      ...head_(toc),
      notRecorded:
        d.custody === null ? NOT_RECORDED : d.custody.entries.length === 0 ? 'The custody ledger of this case has no entries.' : '',
      pending: d.custody !== null && d.custody.verification === null,
      verification: d.custody?.verification && {
        intact: d.custody.verification.intact,
        verdict: d.custody.verification.intact ? 'INTACT' : 'NOT INTACT',
        summary: d.custody.verification.summary,
        at: utc(d.custody.verification.verifiedAt),
        problems: d.custody.verification.problems.map((p) => p.message),
      },
      ...custodyView(d.custody?.entries ?? []),
      // The signed checkpoint this report carries: kept by its reader, it later proves the ledger still holds these entries.
      checkpoint: d.custody?.checkpoint && {
        seq: d.custody.checkpoint.seq,
        signer: `${d.custody.checkpoint.signer.name} (key ${d.custody.checkpoint.signer.fingerprint})`,
        at: utc(d.custody.checkpoint.at),
        text: d.custody.checkpoint.text.trimEnd(),
      },
    },
    tools: head('tools') && {
      ...head_(toc),
      rows: [
        { name: 'Lariat', version: d.lariatVersion, use: 'Case management, evidence vault, custody ledger, report generation' },
        { name: 'Node.js', version: process.versions.node, use: 'Runtime; SHA-256 and Ed25519 (OpenSSL ' + process.versions.openssl + ')' },
        ...d.tools,
      ],
    },
    timeline: head('timeline') && {
      ...head_(toc),
      notRecorded:
        d.timeline === null
          ? NOT_RECORDED
          : d.timeline.events.length === 0
            ? d.timeline.scope === 'all'
              ? 'The timeline of this case is empty.'
              : d.timeline.scope === 'flagged'
                ? 'No timeline events were flagged by the investigator.'
                : 'No timeline event matched a highlight rule or was flagged by the investigator.'
            : '',
      scope:
        d.timeline?.scope === 'all'
          ? 'all events'
          : d.timeline?.scope === 'flagged'
            ? 'events flagged by the investigator'
            : 'notable events: those a highlight rule matched and those the investigator flagged',
      truncated:
        d.timeline && d.timeline.total !== null && d.timeline.total > d.timeline.events.length
          ? `Showing the first ${d.timeline.events.length.toLocaleString('en-US')} of ${d.timeline.total.toLocaleString('en-US')} events (limit ${d.timeline.limit.toLocaleString('en-US')}).`
          : '',
      grouped: 'Consecutive identical events (same action, actor, origin and result) are one line with their count and time span.',
      events: timelineGroups(d.timeline?.events ?? [], rules),
    },
    attack: head('attack') && {
      ...head_(toc),
      notRecorded:
        d.detections === null
          ? NOT_RECORDED
          : d.detections.tactics.length === 0 && d.detections.byTactic.length === 0 && d.detections.correlations.length === 0
            ? 'No detection rule matched an event of this case, and no finding maps to an ATT&CK technique.'
            : '',
      ...attackSection(d.detections),
    },
    iocs: head('iocs') && {
      ...head_(toc),
      iocsNotRecorded: d.iocs === null ? NOT_RECORDED : d.iocs.length === 0 ? 'No indicators of compromise are recorded.' : '',
      iocs: (d.iocs ?? []).map((i) => ({ type: i.type, value: i.value, tlp: i.tlp.toUpperCase(), source: i.source, notes: i.notes })),
      assetsNotRecorded: d.assets.length === 0 ? 'No assets are recorded.' : '',
      assets: d.assets.map((a) => ({
        kind: a.kind,
        identifier: a.identifier,
        label: a.label,
        where: [a.account, a.region].filter(Boolean).join(' · '),
      })),
    },
    tasks: head('tasks') && {
      ...head_(toc),
      tasks: d.tasks.map((t) => ({ title: t.title, assignee: t.assignee || '—', status: t.status, due: t.dueDate ?? '' })),
      noTasks: d.tasks.length === 0 ? 'No tasks are recorded.' : '',
      activity: activityGroups(d.activity.entries),
      activityCount: plural(d.activity.entries.length, 'entry', 'entries'),
      activityNote:
        d.activity.entries.length >= d.activity.limit
          ? `The latest ${d.activity.limit.toLocaleString('en-US')} entries of the activity log, newest first.`
          : 'Every entry of the activity log, newest first.',
    },
    findings: head('findings') && {
      ...head_(toc),
      findingsNotRecorded:
        d.findings === null ? NOT_RECORDED : d.findings.length === 0 ? 'No security findings are attached to this case.' : '',
      threats: threatsFirst(d.findings ?? [])
        .filter((f) => findingKind(f) === 'threat')
        .map((f) => ({
          title: f.title,
          type: f.type,
          severity: f.severityLabel.toUpperCase(),
          score: (f.severityScore / 10).toFixed(1),
          sevClass: `sev-${f.severityLabel}`,
          source: SOURCE_LABEL[f.source],
          where: [f.account && `account ${f.account}`, f.region].filter(Boolean).join(' · '),
          resources: f.resources.map((r) => ({ kind: r.type, id: breakable(r.id) })),
          seen: span(f.firstSeen, f.lastSeen),
          linked: f.linkedCases.join(', '),
        })),
      compliance: threatsFirst(d.findings ?? [])
        .filter((f) => findingKind(f) === 'compliance')
        .map((f) => ({
          severity: f.severityLabel,
          title: f.title,
          standard: f.type.split('/').pop() ?? f.type,
          resources: breakable(f.resources.map((r) => r.id).join(', ')),
          seen: utcShort(f.lastSeen).slice(0, 10),
        })),
      notes: notesFor('findings'),
      noNotes: notesFor('findings').length === 0 ? 'No notes are recorded.' : '',
    },
    response: head('response') && {
      ...head_(toc),
      notRecorded:
        d.response === null ? NOT_RECORDED : d.response.length === 0 ? 'No response actions were taken through Lariat in this case.' : '',
      actions: (d.response ?? []).map((a) => ({
        ...a,
        startedAt: utc(a.startedAt),
        finishedAt: utc(a.finishedAt),
        steps: a.steps.map((st, i) => ({ ...st, n: i + 1, at: utc(st.at) })),
      })),
    },
    postIncident:
      postIncident.length > 0 || d.analysis?.analysis
        ? head('postIncident') && { ...head_(toc), notes: postIncident, analysis: analysisSection(d.analysis) }
        : null,
    limitations: head('limitations') && {
      ...head_(toc),
      notes: notesFor('limitations'),
      automatic: limitations(d),
    },
    signoff: head('signoff') && { ...head_(toc), author: d.author },
  };
  // The long, repetitive records go last, grouped, as appendices.
  const letters = ['A', 'B'];
  const ledger =
    s.custody && s.custody.groups.length ? { letter: letters.shift()!, title: 'Custody ledger', groups: s.custody.groups } : null;
  const activity =
    s.tasks && s.tasks.activity.length
      ? {
          letter: letters.shift()!,
          title: 'Activity log',
          entries: s.tasks.activity,
          count: s.tasks.activityCount,
          note: s.tasks.activityNote,
        }
      : null;
  const appendices = {
    ledger,
    activity,
    toc: [ledger, activity].filter((a) => a !== null).map((a) => ({ letter: a.letter, title: a.title })),
  };
  return {
    appendices,
    reportId: d.reportId,
    generatedAt: utc(d.generatedAt),
    template: d.template,
    lariatVersion: d.lariatVersion,
    case: {
      ...c,
      openedAt: utc(c.openedAt),
      closedAt: utc(c.closedAt),
      accounts: c.accounts.join(', '),
      regions: c.regions.join(', '),
      tags: c.tags.join(', '),
      lead: c.lead || '—',
    },
    tlp: { ...tlp, cls: `tlp-${c.tlp.replace('+', '-')}` },
    author: d.author,
    // On the cover: the custody checkpoint and how to verify it, whichever sections were chosen.
    custodyFront: custodyFront(d, s.custody ? s.custody.num : null),
    toc,
    s,
  };
}

/** The heading of the section just numbered by `head` (last TOC entry). */
function head_(toc: { num: number; title: string }[]) {
  return toc[toc.length - 1]!;
}

/** Limitations Lariat can state by itself, from what it knows about the data. */
function limitations(d: ReportData): string[] {
  const out = [
    'This report reflects the case record at the generation time printed on the cover; later changes are not included.',
    'Times are UTC as recorded by the systems that produced them; clock skew between AWS services and hosts is not corrected.',
  ];
  if (d.timeline && d.timeline.total !== null && d.timeline.total > d.timeline.events.length)
    out.push(`The timeline section is limited to ${d.timeline.events.length} of ${d.timeline.total} events.`);
  if (d.custody?.verification && !d.custody.verification.intact)
    out.push(`The custody ledger did NOT verify at generation time: ${d.custody.verification.summary}`);
  const missing = [
    d.evidence === null && 'evidence vault',
    d.custody === null && 'custody ledger',
    d.timeline === null && 'timeline',
    d.response === null && 'response actions',
  ].filter(Boolean);
  if (missing.length) out.push(`The following were not available to this report: ${missing.join(', ')}.`);
  return out;
}
