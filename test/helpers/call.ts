import type { ChannelName, Envelope, InputOf, ResultOf } from '../../common/contract';
import { dispatch } from '../../main/ipc/dispatch';
import type { Handlers } from '../../main/ipc/handlers';

/** `dispatch` with the channel's result type: the same validation and error mapping as IPC, typed for assertions. */
export async function call<K extends ChannelName>(handlers: Handlers, name: K, input: InputOf<K>): Promise<Envelope<ResultOf<K>>> {
  return (await dispatch(handlers, name, input)) as Envelope<ResultOf<K>>;
}
