import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { framePathFor } from './frameImage';

/**
 * Output file names: `<slug-of-prompt>-<taskId-suffix>.mp4`, readable in a file list, unique per task,
 * and safe on Windows, macOS and Linux.
 */

const MAX_SLUG = 40;
/** Letters from scripts that have no ASCII spelling but are safe in file names on every platform. */
const KEEP = /[a-z0-9\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

export function promptSlug(prompt: string): string {
  const folded = prompt.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  let slug = '';
  for (const ch of folded) slug += KEEP.test(ch) ? ch : '-';
  slug = slug.replace(/-+/g, '-').replace(/^-|-$/g, '');
  const chars = [...slug];
  if (chars.length > MAX_SLUG) {
    const cut = chars.slice(0, MAX_SLUG).join('');
    // Prefer ending on a whole word when one ends reasonably late.
    const lastDash = cut.lastIndexOf('-');
    slug = lastDash >= MAX_SLUG / 2 ? cut.slice(0, lastDash) : cut.replace(/-$/, '');
  }
  return slug || 'video';
}

/** The last 8 file-name-safe characters of Kie's task id. */
export function taskIdSuffix(taskId: string): string {
  const safe = taskId.toLowerCase().replace(/[^a-z0-9]/g, '');
  return safe.slice(-8) || 'task';
}

export function videoFileName(prompt: string, taskId: string): string {
  return `${promptSlug(prompt)}-${taskIdSuffix(taskId)}.mp4`;
}

/** `clip.mp4` → `clip.json`. */
export function sidecarPathFor(videoPath: string): string {
  return videoPath.replace(/\.mp4$/i, '') + '.json';
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * The path to save a task's video at in `dir`: the plain name, unless another file already has it, in
 * which case `-1`, `-2`… is added. A file whose sidecar names the same taskId is this task's own earlier
 * attempt and is reused, so a retried download does not multiply copies.
 */
export async function chooseVideoPath(
  dir: string,
  prompt: string,
  taskId: string,
  ownedBy: (sidecarPath: string) => Promise<boolean>,
): Promise<string> {
  const base = videoFileName(prompt, taskId).replace(/\.mp4$/, '');
  for (let n = 0; ; n++) {
    const candidate = path.join(dir, `${n ? `${base}-${n}` : base}.mp4`);
    const sidecar = sidecarPathFor(candidate);
    if (!(await exists(candidate)) && !(await exists(sidecar))) return candidate;
    if (await ownedBy(sidecar)) return candidate;
  }
}

/** A video moved aside so another take can have the plain name. */
export interface DisplacedVideo {
  from: string;
  to: string;
}

async function freeName(dir: string, base: string): Promise<string> {
  for (let n = 0; ; n++) {
    const candidate = path.join(dir, `${n ? `${base}-${n}` : base}.mp4`);
    if (!(await exists(candidate)) && !(await exists(sidecarPathFor(candidate)))) return candidate;
  }
}

/**
 * Renames a video with its sidecar, keeping the sidecar's `file` field true, and its first-frame
 * thumbnail, which would otherwise be shown for whichever take gets the name next. (The saved last
 * frame stays: a prompt file may name it as its image.)
 */
async function moveVideo(from: string, to: string): Promise<void> {
  await fs.rename(from, to);
  if (await exists(framePathFor(from, 'thumb'))) await fs.rename(framePathFor(from, 'thumb'), framePathFor(to, 'thumb'));
  const sidecar = sidecarPathFor(from);
  if (!(await exists(sidecar))) return;
  await fs.rename(sidecar, sidecarPathFor(to));
  try {
    const data = JSON.parse(await fs.readFile(sidecarPathFor(to), 'utf8')) as Record<string, unknown>;
    if (typeof data === 'object' && data !== null && typeof data.file === 'string') {
      data.file = path.basename(to);
      await fs.writeFile(sidecarPathFor(to), JSON.stringify(data, null, 2) + '\n', 'utf8');
    }
  } catch {
    // A sidecar that is not ours to read keeps its contents; only its name followed the video.
  }
}

/**
 * Frees `<dir>/<name>.mp4` for a take of task `taskId`, for videos named after their prompt file
 * (`intro.video.md` → `intro.mp4`), so documents embedding the video keep working when it is made again.
 * The take already there is kept, renamed after the task that made it (`intro.<taskid8>.mp4`, read from
 * its sidecar; `intro.previous.mp4` when it has none), never overwritten.
 */
export async function claimNamedVideoPath(
  dir: string,
  name: string,
  taskId: string,
  taskIdOf: (sidecarPath: string) => Promise<string | undefined>,
): Promise<{ target: string; displaced?: DisplacedVideo }> {
  const target = path.join(dir, `${name}.mp4`);
  if (!(await exists(target)) && !(await exists(sidecarPathFor(target)))) return { target };
  const owner = await taskIdOf(sidecarPathFor(target));
  if (owner === taskId) return { target };
  if (!(await exists(target))) {
    // A sidecar without its video: nothing to keep but the sidecar, which is moved with its name.
    const to = await freeName(dir, `${name}.${owner ? taskIdSuffix(owner) : 'previous'}`);
    await fs.rename(sidecarPathFor(target), sidecarPathFor(to));
    return { target };
  }
  const to = await freeName(dir, `${name}.${owner ? taskIdSuffix(owner) : 'previous'}`);
  await moveVideo(target, to);
  return { target, displaced: { from: target, to } };
}

/**
 * Makes `chosen` (a take of task `taskId`) the canonical `<dir>/<name>.mp4`: the current canonical
 * take is renamed after its task first. Returns every move, for the task history.
 */
export async function promoteTake(
  dir: string,
  name: string,
  chosen: string,
  taskId: string,
  taskIdOf: (sidecarPath: string) => Promise<string | undefined>,
): Promise<DisplacedVideo[]> {
  const target = path.join(dir, `${name}.mp4`);
  if (path.resolve(chosen) === path.resolve(target)) return [];
  const moves: DisplacedVideo[] = [];
  const { displaced } = await claimNamedVideoPath(dir, name, taskId, taskIdOf);
  if (displaced) moves.push(displaced);
  await moveVideo(chosen, target);
  moves.push({ from: chosen, to: target });
  return moves;
}
