import { contract, type Envelope } from '../../common/contract';
import type { ChannelDef } from '../../common/contract/define';
import { toErrorInfo } from '../core/errors';
import type { Handlers, PreloadHandlers } from './handlers';

export interface DispatchLog {
  error(message: string, err: unknown): void;
}

/**
 * The single entry point for every transport (Electron IPC, the test
 * WebSocket, contract tests): unknown channel or invalid input is refused with
 * a structured error before any service sees it; service errors become
 * `{ code, message, hint }`.
 */
export async function dispatch(
  handlers: Handlers | PreloadHandlers,
  channel: string,
  raw: unknown,
  log?: DispatchLog,
  table: Record<string, ChannelDef> = contract,
): Promise<Envelope<unknown>> {
  if (!Object.hasOwn(table, channel) || !Object.hasOwn(handlers, channel)) {
    return {
      ok: false,
      error: {
        code: 'unknown-channel',
        message: `There is no operation called "${channel}".`,
        hint: 'This is a bug in the caller; update Lariat.',
      },
    };
  }
  const name = channel;
  const parsed = table[name]!.input.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`);
    return {
      ok: false,
      error: {
        code: 'invalid-input',
        message: `${name} was refused: ${issues.join('; ')}.`,
        hint: 'Correct the highlighted values and try again; nothing was changed.',
      },
    };
  }
  try {
    const handler = (handlers as Record<string, (input: unknown) => unknown>)[name]!;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    const info = toErrorInfo(err);
    if (info.code === 'internal') log?.error(`handler ${name} failed`, err);
    return { ok: false, error: info };
  }
}
