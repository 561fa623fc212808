import type { CaseRecord } from '../../../common/contract/cases';

/** Every case tab gets the case and the route's query (filters, pivots, selected item). */
export interface TabProps {
  caseRecord: CaseRecord;
  query: URLSearchParams;
}
