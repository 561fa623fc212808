import * as z from 'zod';
import { channel, type ChannelDef } from './define';
import { CaseNumber, text } from './common';

/**
 * Files and folders reach operations as opaque, single-use tokens that the
 * main process hands out for locations the investigator chose (a native
 * dialog, a drop resolved by the preload, a path typed on the command line).
 * No contract channel accepts a file system path from the renderer.
 */
export const FileToken = text().regex(/^ft_[0-9a-f]{32}$/, 'a file choice token comes from a file dialog or a drop');

/** A chosen file as the renderer sees it: its token and its name for display. */
export interface FileRef {
  token: string;
  name: string;
}

export const OPEN_PURPOSES = ['evidence', 'timeline', 'bundle', 'rules'] as const;
export const SAVE_PURPOSES = ['report-pdf', 'report-html', 'bundle', 'custody-export'] as const;
export type OpenPurpose = (typeof OPEN_PURPOSES)[number];
export type SavePurpose = (typeof SAVE_PURPOSES)[number];

export const filesContract = {
  chooseFiles: channel<{ files: FileRef[] }>()(
    z.object({ purpose: z.enum(OPEN_PURPOSES), caseNumber: CaseNumber.optional(), folders: z.boolean().optional() }).strict(),
    'Ask for files (or folders) with the native open dialog; returns a token per choice, never a path.',
  ),
  chooseSaveLocation: channel<FileRef | null>()(
    z.object({ purpose: z.enum(SAVE_PURPOSES), caseNumber: CaseNumber }).strict(),
    'Ask where to save with the native save dialog; returns a token for that location, or null when cancelled.',
  ),
} satisfies Record<string, ChannelDef>;

/**
 * Channels only the preload calls, never exposed to the renderer as methods:
 * the preload turns dropped File objects into paths with Electron's
 * webUtils.getPathForFile (which yields nothing for a File made by script),
 * and main answers with tokens.
 */
export const preloadContract = {
  grantDroppedFiles: channel<{ files: FileRef[] }>()(
    z.object({ paths: z.array(text().min(1).max(4096)).min(1).max(1000) }).strict(),
    'Files the user dropped on the window, resolved by the preload.',
  ),
} satisfies Record<string, ChannelDef>;
