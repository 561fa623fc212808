import type { Core } from '../core/core';
import { AppError, notFound } from '../core/errors';
import type { TaskService } from '../tasks/task-service';
import type { TimelineService } from '../timeline/timeline-service';
import type { AnalysisKeyEvent, AnalysisRecord, AnalysisView, UpdateAnalysisInput } from '../../common/contract/analysis';
import type { TimelineEvent } from '../../common/contract/timeline';
import { SyncStore } from '../incidents/sync-store';
import { AnalysisTemplates } from './templates';
import { ACK_ACTIONS, CONTAINMENT_KINDS, computeMetrics, computeMoments, type MetricInputs } from './metrics';
import { analysisMarkdown } from './export';

/** What the analysis reads from features outside the foundation. */
export interface AnalysisSources {
  events: Pick<TimelineService, 'query' | 'get'>;
  /** Succeeded response actions: kind and when they finished. */
  actions(caseNumber: string): { id: number; kind: string; state: string; finishedAt: string | null; target: string }[];
  /** Succeeded runbook runs that contain (AWSSupport-Contain*, *Isolate*...). */
  containmentRunbooks(caseNumber: string): { id: number; documentName: string; finishedAt: string | null }[];
}

const summaryOf = (e: TimelineEvent): string =>
  [e.action ?? e.source, e.actor && `by ${e.actor}`, e.resource && `on ${e.resource}`, e.sourceIp && `from ${e.sourceIp}`]
    .filter(Boolean)
    .join(' ');

/**
 * The post-incident analysis of a resolved case: created from a template,
 * edited afterwards, with metrics always computed from the case as it is
 * (timeline, activity log, response actions, runbooks, the incident) so they
 * never disagree with the record they summarise.
 */
export class AnalysisService {
  readonly templates: AnalysisTemplates;

  constructor(private readonly deps: { core: Core; tasks: TaskService; sources: AnalysisSources; templateDirs: string[] }) {
    this.templates = new AnalysisTemplates(deps.templateDirs);
  }

  private record(caseId: number): AnalysisRecord | null {
    const r = this.deps.core.db.prepare<[number], { body: string }>('SELECT body FROM analyses WHERE case_id = ?').get(caseId);
    return r ? (JSON.parse(r.body) as AnalysisRecord) : null;
  }

  private save(caseId: number, body: AnalysisRecord, created: boolean): void {
    const { core } = this.deps;
    if (created)
      core.db
        .prepare('INSERT INTO analyses (case_id, template, body, created_at, created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(caseId, body.template, JSON.stringify(body), body.createdAt, body.createdBy, body.updatedAt);
    else
      core.db.prepare('UPDATE analyses SET body = ?, updated_at = ? WHERE case_id = ?').run(JSON.stringify(body), body.updatedAt, caseId);
  }

  private resolution(caseId: number, status: string): { resolved: boolean; reason: string } {
    if (status === 'recovered' || status === 'closed') return { resolved: true, reason: `the case is ${status}` };
    const sync = new SyncStore(this.deps.core.db).row(caseId);
    if (sync && (sync.local_status === 'RESOLVED' || sync.remote_status === 'RESOLVED'))
      return { resolved: true, reason: 'the linked incident is resolved' };
    return {
      resolved: false,
      reason: `the case is ${status}; the analysis opens once it is recovered or closed (or its incident is resolved)`,
    };
  }

  /** Gathers what the metrics need; see metrics.ts for what each moment means. */
  inputs(caseNumber: string): MetricInputs {
    const { core, sources } = this.deps;
    const c = core.cases.get(caseNumber);
    const row = core.cases.require(caseNumber);
    const first = (q: { flagged?: boolean; source?: string }, accept: (e: TimelineEvent) => boolean): TimelineEvent | null => {
      let cursor: string | undefined;
      for (let page = 0; page < 20; page++) {
        const r = sources.events.query({
          caseNumber,
          ...(q.flagged ? { flagged: true } : {}),
          ...(q.source ? { where: [{ column: 'source', value: q.source }] } : {}),
          limit: 200,
          ...(cursor ? { cursor } : {}),
        });
        const hit = r.events.find((e) => e.time && accept(e));
        if (hit) return hit;
        if (!r.nextCursor) return null;
        cursor = r.nextCursor;
      }
      return null;
    };
    const flagged = first({ flagged: true }, (e) => e.source !== 'lariat');
    const findings = [first({ source: 'guardduty' }, () => true), first({ source: 'securityhub' }, () => true)]
      .filter((e): e is TimelineEvent => Boolean(e))
      .sort((a, b) => a.time!.localeCompare(b.time!));
    const activity = core.db
      .prepare<[number], { at: string; action: string; details: string }>(
        'SELECT at, action, details FROM activity WHERE case_id = ? ORDER BY id',
      )
      .all(row.id);
    const work = activity.find((a) => ACK_ACTIONS.includes(a.action));
    const statusChanges = activity
      .filter((a) => a.action === 'case.updated')
      .flatMap((a) => {
        const to = (JSON.parse(a.details) as { status?: { to?: string } }).status?.to;
        return to ? [{ at: a.at, to }] : [];
      });
    const sync = new SyncStore(core.db).row(row.id);
    const engagements = sync ? (JSON.parse(sync.engagements) as { pages: { readTime: string | null }[] }[]) : [];
    return {
      openedAt: c.openedAt,
      firstFlagged: flagged && { time: flagged.time!, id: flagged.id, source: flagged.source, action: flagged.action },
      firstFinding: findings[0] ? { time: findings[0].time!, id: findings[0].id, source: findings[0].source } : null,
      incident: sync ? { createdAt: sync.remote_created_at, resolvedAt: sync.remote_resolved_at } : null,
      firstWork: work ? { at: work.at, action: work.action } : null,
      pageReads: engagements.flatMap((e) => e.pages.map((p) => p.readTime).filter((t): t is string => Boolean(t))),
      containments: [
        ...sources
          .actions(caseNumber)
          .filter((a) => a.state === 'succeeded' && a.finishedAt && CONTAINMENT_KINDS.includes(a.kind))
          .map((a) => ({ at: a.finishedAt!, what: `${a.kind} of ${a.target} succeeded (action #${a.id})` })),
        ...sources
          .containmentRunbooks(caseNumber)
          .filter((r) => r.finishedAt)
          .map((r) => ({ at: r.finishedAt!, what: `runbook ${r.documentName} succeeded (run #${r.id})` })),
      ],
      statusChanges,
    };
  }

  view(caseNumber: string): AnalysisView {
    const { core, sources } = this.deps;
    const c = core.cases.get(caseNumber);
    const row = core.cases.require(caseNumber);
    const analysis = this.record(row.id);
    const moments = computeMoments(this.inputs(caseNumber));
    const tasks = this.deps.tasks.list(caseNumber);
    const flagged = sources.events.query({ caseNumber, flagged: true, limit: 50 }).events;
    const own = sources.events.query({ caseNumber, where: [{ column: 'source', value: 'lariat' }], limit: 100 }).events;
    const seen = new Set<number>();
    const suggested = [...flagged, ...own]
      .filter((e) => !seen.has(e.id) && seen.add(e.id))
      .sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''))
      .map((e) => ({ eventId: e.id, time: e.time, summary: summaryOf(e), source: e.source, flagged: e.flagged }));
    const { resolved, reason } = this.resolution(row.id, c.status);
    return {
      caseNumber,
      resolved,
      resolvedReason: reason,
      analysis,
      moments,
      metrics: computeMetrics(moments),
      actionItems: analysis ? tasks.filter((t) => analysis.actionItemTaskIds.includes(t.id)) : [],
      suggestedEvents: suggested,
    };
  }

  /** Starts the analysis from a template; a second call returns the existing one unchanged. */
  create(caseNumber: string, templateName: string): AnalysisView {
    const { core, sources } = this.deps;
    const row = core.cases.requireWritable(caseNumber);
    if (this.record(row.id)) return this.view(caseNumber);
    const { resolved, reason } = this.resolution(row.id, row.status);
    if (!resolved)
      throw new AppError(
        'case-not-resolved',
        `${caseNumber} is not resolved yet: ${reason}.`,
        'Resolve it first (set its status to recovered or closed, or `lariat incident resolve --case ...`), then start the analysis.',
      );
    const t = this.templates.get(templateName);
    const now = core.clock.now().toISOString();
    const keyEvents: AnalysisKeyEvent[] = sources.events
      .query({ caseNumber, flagged: true, limit: 20 })
      .events.map((e) => ({ eventId: e.id, time: e.time, summary: summaryOf(e), note: '' }));
    const body: AnalysisRecord = {
      template: t.name,
      templateTitle: t.title,
      overview: '',
      keyEvents,
      questions: t.questions.map((q) => ({ ...q, answer: '' })),
      actionItemTaskIds: [],
      checklist: t.checklist.map((i) => ({ ...i, done: false })),
      createdAt: now,
      createdBy: core.actor().name,
      updatedAt: now,
    };
    core.db.transaction(() => {
      this.save(row.id, body, true);
      core.activity.record({
        caseId: row.id,
        action: 'analysis.created',
        entity: 'analysis',
        entityId: caseNumber,
        details: { template: t.name },
      });
    })();
    core.events.emit('caseChanged', { caseNumber, what: 'analysis' });
    return this.view(caseNumber);
  }

  private require(caseNumber: string): { caseId: number; body: AnalysisRecord } {
    const row = this.deps.core.cases.requireWritable(caseNumber);
    const body = this.record(row.id);
    if (!body)
      throw new AppError(
        'no-analysis',
        `${caseNumber} has no post-incident analysis yet.`,
        'Start it first (`lariat analysis create --case ...` or the Analysis tab).',
      );
    return { caseId: row.id, body };
  }

  update(input: UpdateAnalysisInput): AnalysisView {
    const { core, sources } = this.deps;
    core.db.transaction(() => {
      const { caseId, body } = this.require(input.caseNumber);
      const p = input.patch;
      const changed: string[] = [];
      if (p.overview !== undefined) {
        body.overview = p.overview;
        changed.push('overview');
      }
      for (const a of p.answers ?? []) {
        const q = body.questions.find((x) => x.id === a.id);
        if (!q)
          throw notFound('Analysis question', a.id, `The questions of this analysis are: ${body.questions.map((x) => x.id).join(', ')}.`);
        q.answer = a.answer;
        changed.push(`answer:${a.id}`);
      }
      for (const c of p.checklist ?? []) {
        const item = body.checklist.find((x) => x.id === c.id);
        if (!item) throw notFound('Checklist item', c.id, `The checklist items are: ${body.checklist.map((x) => x.id).join(', ')}.`);
        item.done = c.done;
        changed.push(`checklist:${c.id}`);
      }
      if (p.keyEvents) {
        body.keyEvents = p.keyEvents.map((k) => {
          const e = sources.events.get(input.caseNumber, k.eventId);
          return { eventId: e.id, time: e.time, summary: summaryOf(e), note: k.note };
        });
        changed.push('keyEvents');
      }
      body.updatedAt = core.clock.now().toISOString();
      this.save(caseId, body, false);
      core.activity.record({ caseId, action: 'analysis.updated', entity: 'analysis', entityId: input.caseNumber, details: { changed } });
    })();
    core.events.emit('caseChanged', { caseNumber: input.caseNumber, what: 'analysis' });
    return this.view(input.caseNumber);
  }

  /** An action item is a case task (owner = assignee, due date), listed in the analysis. */
  addActionItem(input: { caseNumber: string; title: string; owner: string; dueDate: string }): AnalysisView {
    const { core } = this.deps;
    core.db.transaction(() => {
      const { caseId, body } = this.require(input.caseNumber);
      const task = this.deps.tasks.add({ caseNumber: input.caseNumber, title: input.title, assignee: input.owner, dueDate: input.dueDate });
      body.actionItemTaskIds.push(task.id);
      body.updatedAt = core.clock.now().toISOString();
      this.save(caseId, body, false);
      core.activity.record({
        caseId,
        action: 'analysis.action-item-added',
        entity: 'task',
        entityId: task.id,
        details: { title: input.title },
      });
    })();
    core.events.emit('caseChanged', { caseNumber: input.caseNumber, what: 'analysis' });
    return this.view(input.caseNumber);
  }

  export(caseNumber: string, format: 'markdown' | 'json'): { fileName: string; text: string } {
    const v = this.view(caseNumber);
    if (!v.analysis)
      throw new AppError(
        'no-analysis',
        `${caseNumber} has no post-incident analysis yet.`,
        'Start it first (`lariat analysis create --case ...`).',
      );
    return format === 'json'
      ? { fileName: `${caseNumber}-analysis.json`, text: `${JSON.stringify(v, null, 2)}\n` }
      : { fileName: `${caseNumber}-analysis.md`, text: analysisMarkdown(this.deps.core.cases.get(caseNumber), v) };
  }

  /** The analysis for the case report and bundle; null when the case has none. */
  forReport(caseNumber: string): AnalysisView | null {
    const row = this.deps.core.cases.require(caseNumber);
    return this.record(row.id) ? this.view(caseNumber) : null;
  }
}
