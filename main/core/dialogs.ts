/**
 * Native file dialogs, injected so services never import Electron: the app
 * wires Electron's `dialog`, tests and the loopback transport wire a scripted
 * stand-in, the CLI has none (it takes paths as arguments).
 */
export interface Dialogs {
  openFiles(options: { title: string; directories?: boolean; filters?: { name: string; extensions: string[] }[] }): Promise<string[]>;
  saveFile(options: { title: string; defaultName: string; filters?: { name: string; extensions: string[] }[] }): Promise<string | null>;
}

/** A dialog stand-in that answers from queues the test fills. */
export class ScriptedDialogs implements Dialogs {
  readonly openQueue: string[][] = [];
  readonly saveQueue: (string | null)[] = [];

  async openFiles(): Promise<string[]> {
    return this.openQueue.shift() ?? [];
  }

  async saveFile(): Promise<string | null> {
    return this.saveQueue.shift() ?? null;
  }
}

export const noDialogs: Dialogs = {
  async openFiles() {
    return [];
  },
  async saveFile() {
    return null;
  },
};
