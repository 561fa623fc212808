import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { RawReader } from '../../../main/timeline/raw-reader';
import { tempDir } from '../../helpers/services';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A vault folder with two plain files and a gzip copy, each holding numbered records on their own lines. */
function vault(): { dir: string; records: { rel: string; offset: number; length: number; text: string }[] } {
  const dir = tempDir();
  dirs.push(dir);
  const records: { rel: string; offset: number; length: number; text: string }[] = [];
  for (const rel of ['a.json', 'sub/b.json', 'c.json.gz']) {
    let body = '';
    for (let i = 0; i < 50; i++) {
      const text = JSON.stringify({ file: rel, n: i, pad: 'é'.repeat(i) });
      records.push({ rel, offset: Buffer.byteLength(body), length: Buffer.byteLength(text), text });
      body += text + '\n';
    }
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), rel.endsWith('.gz') ? zlib.gzipSync(body) : body);
  }
  return { dir, records };
}

describe('RawReader', () => {
  it('reads the same bytes record by record and whole file by whole file, whatever the order of the files', () => {
    const { dir, records } = vault();
    const each = new RawReader(dir);
    const whole = new RawReader(dir, { wholeFiles: true });
    // In order (a rescan), then jumping between files (the reader must not serve a record from the file it holds).
    const jumbled = records.map((_, i) => records[(i * 37) % records.length]!);
    for (const r of [...records, ...jumbled]) {
      expect(whole.read(r.rel, r.offset, r.length).toString('utf8')).toBe(r.text);
      expect(each.read(r.rel, r.offset, r.length).toString('utf8')).toBe(r.text);
    }
    each.close();
    whole.close();
  });

  it('says which vault copy is missing, in both modes', () => {
    const { dir } = vault();
    for (const reader of [new RawReader(dir), new RawReader(dir, { wholeFiles: true })]) {
      expect(() => reader.read('gone.json', 0, 10)).toThrow(/vault copy gone\.json .* cannot be read/);
      reader.close();
    }
  });
});
