/**
 * Native file dialogs, injected so services never import Electron: the app
 * wires Electron's `dialog`, tests and the loopback transport wire a scripted
 * stand-in, the CLI has none (it takes paths as arguments).
 */
export interface Dialogs {
  openFiles(options: { title: string; directories?: boolean; filters?: { name: string; extensions: string[] }[] }): Promise<string[]>;
  saveFile(options: { title: string; defaultName: string; filters?: { name: string; extensions: string[] }[] }): Promise<string | null>;
  /**
   * A native yes/no question, drawn by the main process: what a compromised renderer cannot answer
   * for the investigator (it confirms files dropped on the window before Lariat may read them).
   */
  confirm(options: { title: string; message: string; detail: string; yes: string }): Promise<boolean>;
}

/** A dialog stand-in that answers from queues the test fills. */
export class ScriptedDialogs implements Dialogs {
  readonly openQueue: string[][] = [];
  readonly saveQueue: (string | null)[] = [];
  /** Answers to `confirm`, in order; yes when empty. */
  readonly confirmQueue: boolean[] = [];
  readonly confirmed: { message: string; detail: string }[] = [];

  async openFiles(): Promise<string[]> {
    return this.openQueue.shift() ?? [];
  }

  async saveFile(): Promise<string | null> {
    return this.saveQueue.shift() ?? null;
  }

  async confirm(options: { message: string; detail: string }): Promise<boolean> {
    this.confirmed.push({ message: options.message, detail: options.detail });
    return this.confirmQueue.shift() ?? true;
  }
}

export const noDialogs: Dialogs = {
  async openFiles() {
    return [];
  },
  async saveFile() {
    return null;
  },
  // No one to ask, and nothing to protect: without a window there is no renderer and no drop.
  async confirm() {
    return true;
  },
};
