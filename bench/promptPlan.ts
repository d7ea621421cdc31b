import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { planBatch, type PlanSources } from '../src/core/prompts/batchPlan';
import { modelLookup } from '../src/core/prompts/modelLookup';
import { PromptLock } from '../src/core/prompts/promptLock';
import { atMost, row, type FigureResult } from './lib/figure';
import { runStandalone } from './lib/standalone';
import { median } from './lib/stats';

const FILES = 200;
const IMAGES = 20;
const RUNS = 7;

/** A PNG of `bytes` bytes: the signature, then filler, so each image hashes differently. */
function png(seed: number, bytes = 256 * 1024): Buffer {
  const b = Buffer.alloc(bytes, seed & 0xff);
  Buffer.from('89504e470d0a1a0a', 'hex').copy(b);
  return b;
}

/**
 * Planning 200 prompt files (what "Generate All Prompt Files in Folder" does before it asks): read each
 * file, parse its front matter, check it against its model's spec, hash its inputs (a tenth of them with
 * a 256 KB image of their own, every image read whole), and compare with the lock. No network: the model
 * catalog is read once (the bundled one) before timing starts.
 */
export async function measurePromptPlan(): Promise<FigureResult> {
  const title = '8. Planning 200 prompt files';
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-prompts-'));
  try {
    const models = modelLookup();
    models.spec('veo3_fast');
    for (let i = 0; i < IMAGES; i++) await fs.writeFile(path.join(dir, `frame${i}.png`), png(i));
    const files: string[] = [];
    for (let i = 0; i < FILES; i++) {
      const file = path.join(dir, `shot${String(i).padStart(3, '0')}.video.md`);
      const image = i % (FILES / IMAGES) === 0 ? `image: frame${i / (FILES / IMAGES)}.png\n` : '';
      const model = image ? 'veo3_fast' : ['veo3_fast', 'kling-3.0/video', 'bytedance/seedance-2', 'wan/2-7-text-to-video'][i % 4];
      await fs.writeFile(file, `---\nmodel: ${model}\nduration: 8\nresolution: ${model === 'kling-3.0/video' ? 'pro' : '720p'}\n${image}---\n\nShot ${i}: a lighthouse at dusk, waves below, seen from the cliff.\n`);
      files.push(file);
    }
    const lock = await PromptLock.open(path.join(dir, '.sora-lock.json'));
    const sources = async (): Promise<PlanSources> => ({
      files: await Promise.all(files.map(async (file) => ({ file, text: await fs.readFile(file, 'utf8') }))),
      lockEntry: (f) => lock.get(f),
      tasks: [],
      models,
      exists: (p) => fs.access(p).then(() => true, () => false),
      lockPath: (_f, rel) => lock.absolute(rel),
      budget: 5000,
    });
    const cold: number[] = [];
    let plan = await planBatch(await sources());
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      plan = await planBatch(await sources());
      cold.push(performance.now() - t0);
    }
    // Half the files up to date: the lock names a video that exists.
    await fs.writeFile(path.join(dir, 'done.mp4'), 'video');
    for (const e of plan.entries.filter((_, i) => i % 2 === 0)) {
      await lock.update(e.file, () => ({ hash: e.hash!, batchId: 'bench', at: '', tasks: [{ id: 'x', output: 'done.mp4' }], output: 'done.mp4' }));
    }
    const warm: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      await lock.reload();
      plan = await planBatch(await sources());
      warm.push(performance.now() - t0);
    }
    const coldMs = median(cold);
    const warmMs = median(warm);
    return {
      title,
      rows: [
        row('Plan of 200 files, no lock (median of 7)', `${coldMs.toFixed(0)} ms`, atMost(coldMs, 1000, '≤ 1 s')),
        row('Plan of 200 files, half up to date (median of 7)', `${warmMs.toFixed(0)} ms`, atMost(warmMs, 1000, '≤ 1 s')),
        row('Files to generate / up to date in the last plan', `${plan.counts.generate} / ${plan.counts.upToDate}`),
        row('Network requests', '0 (the bundled catalog, read once before timing)'),
      ],
      notes: [`${FILES} files, ${IMAGES} of them with a 256 KB PNG of their own; every run reads every file and image from disk.`],
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

runStandalone(module, measurePromptPlan);
