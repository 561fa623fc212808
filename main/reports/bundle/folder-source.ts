import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BundleRefusal, type BundleSource } from './safe-zip';

/**
 * A received case's kept bundle (`received/<case>/`), read like the archive
 * it came from so it can be re-verified any time: only regular files, no
 * links, every read bounded by the size the manifest lists.
 */
export class FolderSource implements BundleSource {
  private readonly files: Map<string, string>;

  constructor(private readonly dir: string) {
    this.files = new Map();
    this.walk(dir, '');
  }

  private walk(abs: string, rel: string): void {
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      const name = rel ? `${rel}/${e.name}` : e.name;
      const p = path.join(abs, e.name);
      if (e.isSymbolicLink()) throw new BundleRefusal('symlink', `${name} in ${this.dir} is a symbolic link.`);
      if (e.isDirectory()) this.walk(p, name);
      else if (e.isFile()) this.files.set(name, p);
      else throw new BundleRefusal('unexpected-entry', `${name} in ${this.dir} is not a regular file.`);
    }
  }

  has(name: string): boolean {
    return this.files.has(name);
  }

  list(): string[] {
    return [...this.files.keys()];
  }

  async readSmall(name: string, max: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    await this.read(name, max, (c) => void chunks.push(c), true);
    return Buffer.concat(chunks);
  }

  stream(name: string, expectedSize: number, onData?: (chunk: Buffer) => void | Promise<void>): Promise<{ size: number; sha256: string }> {
    return this.read(name, expectedSize, onData, false);
  }

  private async read(
    name: string,
    max: number,
    onData: ((chunk: Buffer) => void | Promise<void>) | undefined,
    upTo: boolean,
  ): Promise<{ size: number; sha256: string }> {
    const file = this.files.get(name);
    if (!file) throw new BundleRefusal('missing-file', `${name} is listed but not in ${this.dir} (it was deleted).`);
    const fh = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    const hash = crypto.createHash('sha256');
    let size = 0;
    try {
      const buf = Buffer.allocUnsafe(1024 * 1024);
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        size += bytesRead;
        if (size > max)
          throw upTo
            ? new BundleRefusal('too-large', `${name} is larger than the ${max} bytes accepted for it.`)
            : new BundleRefusal('size-mismatch', `${name} holds more than the ${max} bytes the manifest lists (changed or padded file).`);
        const chunk = Buffer.from(buf.subarray(0, bytesRead));
        hash.update(chunk);
        if (onData) await onData(chunk);
      }
    } finally {
      await fh.close();
    }
    if (!upTo && size !== max) throw new BundleRefusal('size-mismatch', `${name} holds ${size} bytes; the manifest lists ${max}.`);
    return { size, sha256: hash.digest('hex') };
  }

  close(): void {
    // nothing held open between reads
  }
}
