import * as fs from 'node:fs';
import * as path from 'node:path';
import { measureActivation } from './activation';
import { measureBatch } from './batch';
import { measureCatalog } from './catalog';
import { notMeasured, type FigureResult } from './lib/figure';
import { describeMachine } from './lib/machine';
import { repoRoot } from './lib/paths';
import { figureSection } from './lib/table';
import { measureManyTasks } from './manyTasks';
import { measurePollStrategy } from './pollStrategy';
import { measurePromptPlan } from './promptPlan';
import { measureSize } from './size';
import { measureTransfer } from './transfer';

/** Every figure, in the order of the benchmark issue. Each runs in turn so none disturbs another's timing. */
const FIGURES: Array<[string, () => Promise<FigureResult>]> = [
  ['1. Activation time', measureActivation],
  ['2. Live model catalog', measureCatalog],
  ['3. Batch of 50 prompt files', measureBatch],
  ['4. Transfers', measureTransfer],
  ['5. Poll strategy (virtual clock)', measurePollStrategy],
  ['6. Many tasks at once', measureManyTasks],
  ['7. Bundle and package size', measureSize],
  ['8. Planning 200 prompt files', measurePromptPlan],
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const started = Date.now();
  const sections: string[] = [];
  let passed = 0;
  let failed = 0;
  for (const [title, measure] of FIGURES) {
    if (only.length && !only.some((o) => title.startsWith(o))) continue;
    const t0 = Date.now();
    console.error(`running ${title}…`);
    let fig: FigureResult;
    try {
      fig = await measure();
    } catch (error) {
      fig = notMeasured(title, error);
    }
    fig.notes.push(`Took ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
    for (const r of fig.rows) if (r.goal) r.goal.pass ? passed++ : failed++;
    const section = figureSection(fig);
    console.log(section);
    sections.push(section);
  }
  const header = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (bench/run.ts); each figure also runs alone with `node out/bench/<figure>.js`.',
    'Comparisons run side by side in one process run and are reported as medians of repetitions, because',
    'single timings on a shared machine are noisy. Nothing here is asserted by the test suite.',
    '`node out/bench/run.js 2 4` runs only the figures whose titles start with those numbers (RESULTS.md is',
    'then left alone); `node out/bench/manyTasks.js --profile` adds a CPU profile summary of the task host.',
    'The machine these figures come from is shared (2 cores, several engineers building and testing at the',
    'same time): timing, CPU and event-loop figures are noisy, which is why medians are shown.',
    '',
    ...describeMachine().map((l) => `- ${l}`),
    `- Total run time: ${((Date.now() - started) / 1000).toFixed(0)} s`,
    `- Goals: ${passed} pass, ${failed} fail`,
    '',
  ].join('\n');
  const doc = `${header}\n${sections.join('\n')}`;
  if (only.length === 0) fs.writeFileSync(path.join(repoRoot, 'bench', 'RESULTS.md'), doc);
  console.log(`\n${passed} goals pass, ${failed} fail${only.length ? ' (partial run: RESULTS.md not written)' : '; wrote bench/RESULTS.md'}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
