import type { TabProps } from '../case/tab-types';
import { NotBuilt } from '../case/not-built';

export function AssetsTab(_props: TabProps) {
  return <NotBuilt what="The Assets tab" />;
}
