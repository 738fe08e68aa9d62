import { RuleViolation, StateConflict } from '../shared/errors.js';

export class UnitMerged extends StateConflict {
  constructor(unitId: string, intoUnitId: string, field?: string) {
    super(`Unit '${unitId}' was merged into '${intoUnitId}' and takes no further changes`, field);
  }
}

export class UnitHierarchyCycle extends RuleViolation {
  constructor(unitId: string, parentId: string) {
    super(`Unit '${parentId}' lies under '${unitId}': moving would make a cycle`, 'parentId');
  }
}
