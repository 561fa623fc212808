import type { CaseRecord } from '../../common/contract/cases';
import type { IncidentSummary, IncidentSyncReport, IncidentSyncView } from '../../common/contract/incidents';
import type { IncidentsFeature } from '.';

/** One function per Incident Manager operation, shared by the IPC handlers and the CLI. */

export const listOpenIncidents = (f: IncidentsFeature, input: { region: string }): Promise<IncidentSummary[]> =>
  f.incidents.listOpen(input.region);

export const openIncidentAsCase = (f: IncidentsFeature, input: { region: string; incidentArn: string }): Promise<CaseRecord> =>
  f.incidents.openAsCase(input.region, input.incidentArn);

export const startIncident = (
  f: IncidentsFeature,
  input: { caseNumber: string; region?: string; responsePlanArn?: string; impact?: number },
): Promise<IncidentSyncView> => f.incidents.start(input);

export const syncIncident = (f: IncidentsFeature, input: { caseNumber: string }): Promise<IncidentSyncReport> =>
  f.incidents.sync(input.caseNumber);

export const getIncidentSync = (f: IncidentsFeature, input: { caseNumber: string }): IncidentSyncView => f.incidents.view(input.caseNumber);

export const setIncidentImpact = (f: IncidentsFeature, input: { caseNumber: string; impact: number }): IncidentSyncView =>
  f.incidents.setImpact(input.caseNumber, input.impact);

export const resolveIncident = (f: IncidentsFeature, input: { caseNumber: string; resolveIncident: boolean }): Promise<IncidentSyncView> =>
  f.incidents.resolve(input.caseNumber, input.resolveIncident);
