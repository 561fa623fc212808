import type { Services } from '../services';
import type { HandlersFor } from '../ipc/handler-types';
import type { responseContract } from '../../common/contract/response';

export function responseHandlers(_s: Services): HandlersFor<typeof responseContract> {
  return {};
}
