import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KieClient } from '../src/core/kie/kieClient';
import { MODELS_PATH } from '../src/core/kie/discoveryApi';
import { ModelCatalog } from '../src/core/models/modelCatalog';
import { startSimulator, type RecordedRequest } from '../src/simulator/server';
import { atMost, below, kb, ms, row, type FigureResult } from './lib/figure';
import { BENCH_MODEL } from './lib/simTask';
import { runStandalone } from './lib/standalone';
import { startThrottleProxy } from './lib/throttleProxy';

const TITLE = '2. Live model catalog';
const WARM_FORM_LIMIT_MS = 300;

interface Session {
  /** load() + ensureSchema(shown model) + list(): what the form needs before it can show its fields. */
  formReadyMs: number;
  /** Until the background refresh({force: true}) the form starts has also settled. */
  refreshedMs: number;
  requests: number;
  bytes: number;
  models: number;
  source: string;
  /** Most of this session's own discovery requests in any 1 s (by arrival at the simulator). */
  peak: number;
  /** Smallest gap between two of this session's requests, by arrival. */
  minGapMs: number;
  /** What was asked, in order, with the simulator's status. */
  asked: string[];
  log: string[];
}

function minGap(reqs: RecordedRequest[]): number {
  const at = reqs.map((r) => r.at).sort((a, b) => a - b);
  let gap = Infinity;
  for (let i = 1; i < at.length; i++) gap = Math.min(gap, at[i] - at[i - 1]);
  return gap;
}

/** Most discovery requests that fell in any 1 s window (sliding, by arrival time at the simulator). */
function maxPerSecond(reqs: RecordedRequest[]): number {
  const at = reqs.map((r) => r.at).sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while (at[i] - at[j] >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

export async function measureCatalog(): Promise<FigureResult> {
  const sim = await startSimulator({ defaultDurationMs: 50 });
  // The catalog's client talks through a counting relay (no shaping) so bytes on the wire are counted.
  const relay = await startThrottleProxy(Number(new URL(sim.url).port), 1e12);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sora-bench-cat-'));
  const base = `http://127.0.0.1:${relay.port}`;
  const client = new KieClient({ apiBaseUrl: base, uploadBaseUrl: `${base}/upload-host`, imgbbBaseUrl: `${base}/imgbb`, apiKey: sim.apiKey });
  const cacheFile = path.join(dir, 'model-catalog.json');
  const discovery = (): RecordedRequest[] => sim.requests.filter((r) => r.path.startsWith(MODELS_PATH));
  try {
    await client.getCredits(); // connection and HTTP stack warm, as after the extension's first request
    const session = async (): Promise<Session> => {
      const before = discovery().length;
      const bytes0 = relay.bytesDown();
      const t0 = performance.now();
      const log: string[] = [];
      const catalog = new ModelCatalog({ discovery: async () => client, cacheFile, log: (l) => log.push(l) });
      await catalog.load();
      const refreshing = catalog.refresh({ force: true });
      await catalog.ensureSchema(BENCH_MODEL);
      const models = catalog.list().length;
      const formReadyMs = performance.now() - t0;
      await refreshing;
      const refreshedMs = performance.now() - t0;
      const mine = discovery().slice(before);
      return { formReadyMs, refreshedMs, peak: maxPerSecond(mine), minGapMs: minGap(mine), asked: mine.map((r) => `${r.path.slice(MODELS_PATH.length) || '/'} ${r.status ?? 'no answer'}`), log, requests: mine.length, bytes: relay.bytesDown() - bytes0, models, source: catalog.info().source };
    };
    const cold = await session();
    const warm = await session();
    const warm2 = await session();
    const all = discovery();
    const peak = maxPerSecond(all);
    // Kie answers a refused discovery call with HTTP 200 and envelope code 429; the catalog logs each one.
    const refused = [...cold.log, ...warm.log, ...warm2.log].filter((l) => /\(429\b/.test(l)).length;
    const fmt = (s: Session): string => `${s.requests} requests, ${kb(s.bytes)}; form ready ${ms(s.formReadyMs)}, refresh settled ${ms(s.refreshedMs)} (${s.models} models, source ${s.source})`;
    return {
      title: TITLE,
      rows: [
        row('first use (no cache)', fmt(cold)),
        row('cache warm (new session, cache from the first)', fmt(warm)),
        row('cache warm, third session', fmt(warm2)),
        row('warm: time to a ready form (core path)', ms(warm.formReadyMs), below(warm.formReadyMs, WARM_FORM_LIMIT_MS, '< 300 ms')),
        row(
          'discovery requests in any 1 s, within one session (one catalog)',
          `${Math.max(cold.peak, warm.peak, warm2.peak)} (smallest gap by arrival ${ms(Math.min(cold.minGapMs, warm.minGapMs, warm2.minGapMs), 0)})`,
          atMost(Math.max(cold.peak, warm.peak, warm2.peak), 1, '≤ 1 per s'),
        ),
        row('discovery requests in any 1 s, whole log (3 sessions back to back)', `${peak} (of ${all.length}; ${refused} refused with code 429)`, atMost(peak, 1, '≤ 1 per s')),
      ],
      notes: [
        `src/core/models/modelCatalog.ts against the simulator's discovery API (${MODELS_PATH}...), each session a new ModelCatalog on the same cache file, as a new window would make. Requests and their arrival times come from the simulator's request log; bytes are counted on the wire (headers included) by a relay between client and simulator.`,
        `"Form ready" is measured in Node, not in the real VS Code: the Generate form (src/vscode/generate/generatePanel.ts) reads ModelCatalog, and what is timed is what it needs before it can show its fields: \`load()\` (the cache), \`ensureSchema('${BENCH_MODEL}')\` for the model it shows, and \`list()\`; the \`refresh({force: true})\` the form starts runs in the background (its settling time is the second figure). The webview's own render in the editor is not timed here.`,
        ...(peak > 1
          ? [`Why the whole-log figure fails: the 1 s spacing is per ModelCatalog (its own DiscoveryBudget), i.e. per window. The three sessions here start back to back, as windows opened together would; each new session's forced refresh sends its list request at once, within a second of the previous session's last request. Sharing the budget across windows (e.g. a timestamp in the cache file) would fix it.`]
          : []),
        `Requests per session (path under ${MODELS_PATH}, status): first use ${cold.asked.join(', ')}; warm ${warm.asked.join(', ') || 'none'}; third ${warm2.asked.join(', ') || 'none'}. Catalog log lines: ${[...cold.log, ...warm.log, ...warm2.log].join(' | ') || 'none'}.`,
        ...(Math.max(cold.peak, warm.peak, warm2.peak) > 1
          ? ['Why the per-session figure fails: DiscoveryBudget spaces requests by when they are sent, while Kie (and the simulator) count by arrival; on this loaded machine a request sent 1000 ms after the previous one can arrive a few ms less than a second after it, and is refused (code 429, see the log lines): the refused call is a wasted request and its data is missing until the next session. A margin of some tens of ms in the budget would absorb it.']
          : []),
        ...(warm.formReadyMs >= WARM_FORM_LIMIT_MS
          ? [`Why the warm form can miss 300 ms: when the shown model's schema is not in the cache (first use did not get it, see the log lines above), ensureSchema waits in the same 1 s queue behind the forced refresh's list request, so the form waits ${ms(warm.formReadyMs, 0)}. The form would be ready at once if it showed bundled fields and fetched the schema in the background.`]
          : []),
        'The catalog spaces discovery requests by its DiscoveryBudget (1 s gap), so on first use the shown model\'s schema waits for the list request before it: the cold form time is mostly that second of spacing, not transfer.',
      ],
    };
  } finally {
    await client.close();
    await relay.close();
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runStandalone(module, measureCatalog);
