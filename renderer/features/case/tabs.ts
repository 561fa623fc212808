import type { ComponentType } from 'react';
import type { TabProps } from './tab-types';
import { OverviewTab } from '../overview/overview-tab';
import { AssetsTab } from '../assets/assets-tab';
import { EvidenceTab } from '../evidence/evidence-tab';
import { TimelineTab } from '../timeline/timeline-tab';
import { FindingsTab } from '../findings/findings-tab';
import { IocsTab } from '../iocs/iocs-tab';
import { TasksTab } from '../tasks/tasks-tab';
import { NotesTab } from '../notes/notes-tab';
import { CustodyTab } from '../custody/custody-tab';
import { ActionsTab } from '../actions/actions-tab';
import { ReportTab } from '../report/report-tab';
import { PlaybookTab } from '../playbook/playbook-tab';
import { AnalysisTab } from '../analysis/analysis-tab';
import { AttackTab } from '../attack/attack-tab';
import { AcquireTab } from '../acquire/acquire-tab';
import type { CaseRecord } from '../../../common/contract/cases';

export interface TabDef {
  id: string;
  label: string;
  /** Single key that jumps to the tab (with Alt). */
  key: string;
  component: ComponentType<TabProps>;
  /** Shown in the tab strip only for these cases (the route still opens it). */
  visible?: (c: CaseRecord) => boolean;
}

/** The case workspace's tabs, in order. */
export const tabs: TabDef[] = [
  { id: 'overview', label: 'Overview', key: '1', component: OverviewTab },
  { id: 'assets', label: 'Assets', key: '2', component: AssetsTab },
  { id: 'evidence', label: 'Evidence', key: '3', component: EvidenceTab },
  { id: 'timeline', label: 'Timeline', key: '4', component: TimelineTab },
  { id: 'findings', label: 'Findings', key: '5', component: FindingsTab },
  { id: 'attack', label: 'ATT&CK', key: 'm', component: AttackTab },
  { id: 'iocs', label: 'IOCs', key: '6', component: IocsTab },
  { id: 'tasks', label: 'Tasks', key: '7', component: TasksTab },
  { id: 'notes', label: 'Notes', key: '8', component: NotesTab },
  { id: 'custody', label: 'Custody', key: '9', component: CustodyTab },
  { id: 'actions', label: 'Actions', key: 'a', component: ActionsTab },
  { id: 'report', label: 'Report', key: 'r', component: ReportTab },
  { id: 'playbook', label: 'Playbook', key: 'p', component: PlaybookTab },
  { id: 'acquire', label: 'Acquire', key: 'q', component: AcquireTab },
  {
    id: 'analysis',
    label: 'Analysis',
    key: 'l',
    component: AnalysisTab,
    visible: (c) => c.status === 'recovered' || c.status === 'closed',
  },
];
