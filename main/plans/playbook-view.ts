import type { AssetRecord } from '../../common/contract/assets';
import type { TaskRecord } from '../../common/contract/cases';
import { PHASES, type Plan, type StepBinding } from '../../common/contract/plan-schema';
import type { CasePlaybook, PlaybookStep } from '../../common/contract/plans';
import { highlightIds } from '../timeline/highlights';
import { acquisitionTarget, bindingAvailability, bindingLabel } from './capabilities';

/**
 * Fills `{{asset:KIND}}` (the identifier of the case's first asset of that
 * kind) and `{{asset-region:KIND}}` in pre-filled parameters. A value still
 * holding a placeholder is dropped, so the form opens empty rather than with
 * a placeholder in it.
 */
function resolveParams(params: Record<string, string | number | boolean>, assets: AssetRecord[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    const s = String(v).replace(/\{\{\s*asset(-region)?:([\w-]+)\s*\}\}/g, (whole, region: string | undefined, kind: string) => {
      const a = assets.find((x) => x.kind === kind);
      if (!a) return whole;
      return region ? (a.region ?? whole) : a.identifier;
    });
    if (!s.includes('{{')) out[k] = s;
  }
  return out;
}

/** Where a bound step's button leads: a case tab and the route query that pre-fills it. */
export function stepTarget(b: StepBinding, assets: AssetRecord[]): { tab: string; query: Record<string, string> } | null {
  switch (b.type) {
    case 'response-action': {
      const q = resolveParams(b.params ?? {}, assets);
      if (q.instance && !q.region) {
        const a = assets.find((x) => x.identifier === q.instance);
        if (a?.region) q.region = a.region;
      }
      return { tab: 'actions', query: { ...q, kind: b.action } };
    }
    case 'timeline': {
      const q: Record<string, string> = {};
      if (b.highlight) q.highlight = b.highlight;
      // Conditions naming an asset the case does not have yet are left out rather than filtered on a placeholder.
      const where = (b.where ?? []).flatMap((w) => {
        const v = resolveParams({ v: w.value }, assets).v;
        return v === undefined ? [] : [[w.column, v] as [string, string]];
      });
      if (where.length) q.where = new URLSearchParams(where).toString();
      const search = b.search ? resolveParams({ v: b.search }, assets).v : undefined;
      if (search) q.search = search;
      if (b.flagged) q.flagged = '1';
      if (b.errorsOnly) q.errors = '1';
      return { tab: 'timeline', query: q };
    }
    case 'rule':
      return { tab: 'timeline', query: highlightIds.has(b.rule) ? { highlight: b.rule } : { rule: b.rule } };
    case 'acquisition': {
      const t = acquisitionTarget(b.acquisition);
      return t ? { tab: t.tab, query: { ...t.query, ...resolveParams(b.params ?? {}, assets) } } : null;
    }
    case 'runbook':
      return {
        tab: 'playbook',
        query: { runbook: b.documentName, ...(b.parameters ? { params: JSON.stringify(resolveParams(b.parameters, assets)) } : {}) },
      };
    case 'incident':
      return { tab: 'overview', query: { incident: b.action } };
    case 'analysis':
      return { tab: 'analysis', query: {} };
    case 'note':
      return null;
  }
}

/** The plan's steps grouped by NIST SP 800-61r3 phase (steps without a phase last), each with its task and binding. */
export function buildPhases(
  plan: Plan,
  linkOf: (stepId: string) => { task: TaskRecord | null; noteId: number | null },
  assets: AssetRecord[],
): CasePlaybook['phases'] {
  const steps: PlaybookStep[] = plan.tasks.map((t) => {
    const { task, noteId } = linkOf(t.id);
    const availability = t.binding ? bindingAvailability(t.binding) : { available: true, reason: null };
    return {
      id: t.id,
      title: t.title,
      phase: t.phase ?? 'other',
      description: t.description ?? '',
      taskId: task?.id ?? null,
      taskStatus: task?.status ?? null,
      assignee: task?.assignee ?? t.assignee ?? '',
      dueDate: task?.dueDate ?? null,
      binding: t.binding ?? null,
      label: t.binding ? bindingLabel(t.binding) : null,
      availability,
      target: t.binding && availability.available ? stepTarget(t.binding, assets) : null,
      manual: t.manual ?? null,
      noteId,
    };
  });
  const groups = [...PHASES, { id: 'other', title: 'Other tasks' }];
  return groups.map((g) => ({ id: g.id, title: g.title, steps: steps.filter((s) => s.phase === g.id) })).filter((g) => g.steps.length > 0);
}
