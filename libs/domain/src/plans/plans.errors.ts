import { AlreadyRecorded } from '../shared/errors.js';

export class PlanAlreadyAssigned extends AlreadyRecorded {
  constructor(planId: string) {
    super('plan', planId);
    this.message = `Plan '${planId}' is already assigned: revise it to change its target`;
  }
}
