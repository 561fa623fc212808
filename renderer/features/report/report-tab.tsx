import type { TabProps } from '../case/tab-types';
import { NotBuilt } from '../case/not-built';

export function ReportTab(_props: TabProps) {
  return <NotBuilt what="The Report tab" />;
}
