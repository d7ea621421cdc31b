import { startSimulator, type RecordedRequest, type SimulatorOptions } from './server';

/**
 * `npm run simulator`: a local stand-in for Kie.ai and imgbb, to try the extension without spending
 * credits. It enforces Kie's real rate limits so the extension is exercised as it will be live.
 */

const USAGE = `Usage: node dist/simulator.js [--port <n>] [--key <k>] [--duration <ms> | --run-time-scale <f>] [--credits <n>]
                              [--sora] [--large-video-bytes <n>] [--quiet]

  --port <n>               port on 127.0.0.1 (default 8787; 0 picks a free one)
  --key <k>                API key the simulator accepts (default sim-test-key)
  --duration <ms>          how long a generation takes (default 20000)
  --run-time-scale <f>     instead, each model takes its typical run time on Kie times f (e.g. 0.1)
  --credits <n>            starting credit balance (default 10000)
  --sora                   serve the sora-2-* models as Kie did before June 2026 (default: they answer
                           500 "This interface is temporarily paused", as Kie does today)
  --large-video-bytes <n>  serve a generated result of this size instead of the sample clip
  --quiet                  do not print each request`;

function printRequest(r: RecordedRequest): void {
  const query = Object.entries(r.query)
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const time = new Date(r.at).toISOString().slice(11, 19);
  console.log(`${time} ${r.method} ${r.path}${query ? `?${query}` : ''} -> ${r.status ?? 'dropped'}${r.auth === 'invalid' ? ' (wrong key)' : ''}`);
}

function parseArgs(argv: string[]): SimulatorOptions {
  const opts: SimulatorOptions = {
    port: 8787,
    defaultDurationMs: 20_000,
    rateLimitPerSecond: 10,
    createTasksPer10s: 20,
    logLimit: 10_000,
    onRequest: printRequest,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (flag === '--quiet') {
      opts.onRequest = undefined;
      continue;
    }
    if (flag === '--sora') {
      opts.soraEnabled = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    const number = (): number => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a non-negative integer, got ${value}`);
      return n;
    };
    if (flag === '--port') opts.port = number();
    else if (flag === '--key') opts.apiKey = value;
    else if (flag === '--duration') opts.defaultDurationMs = number();
    else if (flag === '--credits') opts.credits = number();
    else if (flag === '--large-video-bytes') opts.largeVideoBytes = number();
    else if (flag === '--run-time-scale') {
      const f = Number(value);
      if (!Number.isFinite(f) || f <= 0) throw new Error(`${flag} needs a positive number, got ${value}`);
      opts.runTimeScale = f;
    }
    else throw new Error(`unknown flag ${flag}`);
  }
  return opts;
}

async function main(): Promise<void> {
  let opts: SimulatorOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const sim = await startSimulator(opts);
  const settings = { 'sora.apiBaseUrl': sim.url, 'sora.uploadBaseUrl': sim.uploadUrl, 'sora.imgbbBaseUrl': sim.imgbbUrl };
  console.log(`Kie simulator listening on ${sim.url}
  discovery:   ${sim.url}/api/v1/models (1 request a second, as on Kie)
  upload host: ${sim.uploadUrl}
  imgbb:       ${sim.imgbbUrl}
  test key:    ${sim.apiKey}
  Sora 2:      ${opts.soraEnabled ? 'served (--sora)' : 'paused, as on Kie since June 2026 (--sora serves it)'}

Point the extension at it (settings.json):
${JSON.stringify(settings, null, 2)}
and use the key above (Sora: Set API Key), or for scripts:
  KIE_API_KEY=${sim.apiKey}

${opts.runTimeScale === undefined ? `Generations take ${opts.defaultDurationMs} ms.` : `Generations take each model's typical run time x ${opts.runTimeScale}.`} Ctrl+C stops.`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping (${sim.requests.length} requests served)`);
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`simulator failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
