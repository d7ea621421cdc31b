import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * An "audible preview": the same video stream, copied bit for bit, with the audio converted to Opus,
 * which VS Code's webviews can play (they cannot decode AAC, the audio of nearly every generated
 * video). Made by ffmpeg into the extension's cache; the original file is only ever read.
 */

/** How many previews the cache keeps; the least recently made ones beyond it are deleted. */
const KEEP_PREVIEWS = 12;
/** A stuck ffmpeg (a network mount, a huge file) is stopped rather than left running. */
const FFMPEG_TIMEOUT_MS = 10 * 60_000;

/**
 * The ffmpeg to run: `configured` (the machine-scoped setting) when it names an executable file,
 * otherwise the first `ffmpeg` on PATH. Undefined when there is none.
 */
export async function findFfmpeg(configured: string | undefined, envPath = process.env.PATH ?? ''): Promise<string | undefined> {
  const wanted = configured?.trim();
  if (wanted) return path.isAbsolute(wanted) && (await isExecutable(wanted)) ? wanted : undefined;
  const names = process.platform === 'win32' ? ['ffmpeg.exe', 'ffmpeg'] : ['ffmpeg'];
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (await isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    if (!(await fs.stat(file)).isFile()) return false;
    await fs.access(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where the preview of `videoPath` goes: named by the video's path, size and modification time, so an
 * edited or regenerated video gets a new preview and an unchanged one reuses its own.
 */
export async function audiblePreviewPath(cacheDir: string, videoPath: string): Promise<string> {
  const stat = await fs.stat(videoPath);
  const key = createHash('sha256').update(`${path.resolve(videoPath)}\0${stat.size}\0${stat.mtimeMs}`).digest('hex').slice(0, 16);
  const stem = path.basename(videoPath).replace(/\.mp4$/i, '').slice(0, 60);
  return path.join(cacheDir, `${stem}-${key}.mp4`);
}

/** The preview made earlier for this exact file, if the cache still has it. */
export async function existingAudiblePreview(cacheDir: string, videoPath: string): Promise<string | undefined> {
  try {
    const preview = await audiblePreviewPath(cacheDir, videoPath);
    return (await fs.stat(preview)).size > 0 ? preview : undefined;
  } catch {
    return undefined;
  }
}

export class FfmpegError extends Error {
  constructor(
    message: string,
    /** The last lines ffmpeg wrote to stderr, for the log. */
    readonly detail: string,
  ) {
    super(message);
    this.name = 'FfmpegError';
  }
}

/**
 * Makes (or reuses) the audible preview of `videoPath` in `cacheDir` and returns its path. ffmpeg
 * writes to a temporary name that is renamed only once it succeeded, so a half-written preview is
 * never played.
 */
export async function makeAudiblePreview(ffmpeg: string, videoPath: string, cacheDir: string): Promise<string> {
  await fs.mkdir(cacheDir, { recursive: true });
  const out = await audiblePreviewPath(cacheDir, videoPath);
  if (await existingAudiblePreview(cacheDir, videoPath)) return out;
  const tmp = `${out}.${randomBytes(4).toString('hex')}.tmp.mp4`;
  try {
    // `file:` keeps ffmpeg from reading a path as a protocol or an option; only the first video and
    // audio streams are kept, the video copied untouched.
    await run(ffmpeg, [
      '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
      '-i', `file:${videoPath}`,
      '-map', '0:v:0', '-map', '0:a:0',
      '-c:v', 'copy', '-c:a', 'libopus', '-b:a', '128k',
      '-movflags', '+faststart', '-f', 'mp4',
      `file:${tmp}`,
    ]);
    await fs.rename(tmp, out);
  } finally {
    await fs.rm(tmp, { force: true });
  }
  await prune(cacheDir, out).catch(() => undefined);
  return out;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    const timer = setTimeout(() => child.kill(), FFMPEG_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new FfmpegError(`ffmpeg could not be started: ${err.message}`, ''));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else {
        const lastLine = stderr.trim().split('\n').pop() ?? '';
        reject(new FfmpegError(signal ? `ffmpeg was stopped (${signal})` : `ffmpeg failed (exit code ${code})${lastLine ? `: ${lastLine}` : ''}`, stderr.trim()));
      }
    });
  });
}

/** Deletes the oldest previews beyond KEEP_PREVIEWS, never `keep` (the one just made). */
async function prune(cacheDir: string, keep: string): Promise<void> {
  const entries = await fs.readdir(cacheDir);
  const previews: { file: string; mtimeMs: number }[] = [];
  for (const name of entries) {
    if (!name.endsWith('.mp4') || name.includes('.tmp.')) continue;
    const file = path.join(cacheDir, name);
    previews.push({ file, mtimeMs: (await fs.stat(file)).mtimeMs });
  }
  previews.sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const { file } of previews.slice(KEEP_PREVIEWS)) if (file !== keep) await fs.rm(file, { force: true });
}
