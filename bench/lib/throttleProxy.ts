import * as net from 'node:net';

/**
 * A TCP relay to 127.0.0.1:targetPort that lets the answer direction through at `bytesPerSecond` (a token
 * bucket refilled every 2 ms, bursts of at most 20 ms of data): a link shaped like a real one, shared by
 * every contender so the comparison is fair. The request direction is not shaped. Also counts the bytes
 * answered (headers included), for figures of bytes on the wire.
 */
export async function startThrottleProxy(targetPort: number, bytesPerSecond: number): Promise<{ port: number; bytesDown(): number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let down = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.pipe(upstream);
    const queue: Buffer[] = [];
    let allowance = 0;
    let last = performance.now();
    let upstreamEnded = false;
    const burst = bytesPerSecond * 0.02;
    const timer = setInterval(() => {
      const now = performance.now();
      allowance = Math.min(burst, allowance + ((now - last) / 1000) * bytesPerSecond);
      last = now;
      while (queue.length > 0 && allowance >= 1) {
        const head = queue[0];
        const n = Math.min(head.length, Math.floor(allowance));
        client.write(head.subarray(0, n));
        allowance -= n;
        if (n === head.length) queue.shift();
        else queue[0] = head.subarray(n);
      }
      if (queue.length < 4 && upstream.isPaused()) upstream.resume();
      if (queue.length === 0 && upstreamEnded) {
        clearInterval(timer);
        client.end();
      }
    }, 2);
    upstream.on('data', (b: Buffer) => {
      down += b.length;
      queue.push(b);
      if (queue.length > 16) upstream.pause();
    });
    upstream.on('end', () => (upstreamEnded = true));
    const done = (): void => {
      clearInterval(timer);
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    upstream.on('error', done);
    client.on('error', done);
    client.on('close', done);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    bytesDown: () => down,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
