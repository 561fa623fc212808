import type { z } from 'zod';
import type { ChannelDef } from '../../common/contract/define';

/** Handlers for one feature's slice of the contract: validated input in, result out. */
export type HandlersFor<C extends Record<string, ChannelDef>> = {
  [K in keyof C]: (input: z.output<C[K]['input']>) => ResultOfDef<C[K]> | Promise<ResultOfDef<C[K]>>;
};

type ResultOfDef<D> = D extends ChannelDef<z.ZodType, infer R> ? R : never;
