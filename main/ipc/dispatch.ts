import { contract, type Envelope } from '../../common/contract';
import type { ChannelDef } from '../../common/contract/define';
import { AppError, toErrorInfo } from '../core/errors';
import type { Logger } from '../core/logger';
import type { Handlers, PreloadHandlers } from './handlers';

/** Where dispatch writes the refusals it makes itself (the operations log their own outcome). */
export type DispatchLog = Pick<Logger, 'warn' | 'error'>;

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
    log?.warn('op', { op: String(channel).slice(0, 100), ok: false, code: 'unknown-channel' });
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
    log?.warn('op', { op: name, ok: false, code: 'invalid-input' });
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
    // Handlers from createHandlers log and classify their own failures; a bare one is logged here.
    if (!(err instanceof AppError)) log?.error('op', { op: name, ok: false, code: 'internal', error: err });
    return { ok: false, error: toErrorInfo(err) };
  }
}
