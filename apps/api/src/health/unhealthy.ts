type IndicatorResults = Record<string, { status: string; message?: string }>;

/** Some health indicator is down: answered as 503, naming each one and why. */
export class Unhealthy extends Error {
  constructor(readonly failing: IndicatorResults) {
    super(
      'Unhealthy: ' +
        Object.entries(failing)
          .map(
            ([name, result]) =>
              `${name} is ${result.status}${result.message ? ` (${result.message})` : ''}`,
          )
          .join('; '),
    );
    this.name = 'Unhealthy';
  }
}
