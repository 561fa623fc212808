import type { TabProps } from '../case/tab-types';
import { NotBuilt } from '../case/not-built';

export function IocsTab(_props: TabProps) {
  return <NotBuilt what="The Iocs tab" />;
}
