import type { Core } from '../core/core';
import { AppError, notFound } from '../core/errors';
import type { TaskService } from '../tasks/task-service';
import type { NoteService } from '../notes/note-service';
import type { CaseRecord, NoteRecord } from '../../common/contract/cases';
import { IMPACT_MEANINGS, type Plan } from '../../common/contract/plan-schema';
import type { CasePlaybook, CreateCaseFromPlanInput } from '../../common/contract/plans';
import type { PlanService, ResolvedPlan } from './plan-service';
import { CasePlanStore } from './case-plans';
import { planDigest } from './plan-codec';
import { renderTemplate } from './template';
import { buildPhases } from './playbook-view';
import { responseActionAvailable } from './capabilities';

const addHours = (iso: string, hours: number): string => new Date(new Date(iso).getTime() + hours * 3_600_000).toISOString().slice(0, 10);

/**
 * Cases started from a plan: the incident defaults fill the case, each plan
 * task becomes a case task (due dates counted from the opening), and the plan
 * is kept as applied so the playbook panel can show every step with its
 * binding, whatever later happens to the plan file.
 */
export class CasePlaybookService {
  readonly store: CasePlanStore;

  constructor(private readonly deps: { core: Core; tasks: TaskService; notes: NoteService; plans: PlanService }) {
    this.store = new CasePlanStore(deps.core.db);
  }

  createCase(input: CreateCaseFromPlanInput): CaseRecord {
    const { core } = this.deps;
    const resolved = this.deps.plans.resolve(input.plan);
    const p = resolved.plan;
    const vars = { title: input.title, plan: p.title, date: core.clock.now().toISOString().slice(0, 10) };
    const title = renderTemplate(p.incident.titleTemplate, vars).trim().slice(0, 200) || input.title;
    return core.db.transaction(() => {
      const c = core.cases.create({
        title,
        severity: input.severity ?? p.incident.severity,
        tlp: input.tlp ?? p.incident.tlp,
        summary:
          input.summary ??
          renderTemplate(p.incident.summaryTemplate, {
            ...vars,
            impact: String(p.incident.impact),
            impactMeaning: IMPACT_MEANINGS[p.incident.impact as keyof typeof IMPACT_MEANINGS],
          }),
        ...(input.lead !== undefined ? { lead: input.lead } : {}),
        ...(input.accounts ? { accounts: input.accounts } : {}),
        ...(input.regions ? { regions: input.regions } : p.incidentManager?.region ? { regions: [p.incidentManager.region] } : {}),
        tags: [...new Set([...p.tags, ...(input.tags ?? [])])].slice(0, 50),
      });
      this.applyTo(c, resolved);
      return core.cases.get(c.number);
    })();
  }

  /** Applies a plan to a case that was not started from one (an incident opened from Incident Manager, an older case). */
  applyToCase(caseNumber: string, planName: string): CasePlaybook {
    const { core } = this.deps;
    const resolved = this.deps.plans.resolve(planName);
    core.db.transaction(() => {
      const row = core.cases.requireWritable(caseNumber);
      const existing = this.store.get(row.id);
      if (existing)
        throw new AppError(
          'plan-already-applied',
          `${caseNumber} already follows the plan ${existing.plan.name}.`,
          'A case follows one plan; add tasks by hand for anything else.',
        );
      this.applyTo(core.cases.get(caseNumber), resolved);
    })();
    return this.view(caseNumber);
  }

  private applyTo(c: CaseRecord, resolved: ResolvedPlan): void {
    const { core, tasks } = this.deps;
    const row = core.cases.requireWritable(c.number);
    const p: Plan = resolved.plan;
    this.store.insert(row.id, {
      plan: p,
      origin: resolved.origin,
      sha256: planDigest(p),
      appliedAt: core.clock.now().toISOString(),
      appliedBy: core.actor().name,
    });
    for (const t of p.tasks) {
      const task = tasks.add({
        caseNumber: c.number,
        title: t.title,
        ...(t.assignee ? { assignee: t.assignee } : {}),
        ...(t.dueInHours !== undefined ? { dueDate: addHours(c.openedAt, t.dueInHours) } : {}),
      });
      this.store.linkStep(row.id, t.id, task.id);
    }
    core.activity.record({
      caseId: row.id,
      action: 'plan.applied',
      entity: 'plan',
      entityId: p.name,
      details: { origin: resolved.origin, file: resolved.file, sha256: planDigest(p), tasks: p.tasks.length },
    });
  }

  view(caseNumber: string): CasePlaybook {
    const { core } = this.deps;
    const row = core.cases.require(caseNumber);
    const applied = this.store.get(row.id);
    if (!applied) return { caseNumber, plan: null, phases: [], engagements: [], runbooks: [], actions: [] };
    const p = applied.plan;
    const tasks = new Map(this.deps.tasks.list(caseNumber).map((t) => [t.id, t]));
    const links = this.store.steps(row.id);
    const assets = core.assets.list(caseNumber);
    return {
      caseNumber,
      plan: {
        name: p.name,
        title: p.title,
        kind: p.kind,
        origin: applied.origin,
        appliedAt: applied.appliedAt,
        appliedBy: applied.appliedBy,
        sha256: applied.sha256,
        impact: p.incident.impact,
        impactMeaning: IMPACT_MEANINGS[p.incident.impact as keyof typeof IMPACT_MEANINGS],
        references: p.references,
      },
      phases: buildPhases(
        p,
        (stepId) => {
          const link = links.get(stepId);
          const task = link ? tasks.get(link.taskId) : undefined;
          return { task: task ?? null, noteId: link?.noteId ?? null };
        },
        assets,
      ),
      engagements: p.engagements,
      runbooks: p.runbooks.map((r) => ({ documentName: r.documentName, label: r.label ?? null, parameters: r.parameters ?? {} })),
      actions: p.actions.map((name) => ({ name, availability: responseActionAvailable(name) })),
    };
  }

  /** Writes a step's note template into the case notes, once; the second call returns the same note. */
  addNote(caseNumber: string, stepId: string): NoteRecord {
    const { core, notes } = this.deps;
    const row = core.cases.requireWritable(caseNumber);
    const applied = this.store.get(row.id);
    const step = applied?.plan.tasks.find((t) => t.id === stepId);
    if (!applied || !step) throw notFound('Playbook step', stepId, `${caseNumber} has no playbook step ${stepId}.`);
    if (step.binding?.type !== 'note')
      throw new AppError('not-a-note-step', `Step ${stepId} is not bound to a note template.`, 'Use the button the playbook shows for it.');
    const link = this.store.steps(row.id).get(stepId);
    if (link?.noteId) {
      const existing = notes.list(caseNumber).find((n) => n.id === link.noteId);
      if (existing) return existing;
    }
    const binding = step.binding;
    const c = core.cases.get(caseNumber);
    const body = renderTemplate(binding.template, { case: c.number, title: c.title, date: core.clock.now().toISOString().slice(0, 10) });
    return core.db.transaction(() => {
      const note = notes.add({ caseNumber, title: binding.title, body });
      if (link) this.store.setNote(row.id, stepId, note.id);
      return note;
    })();
  }
}
