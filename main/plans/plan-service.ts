import type { Core } from '../core/core';
import { AppError, notFound } from '../core/errors';
import type { Contact, Plan } from '../../common/contract/plan-schema';
import type { ContactRecord, PlanDetail, PlanFileProblem, PlanOrigin, PlanSummary } from '../../common/contract/plans';
import { PlanLibrary } from './plan-library';
import { PlanStore } from './plan-store';
import { parsePlanJson, serializePlan } from './plan-codec';

export interface ResolvedPlan {
  plan: Plan;
  origin: PlanOrigin;
  file: string | null;
}

function summary(r: ResolvedPlan): PlanSummary {
  const phases = [...new Set(r.plan.tasks.map((t) => t.phase).filter((p): p is string => Boolean(p)))];
  return {
    name: r.plan.name,
    kind: r.plan.kind,
    title: r.plan.title,
    description: r.plan.description,
    origin: r.origin,
    steps: r.plan.tasks.length,
    phases,
    tags: r.plan.tags,
    file: r.file,
  };
}

/**
 * Response plans and playbooks from every place they live. A name resolves
 * to the plan stored in this data folder, else the organisation's playbook
 * file, else the shipped one: an organisation customises a shipped playbook
 * by saving an edited copy under the same name.
 */
export class PlanService {
  readonly store: PlanStore;
  private readonly library: PlanLibrary;

  constructor(private readonly deps: { core: Core; organisationDir: string }) {
    this.store = new PlanStore(deps.core.db);
    this.library = new PlanLibrary({ shipped: `${deps.core.paths.resourcesDir}/playbooks`, organisation: deps.organisationDir });
  }

  private all(): { plans: ResolvedPlan[]; problems: PlanFileProblem[] } {
    const lib = this.library.load();
    const byName = new Map<string, ResolvedPlan>();
    for (const p of lib.plans.filter((x) => x.origin === 'shipped')) byName.set(p.plan.name, p);
    for (const p of lib.plans.filter((x) => x.origin === 'organisation')) byName.set(p.plan.name, p);
    for (const p of this.store.list()) byName.set(p.plan.name, { plan: p.plan, origin: p.origin, file: null });
    const plans = [...byName.values()].sort((a, b) => a.plan.kind.localeCompare(b.plan.kind) || a.plan.title.localeCompare(b.plan.title));
    return { plans, problems: lib.problems };
  }

  list(): { plans: PlanSummary[]; problems: PlanFileProblem[] } {
    const { plans, problems } = this.all();
    return { plans: plans.map(summary), problems };
  }

  resolve(name: string): ResolvedPlan {
    const { plans } = this.all();
    const found = plans.find((p) => p.plan.name === name);
    if (!found)
      throw notFound(
        'Plan',
        name,
        `Known plans: ${plans.map((p) => p.plan.name).join(', ') || 'none'}. Run \`lariat plan list\` or import one with \`lariat plan import FILE\`.`,
      );
    return found;
  }

  get(name: string): PlanDetail {
    const r = this.resolve(name);
    return { ...summary(r), plan: r.plan };
  }

  export(name: string): { name: string; json: string } {
    return { name, json: serializePlan(this.resolve(name).plan) };
  }

  /** Stores a plan from JSON; refuses a name already stored unless `replace`. */
  importJson(json: string, replace = false): PlanSummary {
    return this.save(parsePlanJson(json), 'local', null, replace);
  }

  save(plan: Plan, origin: 'local' | 'incident-manager', originArn: string | null, replace: boolean): PlanSummary {
    const { core } = this.deps;
    core.db.transaction(() => {
      if (!this.store.put(plan, origin, originArn, core.clock.now().toISOString(), replace))
        throw new AppError(
          'plan-exists',
          `A plan named ${plan.name} is already stored here.`,
          'Import it with replace (`--replace`) to overwrite it, or change its "name" field.',
        );
      core.activity.record({
        caseId: null,
        action: 'plan.imported',
        entity: 'plan',
        entityId: plan.name,
        details: { origin, originArn, replace, steps: plan.tasks.length },
      });
    })();
    return summary({ plan, origin, file: null });
  }

  delete(name: string): { name: string } {
    const { core } = this.deps;
    core.db.transaction(() => {
      if (!this.store.delete(name)) {
        const other = this.all().plans.find((p) => p.plan.name === name);
        throw other
          ? new AppError(
              'plan-is-a-file',
              `${name} is a ${other.origin} playbook file (${other.file}), not a plan stored here.`,
              'Edit or remove the file itself; shipped playbooks come back with the next install.',
            )
          : notFound('Plan', name);
      }
      core.activity.record({ caseId: null, action: 'plan.deleted', entity: 'plan', entityId: name, details: {} });
    })();
    return { name };
  }

  contacts(): ContactRecord[] {
    const out = new Map<string, ContactRecord>();
    for (const c of this.store.contacts()) out.set(c.contact.alias, { contact: c.contact, origin: c.origin, usedBy: [] });
    for (const p of this.all().plans) {
      for (const c of p.plan.engagements) {
        const known = out.get(c.alias) ?? { contact: c, origin: 'plan' as const, usedBy: [] };
        known.usedBy.push(p.plan.name);
        out.set(c.alias, known);
      }
    }
    return [...out.values()].sort((a, b) => a.contact.alias.localeCompare(b.contact.alias));
  }

  saveContacts(contacts: Contact[], origin: 'ssm-contacts' | 'local'): void {
    const { core } = this.deps;
    core.db.transaction(() => {
      for (const c of contacts) this.store.putContact(c, origin, core.clock.now().toISOString());
      core.activity.record({ caseId: null, action: 'contacts.imported', entity: 'contact', details: { origin, count: contacts.length } });
    })();
  }
}
