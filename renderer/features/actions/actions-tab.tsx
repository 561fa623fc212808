import type { TabProps } from '../case/tab-types';
import { NotBuilt } from '../case/not-built';

export function ActionsTab(_props: TabProps) {
  return <NotBuilt what="The Actions tab" />;
}
