import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors';
import { deniedError } from '../core/readable';

/** What a command reads a small file for, to say so when it cannot (`the note body`, `checkpoint`...). */
export interface InputFile {
  /** What the file is, for the message: "the note body", "the checkpoint". */
  what: string;
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** What to give instead, for the hint. */
  hint: string;
}

const mib = (n: number) => (n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MiB` : `${Math.round(n / 1024)} KiB`);

/**
 * Reads a small file a command was given (a note body, a checkpoint, a plan, a certificate): a missing path, a
 * folder, a device or a pipe, or a file past the size a command reads, is refused with what it is and what to
 * give instead. Read raw, these ended as unexpected errors (`ENOENT`, `EISDIR`, and `Invalid string length`
 * after reading /dev/zero until memory ran out). `-` reads standard input, up to the same size.
 */
export async function readInputFile(file: string, spec: InputFile): Promise<Buffer> {
  if (file === '-') return readStdin(spec);
  const abs = path.resolve(file);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch (err) {
    const denied = deniedError(`${spec.what} file`, abs, err);
    if (denied) throw denied;
    throw new AppError('file-missing', `${spec.what} file ${abs} does not exist.`, spec.hint);
  }
  if (!st.isFile())
    throw new AppError('invalid-input', `${spec.what} file ${abs} is not a regular file (a folder, device or pipe).`, spec.hint);
  if (st.size > spec.maxBytes)
    throw new AppError(
      'invalid-input',
      `${spec.what} file ${abs} holds ${st.size} bytes, more than the ${mib(spec.maxBytes)} read.`,
      spec.hint,
    );
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(abs);
  } catch (err) {
    throw deniedError(`${spec.what} file`, abs, err) ?? err;
  }
  // The file grew between the check and the read.
  if (bytes.length > spec.maxBytes)
    throw new AppError('invalid-input', `${spec.what} file ${abs} holds more than the ${mib(spec.maxBytes)} read.`, spec.hint);
  return bytes;
}

/** Reads a small file as UTF-8 text (see readInputFile). */
export async function readInputText(file: string, spec: InputFile): Promise<string> {
  return (await readInputFile(file, spec)).toString('utf8');
}

async function readStdin(spec: InputFile): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of process.stdin) {
    n += (chunk as Buffer).length;
    if (n > spec.maxBytes)
      throw new AppError('invalid-input', `${spec.what} on standard input is more than the ${mib(spec.maxBytes)} read.`, spec.hint);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A custody checkpoint (two short lines) kept from a report, export or bundle. */
export const CHECKPOINT_FILE: InputFile = {
  what: 'The checkpoint',
  maxBytes: 64 * 1024,
  hint: 'Give a checkpoint file written by a report, an export or a bundle (lariat custody checkpoint writes one).',
};
/** An RFC 3161 time-stamp response. */
export const TSR_FILE: InputFile = {
  what: 'The time-stamp response',
  maxBytes: 256 * 1024,
  hint: 'Give the .tsr file the time-stamp authority returned for the checkpoint.',
};
/** A PEM certificate of a time-stamp authority. */
export const TSA_CERT_FILE: InputFile = {
  what: 'The time-stamp authority certificate',
  maxBytes: 1024 * 1024,
  hint: 'Give the authority’s certificate (or its CA’s) in PEM form.',
};
/** A counter-signed custody transfer draft. */
export const TRANSFER_DRAFT_FILE: InputFile = {
  what: 'The transfer draft',
  maxBytes: 1024 * 1024,
  hint: 'Give the draft printed by `lariat custody transfer --prepare`, as saved.',
};
/** A note's Markdown body (a note holds up to 200,000 characters). */
export const NOTE_BODY_FILE: InputFile = {
  what: 'The note body',
  maxBytes: 800_000,
  hint: 'Give a Markdown file of at most 200,000 characters, or - to read standard input.',
};
