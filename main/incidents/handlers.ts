import type { Services } from '../services';
import type { HandlersFor } from '../ipc/handler-types';
import type { incidentsContract } from '../../common/contract/incidents';
import * as op from './operations';

/** Incident Manager channels: validated input into the one operation function each. */
export function incidentsHandlers(s: Services): HandlersFor<typeof incidentsContract> {
  const f = s.incidents;
  return {
    listOpenIncidents: (input) => op.listOpenIncidents(f, input),
    openIncidentAsCase: (input) => op.openIncidentAsCase(f, input),
    startIncident: (input) => op.startIncident(f, input),
    syncIncident: (input) => op.syncIncident(f, input),
    getIncidentSync: (input) => op.getIncidentSync(f, input),
    setIncidentImpact: (input) => op.setIncidentImpact(f, input),
    resolveIncident: (input) => op.resolveIncident(f, input),
  };
}
