import type { z } from 'zod';
import type { ChannelDef, EventDef } from './define';
import type { Envelope } from './errors';
import { casesContract } from './cases';
import { jobsContract, jobsEvents } from './jobs';
import { assetsContract } from './assets';
import { custodyContract, custodyEvents } from './custody';
import { timelineContract, timelineEvents } from './timeline';
import { responseContract, responseEvents } from './response';
import { reportsContract, reportsEvents } from './reports';
import { filesContract, type FileRef } from './files';
import { detectionContract } from './detection';
import { plansContract } from './plans';
import { incidentsContract } from './incidents';
import { runbooksContract, runbooksEvents } from './runbooks';
import { analysisContract } from './analysis';
import { acquireContract, acquireEvents } from './acquire';
import { fromFindingContract } from './response-from-finding';

/**
 * The whole IPC contract: every channel the renderer can call and every event
 * main can push. Main registers exactly these, the preload exposes exactly
 * these, and the test transport serves exactly these.
 */
export const contract = {
  ...casesContract,
  ...jobsContract,
  ...assetsContract,
  ...custodyContract,
  ...timelineContract,
  ...responseContract,
  ...reportsContract,
  ...filesContract,
  ...detectionContract,
  ...plansContract,
  ...incidentsContract,
  ...runbooksContract,
  ...analysisContract,
  ...acquireContract,
  ...fromFindingContract,
} satisfies Record<string, ChannelDef>;

export const events = {
  ...jobsEvents,
  ...custodyEvents,
  ...timelineEvents,
  ...responseEvents,
  ...reportsEvents,
  ...runbooksEvents,
  ...acquireEvents,
} satisfies Record<string, EventDef>;

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
export type EventName = keyof typeof events;
/** What a caller sends (before defaults and transforms). */
export type InputOf<K extends ChannelName> = z.input<Contract[K]['input']>;
/** What a handler receives, after validation. */
export type ParsedInputOf<K extends ChannelName> = z.output<Contract[K]['input']>;
export type ResultOf<K extends ChannelName> = Contract[K] extends ChannelDef<z.ZodType, infer R> ? R : never;
export type PayloadOf<E extends EventName> = (typeof events)[E] extends EventDef<infer P> ? P : never;

export const channelNames = Object.keys(contract) as ChannelName[];
export const eventNames = Object.keys(events) as EventName[];

/** The IPC channel string for a contract entry; prefixed so nothing else can collide. */
export const ipcChannel = (name: string): string => `lariat:${name}`;
export const ipcEventChannel = (name: string): string => `lariat-event:${name}`;
/** The IPC channel of a preload-only operation (see `preloadContract`). */
export const ipcPreloadChannel = (name: string): string => `lariat-preload:${name}`;

/** `window.lariat`: one typed method per channel, plus event subscription. */
export type LariatApi = {
  [K in ChannelName]: (input: InputOf<K>) => Promise<Envelope<ResultOf<K>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void;
  /**
   * Files the user dropped: the preload resolves each File to its path (Electron's webUtils, which yields
   * nothing for a File made by script) and main answers with tokens; the renderer never sees a path.
   */
  dropFiles(files: File[]): Promise<Envelope<{ files: FileRef[] }>>;
};

export type { Envelope, ErrorInfo } from './errors';
export type { FileRef } from './files';
export { preloadContract } from './files';
