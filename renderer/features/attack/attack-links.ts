export { attackUrl } from './attack-url';
import { caseTabPath, navigate } from '../../lib/router';

/** Opens the case timeline filtered on a technique (rule tags and mapped GuardDuty finding types). */
export function showTechniqueEvents(caseNumber: string, technique: string): void {
  navigate(caseTabPath(caseNumber, 'timeline'), { technique });
}

/** Opens the findings of a GuardDuty finding type. */
export function showFindingType(caseNumber: string, type: string): void {
  navigate(caseTabPath(caseNumber, 'findings'), { type });
}
