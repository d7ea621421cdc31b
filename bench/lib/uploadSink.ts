import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Stands in for Kie's file host for uploads larger than the simulator takes (it refuses bodies over
 * 48 MB before buffering them): drains the body without keeping it, counts the bytes, and answers the
 * way Kie's file-stream-upload does. Bench only.
 */
export async function startUploadSink(): Promise<{ url: string; received(): number; close(): Promise<void> }> {
  let received = 0;
  const server = http.createServer((req, res) => {
    req.on('data', (b: Buffer) => (received += b.length));
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ success: true, code: 200, msg: 'File uploaded successfully', data: { downloadUrl: `http://127.0.0.1/sink/${received}.png`, fileName: 'upload.png' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => received,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
