import { canTho2025 } from './can-tho-2025.js';
import { type DemoRow } from './demo-row.js';
import { dongNai2025 } from './dong-nai-2025.js';
import { haiPhong2024 } from './hai-phong-2024.js';
import { publishedFigures } from './published-figures.js';

/**
 * The whole demo scenario, in the order it must be recorded. The reports' published figures
 * come last: they name units the provinces register, and earlier rows keep their batches.
 */
export function demoScenario(): DemoRow[] {
  return [...haiPhong2024(), ...canTho2025(), ...dongNai2025(), ...publishedFigures()];
}
