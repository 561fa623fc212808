import type { OpenPurpose, SavePurpose } from '../../common/contract/files';
import type { FileRef } from '../../common/contract';
import { ApiError, call } from './api';

/**
 * The renderer's side of file access: it asks main to show a dialog, or hands
 * dropped File objects to the preload, and gets back opaque tokens with
 * display names. It never sees or sends a path.
 */
export async function chooseFiles(purpose: OpenPurpose, options: { caseNumber?: string; folders?: boolean } = {}): Promise<FileRef[]> {
  return (await call('chooseFiles', { purpose, ...options })).files;
}

export async function chooseSaveLocation(purpose: SavePurpose, caseNumber: string): Promise<FileRef | null> {
  return call('chooseSaveLocation', { purpose, caseNumber });
}

/** Tokens for the files of a drop; folders or content from another app have no file behind them and are left out. */
export async function droppedFiles(files: FileList | File[]): Promise<{ files: FileRef[]; skipped: number }> {
  const list = Array.from(files);
  const envelope = await window.lariat.dropFiles(list);
  if (!envelope.ok) throw new ApiError(envelope.error);
  return { files: envelope.value.files, skipped: list.length - envelope.value.files.length };
}

export const tokens = (files: FileRef[]): string[] => files.map((f) => f.token);
