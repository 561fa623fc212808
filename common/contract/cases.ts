import * as z from 'zod';
import { channel } from './define';
import {
  AwsAccountId,
  AwsRegion,
  CaseNumber,
  CaseStatus,
  DueDate,
  Id,
  LongText,
  NoInput,
  Severity,
  ShortText,
  Tag,
  Tlp,
  type Severity as SeverityT,
  type CaseStatus as CaseStatusT,
  type Tlp as TlpT,
  text,
} from './common';

export interface CaseRecord {
  number: string;
  title: string;
  summary: string;
  severity: SeverityT;
  status: CaseStatusT;
  tlp: TlpT;
  lead: string;
  accounts: string[];
  regions: string[];
  tags: string[];
  readOnly: boolean;
  /** The demo case built from the shipped samples; only it may be signed by the demo identity. */
  demo: boolean;
  openedAt: string;
  closedAt: string | null;
  updatedAt: string;
}

export interface CaseSummary extends CaseRecord {
  openTasks: number;
}

export interface TaskRecord {
  id: number;
  caseNumber: string;
  title: string;
  assignee: string;
  status: 'todo' | 'in-progress' | 'blocked' | 'done';
  dueDate: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NoteRecord {
  id: number;
  caseNumber: string;
  title: string;
  body: string;
  author: string;
  createdAt: string;
  updatedAt: string;
}

export interface ActivityRecord {
  id: number;
  caseNumber: string | null;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  details: Record<string, unknown>;
}

const CaseFields = {
  title: text().trim().min(1, 'Give the case a short title').max(200, 'Keep the title under 200 characters'),
  summary: LongText.optional(),
  severity: Severity,
  status: CaseStatus.optional(),
  tlp: Tlp.optional(),
  lead: text().trim().max(200).optional(),
  accounts: z.array(AwsAccountId).max(100).optional(),
  regions: z.array(AwsRegion).max(40).optional(),
  tags: z.array(Tag).max(50).optional(),
};

export const CaseCreateInput = z.object(CaseFields).strict();
export const CaseUpdateInput = z
  .object({
    caseNumber: CaseNumber,
    patch: z
      .object({ ...CaseFields, title: ShortText.optional(), severity: Severity.optional() })
      .strict()
      .refine((p) => Object.keys(p).length > 0, 'nothing to change'),
  })
  .strict();
export const CaseListInput = z
  .object({
    search: text().max(200).optional(),
    status: CaseStatus.optional(),
    severity: Severity.optional(),
  })
  .strict();
export const CaseRef = z.object({ caseNumber: CaseNumber }).strict();
export const TaskStatus = z.enum(['todo', 'in-progress', 'blocked', 'done']);

export type CaseCreateInput = z.infer<typeof CaseCreateInput>;
export type CaseUpdateInput = z.infer<typeof CaseUpdateInput>;
export type CaseListInput = z.infer<typeof CaseListInput>;

export const casesContract = {
  createCase: channel<CaseRecord>()(CaseCreateInput, 'Open a new case; Lariat assigns its number.'),
  listCases: channel<CaseSummary[]>()(CaseListInput, 'Cases, newest first, filtered by text, status or severity.'),
  getCase: channel<CaseRecord>()(CaseRef, 'One case by number.'),
  updateCase: channel<CaseRecord>()(CaseUpdateInput, 'Change case fields; closing sets the closed time.'),
  listTasks: channel<TaskRecord[]>()(CaseRef, 'Tasks of a case.'),
  addTask: channel<TaskRecord>()(
    z
      .object({ caseNumber: CaseNumber, title: ShortText, assignee: text().trim().max(200).optional(), dueDate: DueDate.optional() })
      .strict(),
    'Add a task to a case.',
  ),
  updateTask: channel<TaskRecord>()(
    z
      .object({
        caseNumber: CaseNumber,
        taskId: Id,
        patch: z
          .object({
            title: ShortText.optional(),
            assignee: text().trim().max(200).optional(),
            status: TaskStatus.optional(),
            dueDate: DueDate.nullable().optional(),
          })
          .strict(),
      })
      .strict(),
    'Change a task.',
  ),
  listNotes: channel<NoteRecord[]>()(CaseRef, 'Notes of a case, newest first.'),
  addNote: channel<NoteRecord>()(z.object({ caseNumber: CaseNumber, title: ShortText, body: LongText }).strict(), 'Add a Markdown note.'),
  updateNote: channel<NoteRecord>()(
    z.object({ caseNumber: CaseNumber, noteId: Id, title: ShortText.optional(), body: LongText.optional() }).strict(),
    'Edit a note.',
  ),
  listActivity: channel<ActivityRecord[]>()(
    z.object({ caseNumber: CaseNumber.optional(), limit: z.number().int().min(1).max(5000).optional() }).strict(),
    'The activity log: who changed what and when.',
  ),
  getAppInfo: channel<AppInfo>()(NoInput, 'Version, data folder and schema version.'),
  getSettings: channel<Settings>()(NoInput, 'User settings.'),
  updateSettings: channel<Settings>()(
    z.object({ theme: z.enum(['system', 'light', 'dark']).optional() }).strict(),
    'Change user settings.',
  ),
};

export interface AppInfo {
  version: string;
  dataDir: string;
  schemaVersion: number;
  platform: string;
}

export interface Settings {
  theme: 'system' | 'light' | 'dark';
}
