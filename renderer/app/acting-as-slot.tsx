import { ActingAs } from '../features/actions/acting-as';

/** Who Lariat acts as in AWS, always visible: acting in the wrong account is the costliest mistake. */
export function ActingAsSlot() {
  return <ActingAs />;
}
