import type { z } from 'zod';
import { contract, type ChannelName, type ParsedInputOf, type ResultOf } from '../../common/contract';
import type { JobRecord } from '../../common/contract/jobs';
import { createHandlers, type Handlers } from '../ipc/handlers';
import type { Services } from '../services';
import type { CliIo } from './context';
import { parseInput } from './parse';

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

/** One progress line: label, percentage, amount, rate and time left, in the job's own unit. */
export function progressLine(r: JobRecord): string {
  const amount = (n: number) => (r.unit === 'bytes' ? mib(n) : String(Math.round(n)));
  const pct = r.total ? ` ${Math.floor((r.done / r.total) * 100)}%` : '';
  const rate = r.rate > 0 ? `, ${amount(r.rate)}${r.unit === 'bytes' ? '' : ` ${r.unit}`}/s` : '';
  const eta = r.etaSeconds != null ? `, ${Math.ceil(r.etaSeconds)} s left` : '';
  return `${r.label}:${pct} ${amount(r.done)}${r.total ? ` of ${amount(r.total)}` : ''}${rate}${eta}${r.message ? ` (${r.message})` : ''}`;
}

/**
 * The CLI's side of "one door per operation": the same handlers the app's
 * IPC calls, reached with the same validation.
 */
export function cliDoor(services: () => Services, io: CliIo) {
  let handlers: Handlers | undefined;
  return {
    async op<K extends ChannelName>(name: K, raw: Record<string, unknown>, schema?: z.ZodType<ParsedInputOf<K>>): Promise<ResultOf<K>> {
      const input = parseInput(schema ?? (contract[name].input as unknown as z.ZodType<ParsedInputOf<K>>), raw);
      handlers ??= createHandlers(services());
      return (await (handlers[name] as (i: ParsedInputOf<K>) => ResultOf<K> | Promise<ResultOf<K>>)(input)) as ResultOf<K>;
    },
    grant(filePath: string, purpose: 'read' | 'write', options?: { overwrite?: boolean }): string {
      return services().core.grants.grant(filePath, purpose, options).token;
    },
    async waitJob<T>(jobId: string): Promise<T> {
      const s = services();
      let last = 0;
      const off = s.core.events.subscribe((event, payload) => {
        const r = payload as JobRecord;
        if (event !== 'jobProgress' || r.id !== jobId || r.state !== 'running' || r.done === 0 || Date.now() - last < 1000) return;
        last = Date.now();
        io.err(progressLine(r));
      });
      try {
        return await s.core.jobs.wait<T>(jobId);
      } finally {
        off();
      }
    },
  };
}
