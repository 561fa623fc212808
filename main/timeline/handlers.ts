import type { Services } from '../services';
import type { HandlersFor } from '../ipc/handler-types';
import type { timelineContract } from '../../common/contract/timeline';

export function timelineHandlers(_s: Services): HandlersFor<typeof timelineContract> {
  return {};
}
