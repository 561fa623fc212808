import { useMutation, useQuery, useQueryClient, type QueryClient, type UseQueryOptions } from '@tanstack/react-query';
import type { ChannelName, ErrorInfo, EventName, InputOf, LariatApi, PayloadOf, ResultOf } from '../../common/contract';
import { ChangeQueue, changesOfMutation } from './changes';

declare global {
  interface Window {
    lariat: LariatApi;
  }
}

/** A refused or failed call, carrying the user-facing message and hint. */
export class ApiError extends Error {
  readonly code: string;
  readonly hint: string;
  constructor(info: ErrorInfo) {
    super(info.message);
    this.code = info.code;
    this.hint = info.hint;
  }
}

/** Calls one contract channel through `window.lariat`, throwing ApiError on refusal. */
export async function call<K extends ChannelName>(name: K, input: InputOf<K>): Promise<ResultOf<K>> {
  const method = window.lariat[name] as (i: InputOf<K>) => Promise<{ ok: true; value: ResultOf<K> } | { ok: false; error: ErrorInfo }>;
  const envelope = await method(input);
  if (!envelope.ok) throw new ApiError(envelope.error);
  return envelope.value;
}

export function onEvent<E extends EventName>(name: E, listener: (payload: PayloadOf<E>) => void): () => void {
  return window.lariat.on(name, listener);
}

const queues = new WeakMap<QueryClient, ChangeQueue>();

/** The one queue of changes per query client: `caseChanged` events and successful mutations feed it. */
export function changeQueue(client: QueryClient): ChangeQueue {
  let q = queues.get(client);
  if (!q) queues.set(client, (q = new ChangeQueue(client)));
  return q;
}

/** The key of a query over one channel: its name, then its input (which names the case it reads). */
export const queryKeyOf = <K extends ChannelName>(name: K, input: InputOf<K>) => [name, input] as const;

/** A query over one channel; refreshed when main (or a mutation) says that what it shows changed. */
export function useCall<K extends ChannelName>(
  name: K,
  input: InputOf<K>,
  options: Omit<UseQueryOptions<ResultOf<K>, ApiError>, 'queryKey' | 'queryFn'> = {},
) {
  return useQuery<ResultOf<K>, ApiError>({ queryKey: queryKeyOf(name, input), queryFn: () => call(name, input), ...options });
}

/**
 * A mutation over one channel; on success the queries showing what it changed are refreshed (see
 * `changes.ts`). `then` runs after success even if the calling component has unmounted meanwhile (a
 * callback given to `mutate()` would not), e.g. to navigate to what was just created.
 */
export function useAction<K extends ChannelName>(name: K, then?: (result: ResultOf<K>, input: InputOf<K>) => void) {
  const client = useQueryClient();
  return useMutation<ResultOf<K>, ApiError, InputOf<K>>({
    mutationFn: (input) => call(name, input),
    onSuccess: (result, input) => {
      changeQueue(client).push(...changesOfMutation(name, input));
      then?.(result, input);
    },
  });
}
