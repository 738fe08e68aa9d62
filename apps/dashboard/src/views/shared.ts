export const escape = (value: string) =>
  value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/** Today in Vietnam, YYYY-MM-DD. */
export const today = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

export type ChartHandle = { destroy(): void };

declare const Chart: new (canvas: HTMLCanvasElement, config: unknown) => ChartHandle;

export function chart(canvas: HTMLCanvasElement, config: unknown): ChartHandle {
  return new Chart(canvas, config);
}
