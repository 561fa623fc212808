import crypto from 'node:crypto';
import fs from 'node:fs';
import yauzl from 'yauzl';
import { AppError } from '../../core/errors';
import { SAFE_NAME, type ZipLimits } from './format';

/** A bundle refused for a stated reason; `code` names the check (path-traversal, zip-bomb, hash-mismatch...). */
export class BundleRefusal extends AppError {
  constructor(
    readonly check: string,
    message: string,
  ) {
    super(
      `bundle-${check}`,
      message,
      'Do not use this bundle. Ask the sender to export it again and send its SHA-256 by another channel; nothing was written.',
    );
  }
}

export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
  entry: yauzl.Entry;
  /** Where the entry's data starts, from its local header (checked against the central directory). */
  dataStart: number;
}

/** Where a bundle's files come from: the archive itself, or the folder a received case keeps. */
export interface BundleSource {
  has(name: string): boolean;
  list(): string[];
  readSmall(name: string, max: number): Promise<Buffer>;
  stream(name: string, expectedSize: number, onData?: (chunk: Buffer) => void | Promise<void>): Promise<{ size: number; sha256: string }>;
  close(): void;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * A zip archive opened for reading with every hostile trick refused before a
 * byte of content is read: absolute and `../` paths, backslashes, symlinks
 * (Unix mode in the external attributes), directory entries, duplicate (also
 * case-insensitively) names, encrypted or exotic entries, overlapping entries
 * (the non-recursive zip bomb), too many entries. While streaming, inflated
 * bytes are counted against the expected size, a ratio limit and a total
 * limit, never trusting the sizes the headers declare.
 */
export class SafeZip implements BundleSource {
  private inflatedTotal = 0;

  private constructor(
    private readonly zip: yauzl.ZipFile,
    readonly entries: Map<string, ZipEntryInfo>,
    private readonly limits: ZipLimits,
  ) {}

  static async open(file: string, limits: ZipLimits): Promise<SafeZip> {
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(file, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }, (err, z) =>
        err ? reject(err) : resolve(z),
      ),
    ).catch((err: Error) => {
      throw new BundleRefusal('not-a-zip', `The file is not a readable zip archive: ${err.message}.`);
    });
    try {
      if (zip.entryCount > limits.maxEntries)
        throw new BundleRefusal(
          'too-many-entries',
          `The archive declares ${zip.entryCount} entries; at most ${limits.maxEntries} are accepted.`,
        );
      const entries = await readCentralDirectory(zip, limits);
      checkOverlap([...entries.values()], false);
      checkLocalHeaders(file, entries);
      checkOverlap([...entries.values()], true);
      return new SafeZip(zip, entries, limits);
    } catch (err) {
      zip.close();
      throw err;
    }
  }

  close(): void {
    this.zip.close();
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  list(): string[] {
    return [...this.entries.keys()];
  }

  /** Reads a small entry fully (manifest, signature), refusing more than `max` inflated bytes. */
  async readSmall(name: string, max: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    await this.stream(name, max, (c) => void chunks.push(c), true);
    return Buffer.concat(chunks);
  }

  /**
   * Streams one entry through `onData`, stopping as soon as it inflates past
   * `expectedSize` (or, with `upTo`, past that maximum), the ratio limit or
   * the archive's total limit. Returns the real size and SHA-256.
   */
  async stream(
    name: string,
    expectedSize: number,
    onData?: (chunk: Buffer) => void | Promise<void>,
    upTo = false,
  ): Promise<{ size: number; sha256: string }> {
    const info = this.entries.get(name);
    if (!info) throw new BundleRefusal('missing-file', `${name} is listed but not in the archive.`);
    const stream = await new Promise<NodeJS.ReadableStream & { destroy(err?: Error): void }>((resolve, reject) =>
      this.zip.openReadStream(info.entry, (err, s) => (err ? reject(err) : resolve(s as never))),
    ).catch((err: Error) => {
      throw new BundleRefusal('corrupt-entry', `${name} cannot be read from the archive: ${err.message}.`);
    });
    const hash = crypto.createHash('sha256');
    let size = 0;
    const { maxRatio, ratioFloor, maxTotalBytes } = this.limits;
    try {
      for await (const raw of stream as AsyncIterable<Buffer>) {
        size += raw.length;
        this.inflatedTotal += raw.length;
        if (size > expectedSize) {
          throw upTo
            ? new BundleRefusal('too-large', `${name} is larger than the ${expectedSize} bytes accepted for it.`)
            : new BundleRefusal(
                'size-mismatch',
                `${name} holds more than the ${expectedSize} bytes the manifest lists (changed or padded file).`,
              );
        }
        if (size > ratioFloor && size / Math.max(1, info.compressedSize) > maxRatio) {
          throw new BundleRefusal(
            'zip-bomb',
            `${name} inflates more than ${maxRatio}:1 (${size} bytes from ${info.compressedSize}); refused as a zip bomb.`,
          );
        }
        if (this.inflatedTotal > maxTotalBytes) {
          throw new BundleRefusal('zip-bomb', `The archive inflates to more than ${maxTotalBytes} bytes in total; refused as a zip bomb.`);
        }
        hash.update(raw);
        if (onData) await onData(raw);
      }
    } catch (err) {
      stream.destroy();
      if (err instanceof AppError) throw err;
      const message = (err as Error).message;
      if (/too many bytes/i.test(message))
        throw new BundleRefusal('zip-bomb', `${name} inflates beyond the size its zip header declares (${message}); refused.`);
      throw new BundleRefusal('corrupt-entry', `${name} cannot be read from the archive: ${message}.`);
    }
    if (!upTo && size !== expectedSize)
      throw new BundleRefusal('size-mismatch', `${name} holds ${size} bytes; the manifest lists ${expectedSize}.`);
    return { size, sha256: hash.digest('hex') };
  }
}

function decodeName(entry: yauzl.Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  const utf8 = (entry.generalPurposeBitFlag & 0x800) !== 0;
  try {
    return utf8 ? new TextDecoder('utf-8', { fatal: true }).decode(raw) : raw.toString('latin1');
  } catch {
    throw new BundleRefusal('unsafe-name', 'An entry name is not valid UTF-8.');
  }
}

function checkEntry(entry: yauzl.Entry, name: string): void {
  const shown = JSON.stringify(name);
  const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (mode === S_IFLNK) throw new BundleRefusal('symlink', `Entry ${shown} is a symbolic link; bundles never contain links.`);
  if (name.includes('\\'))
    throw new BundleRefusal('path-traversal', `Entry ${shown} contains a backslash, which could escape the import folder on Windows.`);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw new BundleRefusal('absolute-path', `Entry ${shown} has an absolute path.`);
  if (name.split('/').some((s) => s === '..'))
    throw new BundleRefusal('path-traversal', `Entry ${shown} climbs out of the import folder with "..".`);
  if (name.endsWith('/')) throw new BundleRefusal('unexpected-entry', `Entry ${shown} is a directory entry; bundles hold only files.`);
  if (!SAFE_NAME.test(name) || name.length > 255) throw new BundleRefusal('unsafe-name', `Entry ${shown} has a name Lariat never writes.`);
  if (entry.extraFields.some((f) => f.id === 0x7075))
    throw new BundleRefusal('unsafe-name', `Entry ${shown} carries a second (Unicode path) name.`);
  if (entry.isEncrypted()) throw new BundleRefusal('encrypted', `Entry ${shown} is encrypted.`);
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)
    throw new BundleRefusal('unsupported', `Entry ${shown} uses compression method ${entry.compressionMethod}.`);
}

async function readCentralDirectory(zip: yauzl.ZipFile, limits: ZipLimits): Promise<Map<string, ZipEntryInfo>> {
  const entries = new Map<string, ZipEntryInfo>();
  const folded = new Set<string>();
  let declared = 0;
  await new Promise<void>((resolve, reject) => {
    zip.on('error', (err: Error) =>
      reject(err instanceof AppError ? err : new BundleRefusal('not-a-zip', `The archive's directory is corrupt: ${err.message}.`)),
    );
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      try {
        if (entries.size + 1 > limits.maxEntries)
          throw new BundleRefusal('too-many-entries', `The archive holds more than ${limits.maxEntries} entries.`);
        const name = decodeName(entry);
        checkEntry(entry, name);
        if (folded.has(name.toLowerCase()))
          throw new BundleRefusal('duplicate-name', `Entry ${JSON.stringify(name)} appears more than once.`);
        folded.add(name.toLowerCase());
        declared += entry.uncompressedSize;
        if (declared > limits.maxTotalBytes)
          throw new BundleRefusal('zip-bomb', `The archive declares more than ${limits.maxTotalBytes} bytes in total.`);
        entries.set(name, { name, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize, entry, dataStart: 0 });
        zip.readEntry();
      } catch (err) {
        reject(err);
      }
    });
    zip.readEntry();
  });
  return entries;
}

/**
 * Every local header must say what the central directory says (name, flags,
 * method, and CRC and sizes unless they follow the data): a zip whose two
 * directories disagree shows different content to different tools.
 */
function checkLocalHeaders(file: string, entries: Map<string, ZipEntryInfo>): void {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const head = Buffer.alloc(30);
    for (const info of entries.values()) {
      const e = info.entry;
      const shown = JSON.stringify(info.name);
      const at = e.relativeOffsetOfLocalHeader;
      const mismatch = (what: string): BundleRefusal =>
        new BundleRefusal('header-mismatch', `Entry ${shown}: its local header disagrees with the central directory (${what}).`);
      if (at + 30 > size || fs.readSync(fd, head, 0, 30, at) !== 30 || head.readUInt32LE(0) !== 0x04034b50)
        throw mismatch('no local header where the directory points');
      const flags = head.readUInt16LE(6);
      if (flags !== e.generalPurposeBitFlag) throw mismatch('flags');
      if (head.readUInt16LE(8) !== e.compressionMethod) throw mismatch('compression method');
      const nameLength = head.readUInt16LE(26);
      const extraLength = head.readUInt16LE(28);
      const name = Buffer.alloc(nameLength);
      if (fs.readSync(fd, name, 0, nameLength, at + 30) !== nameLength || !name.equals(e.fileName as unknown as Buffer))
        throw mismatch('name');
      if (!(flags & 0x08)) {
        if (head.readUInt32LE(14) !== e.crc32) throw mismatch('CRC-32');
        const zip64 = head.readUInt32LE(18) === 0xffffffff || head.readUInt32LE(22) === 0xffffffff;
        if (!zip64 && (head.readUInt32LE(18) !== e.compressedSize || head.readUInt32LE(22) !== e.uncompressedSize)) throw mismatch('sizes');
      }
      info.dataStart = at + 30 + nameLength + extraLength;
      if (info.dataStart + e.compressedSize > size) throw mismatch('its data runs past the end of the file');
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Two entries sharing bytes is how non-recursive zip bombs multiply one deflate stream; Lariat never writes that. */
function checkOverlap(list: ZipEntryInfo[], exact: boolean): void {
  const sorted = [...list].sort((a, b) => a.entry.relativeOffsetOfLocalHeader - b.entry.relativeOffsetOfLocalHeader);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const end = exact
      ? prev.dataStart + prev.compressedSize + (prev.entry.generalPurposeBitFlag & 0x08 ? 12 : 0)
      : prev.entry.relativeOffsetOfLocalHeader + 30 + prev.entry.fileNameLength + prev.compressedSize;
    if (end > sorted[i]!.entry.relativeOffsetOfLocalHeader) {
      throw new BundleRefusal(
        'zip-bomb',
        `Entries ${JSON.stringify(prev.name)} and ${JSON.stringify(sorted[i]!.name)} overlap in the archive (a zip-bomb construction).`,
      );
    }
  }
}
