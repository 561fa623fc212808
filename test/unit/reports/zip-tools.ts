import fs from 'node:fs';
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import yazl from 'yazl';

/** Every entry of a zip as name → bytes (trusted test input only). */
export async function readZip(file: string): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true }, (e, z) => (e ? reject(e) : resolve(z))),
  );
  const out = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, async (err, s) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        for await (const c of s) chunks.push(c as Buffer);
        out.set(entry.fileName, Buffer.concat(chunks));
        zip.readEntry();
      });
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  zip.close();
  return out;
}

/** Writes entries (in order) as a zip with yazl, as a tamperer re-packing a bundle would. */
export async function writeZip(file: string, entries: Map<string, Buffer>, modes: Record<string, number> = {}): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, bytes] of entries) zip.addBuffer(bytes, name, { mode: modes[name] ?? 0o100644 });
  zip.end();
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.pipe(fs.createWriteStream(file)).on('close', resolve).on('error', reject);
  });
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface RawEntry {
  /** Raw name bytes: anything, including `../x` and `/etc/x`, which zip libraries refuse to write. */
  name: string;
  data: Buffer;
  deflate?: boolean;
  /** Unix mode stored in the external attributes (e.g. 0o120777 for a symlink). */
  mode?: number;
  /** Lie about the inflated size in the headers. */
  declaredSize?: number;
  /** Point this central-directory record at the local header of an earlier entry (overlap bomb). */
  sameDataAs?: number;
}

/** Hand-writes a zip archive byte by byte, so tests can build archives no well-behaved library would. */
export function handZip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  entries.forEach((e, i) => {
    const name = Buffer.from(e.name, 'utf8');
    const body = e.deflate ? zlib.deflateRawSync(e.data) : e.data;
    const crc = crc32(e.data);
    const size = e.declaredSize ?? e.data.length;
    let localOffset = offset;
    if (e.sameDataAs !== undefined) {
      localOffset = offsets[e.sameDataAs]!;
    } else {
      const h = Buffer.alloc(30);
      h.writeUInt32LE(0x04034b50, 0);
      h.writeUInt16LE(20, 4);
      h.writeUInt16LE(0x800, 6);
      h.writeUInt16LE(e.deflate ? 8 : 0, 8);
      h.writeUInt32LE(crc, 14);
      h.writeUInt32LE(body.length, 18);
      h.writeUInt32LE(size, 22);
      h.writeUInt16LE(name.length, 26);
      locals.push(h, name, body);
      offset += 30 + name.length + body.length;
    }
    offsets.push(localOffset);
    const src = e.sameDataAs !== undefined ? entries[e.sameDataAs]! : e;
    const srcBody = src.deflate ? zlib.deflateRawSync(src.data) : src.data;
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE((3 << 8) | 20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x800, 8);
    c.writeUInt16LE(src.deflate ? 8 : 0, 10);
    c.writeUInt32LE(crc32(src.data), 16);
    c.writeUInt32LE(srcBody.length, 20);
    c.writeUInt32LE(src.declaredSize ?? src.data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    c.writeUInt32LE(localOffset, 42);
    centrals.push(c, name);
    void i;
  });
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
