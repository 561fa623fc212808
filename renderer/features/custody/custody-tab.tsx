import type { TabProps } from '../case/tab-types';
import { NotBuilt } from '../case/not-built';

export function CustodyTab(_props: TabProps) {
  return <NotBuilt what="The Custody tab" />;
}
