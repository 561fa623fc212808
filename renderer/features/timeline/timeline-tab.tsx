import type { TabProps } from '../case/tab-types';
import { NotBuilt } from '../case/not-built';

export function TimelineTab(_props: TabProps) {
  return <NotBuilt what="The Timeline tab" />;
}
