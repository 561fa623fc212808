import { useMutation, useQuery, useQueryClient, type UseQueryOptions } from '@tanstack/react-query';
import type { ChannelName, ErrorInfo, EventName, InputOf, LariatApi, PayloadOf, ResultOf } from '../../common/contract';

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

/** A query over one channel, keyed by channel and input; refreshed when main says the case changed. */
export function useCall<K extends ChannelName>(
  name: K,
  input: InputOf<K>,
  options: Omit<UseQueryOptions<ResultOf<K>, ApiError>, 'queryKey' | 'queryFn'> = {},
) {
  return useQuery<ResultOf<K>, ApiError>({ queryKey: [name, input], queryFn: () => call(name, input), ...options });
}

/** A mutation over one channel; on success every query is refreshed. */
export function useAction<K extends ChannelName>(name: K) {
  const client = useQueryClient();
  return useMutation<ResultOf<K>, ApiError, InputOf<K>>({
    mutationFn: (input) => call(name, input),
    onSuccess: () => client.invalidateQueries(),
  });
}
