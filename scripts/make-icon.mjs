#!/usr/bin/env node
// Draws media/icon.png, the 128x128 Marketplace / Open VSX icon: the activity-bar glyph (a camera with a
// play mark) in white on a violet-to-blue rounded square, with a small spark for "generated". Drawn
// from geometry (4x4 supersampling for smooth edges) and written by a minimal PNG encoder, so the
// icon can be regenerated without an image editor: node scripts/make-icon.mjs
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from './lib/png.mjs';

const SIZE = 128;
const SS = 4;
const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../media/icon.png');

const insideRoundRect = (x, y, x0, y0, x1, y1, r) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= x0 && x <= x1 && y >= y0 && y <= y1;
};
/** Inside a convex polygon given clockwise (in screen coordinates). */
const insidePolygon = (x, y, pts) =>
  pts.every(([ax, ay], i) => {
    const [bx, by] = pts[(i + 1) % pts.length];
    return (bx - ax) * (y - ay) - (by - ay) * (x - ax) >= 0;
  });
/** A four-pointed spark: |dx|^p + |dy|^p <= r^p with p < 1 gives concave sides. */
const insideSpark = (x, y, cx, cy, r) => Math.abs(x - cx) ** 0.55 + Math.abs(y - cy) ** 0.55 <= r ** 0.55;

function colorAt(x, y) {
  // background: rounded square, diagonal gradient violet (#7c3aed) to blue (#2563eb)
  if (!insideRoundRect(x, y, 4, 4, 124, 124, 26)) return null;
  const t = (x + y) / 256;
  let c = [124 + (37 - 124) * t, 58 + (99 - 58) * t, 237 + (235 - 237) * t];
  const white = [255, 255, 255];
  // camera body (outline 7 px) and lens wedge, after the 24 px glyph scaled by 4 and centred
  const body = insideRoundRect(x, y, 18, 38, 82, 94, 10);
  const bodyHole = insideRoundRect(x, y, 25, 45, 75, 87, 4);
  const lens = insidePolygon(x, y, [[84, 56], [110, 41], [110, 91], [84, 76]]);
  const play = insidePolygon(x, y, [[41, 52], [62, 66], [41, 80]]);
  const spark = insideSpark(x, y, 104, 22, 13);
  if ((body && !bodyHole) || lens || play || spark) c = white;
  return c;
}

const rows = [];
for (let py = 0; py < SIZE; py++) {
  const row = Buffer.alloc(1 + SIZE * 4);
  for (let px = 0; px < SIZE; px++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = colorAt(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
        if (!c) continue;
        r += c[0];
        g += c[1];
        b += c[2];
        a++;
      }
    }
    const o = 1 + px * 4;
    if (a) {
      row[o] = Math.round(r / a);
      row[o + 1] = Math.round(g / a);
      row[o + 2] = Math.round(b / a);
    }
    row[o + 3] = Math.round((a / (SS * SS)) * 255);
  }
  rows.push(row);
}

writeFileSync(out, encodePng(SIZE, SIZE, 6, Buffer.concat(rows), { level: 9 }));
console.log(`wrote ${path.relative(process.cwd(), out)}`);
