import type { z } from 'zod';
import type {
  CreateCaseFromPlanInput,
  ImportPlanInput,
  ImportResponsePlanInput,
  PlanSummary,
  ContactRecord,
} from '../../common/contract/plans';
import type { CaseRecord } from '../../common/contract/cases';
import type { PlansFeature } from '.';
import { fetchAllContacts, importResponsePlan as readResponsePlan } from './im-import';

/**
 * One function per plans operation: the IPC handlers and the CLI both call
 * these with input parsed by the same contract schema, and only print.
 */

export const listPlans = (f: PlansFeature) => f.plans.list();

export const getPlan = (f: PlansFeature, input: { name: string }) => f.plans.get(input.name);

export const importPlan = (f: PlansFeature, input: z.output<typeof ImportPlanInput>): PlanSummary =>
  f.plans.importJson(input.json, input.replace ?? false);

export const exportPlan = (f: PlansFeature, input: { name: string }) => f.plans.export(input.name);

export const deletePlan = (f: PlansFeature, input: { name: string }) => f.plans.delete(input.name);

/** GetResponsePlan (and its contacts through ssm-contacts), stored as a plan that starts incidents with that ARN. */
export async function importResponsePlan(f: PlansFeature, input: z.output<typeof ImportResponsePlanInput>): Promise<PlanSummary> {
  const clients = await f.session.clients();
  const plan = await readResponsePlan(clients, input.region, input.responsePlanArn, input.name);
  return f.plans.save(plan, 'incident-manager', input.responsePlanArn, input.replace ?? false);
}

export const listContacts = (f: PlansFeature): ContactRecord[] => f.plans.contacts();

/** Every contact and escalation plan of the account's ssm-contacts, stored here. */
export async function importContacts(f: PlansFeature, input: { region: string }): Promise<ContactRecord[]> {
  const clients = await f.session.clients();
  const contacts = await fetchAllContacts(clients, input.region);
  f.plans.saveContacts(contacts, 'ssm-contacts');
  return f.plans.contacts();
}

export const createCaseFromPlan = (f: PlansFeature, input: CreateCaseFromPlanInput): CaseRecord => f.casePlaybooks.createCase(input);

export const applyPlanToCase = (f: PlansFeature, input: { caseNumber: string; plan: string }) =>
  f.casePlaybooks.applyToCase(input.caseNumber, input.plan);

export const getCasePlaybook = (f: PlansFeature, input: { caseNumber: string }) => f.casePlaybooks.view(input.caseNumber);

export const addPlaybookNote = (f: PlansFeature, input: { caseNumber: string; stepId: string }) =>
  f.casePlaybooks.addNote(input.caseNumber, input.stepId);
