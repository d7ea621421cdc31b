// The project's Kie simulator, started in this Node process from the compiled core
// (out/src/simulator/server.js, built by `npm run compile`), plus a loopback control endpoint so
// tests running in another process (VS Code's extension host) can script it: POST {method, args}
// calls that method on the Simulator object and answers {result} or {error}.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { repoRoot } from './codeServer.mjs';

const CONTROL_METHODS = new Set([
  'count', 'scriptNextTasks', 'failNext', 'setCredits', 'expireResultUrls', 'setRateLimit', 'task', 'reset', 'requests',
  'setSoraEnabled', 'setUnpublishedModels', 'setSuccessRate', 'setDiscoveryLimit',
]);

export async function startSimulator(opts = {}) {
  const serverJs = path.join(repoRoot, 'out/src/simulator/server.js');
  if (!existsSync(serverJs)) throw new Error(`${serverJs} missing: run \`npm run compile\` first`);
  const { startSimulator: start } = createRequire(import.meta.url)(serverJs);
  // The integration and UI suites still submit Sora forms, so their Kie is the one of before June 2026
  // (Sora served); a suite that means today's Kie passes soraEnabled: false or calls setSoraEnabled(false).
  return start({ soraEnabled: true, ...opts });
}

/** Serves the control endpoint on 127.0.0.1:<random port>; resolves to { url, close }. */
export async function startControlServer(sim) {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const reply = (status, body) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      try {
        const { method, args = [] } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        if (req.method !== 'POST' || !CONTROL_METHODS.has(method)) return reply(404, { error: `unknown control method ${method}` });
        const result = method === 'requests' ? sim.requests : await sim[method](...args);
        reply(200, { result: result ?? null });
      } catch (e) {
        reply(500, { error: String(e?.stack ?? e) });
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
