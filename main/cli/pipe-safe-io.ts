import type { CliIo } from './context';

/**
 * Standard output that goes quiet when its reader goes away (`lariat timeline ... | head`): the rest of the
 * command's output is dropped instead of dying with an EPIPE stack trace, and the command still finishes
 * whatever it was recording. Standard error is treated the same way (progress lines are expendable).
 */
export function pipeSafeIo(stdout: NodeJS.WriteStream = process.stdout, stderr: NodeJS.WriteStream = process.stderr): CliIo {
  const closed = { out: false, err: false };
  const watch = (stream: NodeJS.WriteStream, key: 'out' | 'err') =>
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      closed[key] = true;
    });
  watch(stdout, 'out');
  watch(stderr, 'err');
  return {
    out: (t) => void (closed.out || stdout.write(`${t}\n`)),
    err: (t) => void (closed.err || stderr.write(`${t}\n`)),
  };
}
