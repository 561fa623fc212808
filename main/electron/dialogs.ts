import { BrowserWindow, dialog } from 'electron';
import type { Dialogs } from '../core/dialogs';

/** Native dialogs, parented to the focused Lariat window. */
export const electronDialogs: Dialogs = {
  async openFiles(options) {
    const win = BrowserWindow.getFocusedWindow();
    const props: ('openFile' | 'openDirectory' | 'multiSelections')[] = options.directories
      ? ['openDirectory', 'multiSelections']
      : ['openFile', 'multiSelections'];
    const result = win
      ? await dialog.showOpenDialog(win, { title: options.title, properties: props, filters: options.filters ?? [] })
      : await dialog.showOpenDialog({ title: options.title, properties: props, filters: options.filters ?? [] });
    return result.canceled ? [] : result.filePaths;
  },
  async saveFile(options) {
    const win = BrowserWindow.getFocusedWindow();
    // Every platform asks before replacing a file, so a granted save location may be overwritten.
    const opts = {
      title: options.title,
      defaultPath: options.defaultName,
      filters: options.filters ?? [],
      properties: ['showOverwriteConfirmation' as const, 'createDirectory' as const],
    };
    const result = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
    return result.canceled || !result.filePath ? null : result.filePath;
  },
  async confirm(options) {
    const win = BrowserWindow.getFocusedWindow();
    const opts = {
      type: 'question' as const,
      title: options.title,
      message: options.message,
      detail: options.detail,
      buttons: [options.yes, 'Cancel'],
      defaultId: 0,
      cancelId: 1,
      noLink: true,
    };
    const result = win ? await dialog.showMessageBox(win, opts) : await dialog.showMessageBox(opts);
    return result.response === 0;
  },
};
