import type { TabProps } from '../case/tab-types';
import { NotBuilt } from '../case/not-built';

export function EvidenceTab(_props: TabProps) {
  return <NotBuilt what="The Evidence tab" />;
}
