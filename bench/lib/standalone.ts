import type { FigureResult } from './figure';
import { figureSection } from './table';

/** Lets each figure run alone (`node out/bench/<figure>.js`): prints its table, exits non-zero only on a crash. */
export function runStandalone(mod: NodeModule, measure: () => Promise<FigureResult>): void {
  if (require.main !== mod) return;
  measure().then(
    (fig) => {
      console.log(figureSection(fig));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
