import type { TabProps } from '../case/tab-types';
import { NotBuilt } from '../case/not-built';

export function FindingsTab(_props: TabProps) {
  return <NotBuilt what="The Findings tab" />;
}
