import type { Services } from '../services';
import type { HandlersFor } from '../ipc/handler-types';
import type { custodyContract } from '../../common/contract/custody';

export function custodyHandlers(_s: Services): HandlersFor<typeof custodyContract> {
  return {};
}
