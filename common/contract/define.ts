import type { z } from 'zod';

/**
 * One entry of the IPC contract: the zod schema that every input must pass
 * before it reaches a service, and (as a phantom type) what the call returns.
 */
export interface ChannelDef<I extends z.ZodType = z.ZodType, R = unknown> {
  readonly input: I;
  readonly description: string;
  /** Phantom: never set at runtime; carries the result type. */
  readonly __result?: R;
}

/** `channel<Result>()(inputSchema, 'what it does')` - curried so the result type can be named while the input is inferred. */
export function channel<R>() {
  return <I extends z.ZodType>(input: I, description: string): ChannelDef<I, R> => ({ input, description });
}

/** An event main pushes to the renderer (progress, live updates). */
export interface EventDef<P = unknown> {
  readonly description: string;
  readonly __payload?: P;
}

export function event<P>(description: string): EventDef<P> {
  return { description };
}
