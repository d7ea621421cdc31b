import { promises as fs } from 'node:fs';
import * as path from 'node:path';

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
  name?: string,
): Promise<string> {
  if (name !== undefined) return chooseNamedPath(dir, name, ownedBy);
  const base = videoFileName(prompt, taskId).replace(/\.mp4$/, '');
  for (let n = 0; ; n++) {
    const candidate = path.join(dir, `${n ? `${base}-${n}` : base}.mp4`);
    const sidecar = sidecarPathFor(candidate);
    if (!(await exists(candidate)) && !(await exists(sidecar))) return candidate;
    if (await ownedBy(sidecar)) return candidate;
  }
}

/**
 * A video with a fixed name (a prompt file's `intro.mp4`), so documents that embed it keep working when
 * it is made again. The take already there, made by another task, is kept under a name that says which
 * task made it (`intro.<task>.mp4`, with its sidecar), never overwritten.
 */
async function chooseNamedPath(dir: string, name: string, ownedBy: (sidecarPath: string) => Promise<boolean>): Promise<string> {
  const target = path.join(dir, `${name}.mp4`);
  const sidecar = sidecarPathFor(target);
  if (!(await exists(target)) && !(await exists(sidecar))) return target;
  if (await ownedBy(sidecar)) return target;
  const previous = await previousTaskId(sidecar);
  for (let n = 0; ; n++) {
    const kept = path.join(dir, `${name}.${taskIdSuffix(previous ?? 'previous')}${n ? `-${n}` : ''}.mp4`);
    if (await exists(kept)) continue;
    if (await exists(target)) await fs.rename(target, kept);
    if (await exists(sidecar)) await fs.rename(sidecar, sidecarPathFor(kept));
    return target;
  }
}

async function previousTaskId(sidecar: string): Promise<string | undefined> {
  try {
    const id = (JSON.parse(await fs.readFile(sidecar, 'utf8')) as { taskId?: unknown }).taskId;
    return typeof id === 'string' && id !== '' ? id : undefined;
  } catch {
    return undefined;
  }
}
