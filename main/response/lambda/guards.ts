import { defineGuards } from '../executors/guard';
import { read } from '../executors/context';
import { readerOf } from '../read-config';
import { readReserved } from './evidence';

/**
 * How each Lambda containment call tells that its effect is in place:
 * the reserved concurrency read back equals the request (Delete: none
 * reserved); a mapping is (or is turning) the way the request wants it.
 * Lambda refuses to update a mapping mid-transition (ResourceInUseException):
 * the check after that failure reads the transition, and one heading the
 * right way counts as done.
 */
defineGuards('lambda', {
  PutFunctionConcurrency: {
    checks: ['lambda:GetFunctionConcurrency'],
    async inPlace(ctx, p) {
      const now = await readReserved(readerOf(ctx), String(p.FunctionName));
      return now === p.ReservedConcurrentExecutions ? { saw: { ReservedConcurrentExecutions: now } } : null;
    },
  },
  DeleteFunctionConcurrency: {
    checks: ['lambda:GetFunctionConcurrency'],
    async inPlace(ctx, p) {
      return (await readReserved(readerOf(ctx), String(p.FunctionName))) === null ? { saw: { ReservedConcurrentExecutions: null } } : null;
    },
  },
  UpdateEventSourceMapping: {
    checks: ['lambda:GetEventSourceMapping'],
    async inPlace(ctx, p) {
      const m = await read<{ State?: string }>(ctx, 'lambda', 'GetEventSourceMapping', { UUID: p.UUID });
      const want = p.Enabled === false ? ['Disabled', 'Disabling'] : ['Enabled', 'Enabling'];
      return want.includes(m.State ?? '') ? { saw: { UUID: p.UUID, State: m.State } } : null;
    },
  },
});
