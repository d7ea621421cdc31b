import { promises as fs } from 'fs';

export type AudioCodec = 'aac' | 'opus' | 'mp3' | 'none' | 'unknown';

/**
 * Finds the codec of the first audio track of an MP4 by walking its boxes
 * (moov → trak → mdia → hdlr/minf → stbl → stsd). VS Code's desktop build cannot decode AAC, so the
 * player needs to know before it shows a preview that will be silent.
 *
 * Only box headers and the few small boxes that matter are read: a video's `mdat` can be gigabytes and
 * is skipped by seeking past it. Anything malformed yields 'unknown' rather than an exception.
 */
export async function detectAudioCodec(filePath: string): Promise<AudioCodec> {
  const file = await fs.open(filePath, 'r');
  try {
    const { size } = await file.stat();
    const reader = new BoxReader(file, size);
    const moov = await reader.find(0, size, 'moov');
    if (!moov) return 'unknown';
    for (const trak of await reader.children(moov.bodyStart, moov.end, 'trak')) {
      const mdia = await reader.find(trak.bodyStart, trak.end, 'mdia');
      if (!mdia) continue;
      if ((await reader.handlerType(mdia)) !== 'soun') continue;
      const stsd = await reader.findPath(mdia, ['minf', 'stbl', 'stsd']);
      return stsd ? codecOfSampleDescription(await reader.body(stsd)) : 'unknown';
    }
    return 'none';
  } catch (e) {
    if (e instanceof MalformedMp4) return 'unknown';
    throw e;
  } finally {
    await file.close();
  }
}

class MalformedMp4 extends Error {}

interface Box {
  type: string;
  start: number;
  bodyStart: number;
  end: number;
}

/** Boxes worth reading whole; anything larger than this where a small box belongs is corrupt. */
const MAX_SMALL_BOX = 1024 * 1024;
/** Guards against a crafted file with millions of empty boxes. */
const MAX_BOXES_PER_LEVEL = 10_000;

class BoxReader {
  constructor(
    private readonly file: fs.FileHandle,
    private readonly fileSize: number,
  ) {}

  private async read(position: number, length: number): Promise<Buffer> {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await this.file.read(buf, 0, length, position);
    if (bytesRead < length) throw new MalformedMp4('short read');
    return buf;
  }

  /** Yields the boxes laid end to end in [start, end). */
  private async *boxes(start: number, end: number): AsyncGenerator<Box> {
    let pos = start;
    for (let n = 0; pos + 8 <= end; n++) {
      if (n >= MAX_BOXES_PER_LEVEL) throw new MalformedMp4('too many boxes');
      const head = await this.read(pos, 8);
      let size = head.readUInt32BE(0);
      const type = head.toString('latin1', 4, 8);
      let bodyStart = pos + 8;
      if (size === 1) {
        size = Number((await this.read(pos + 8, 8)).readBigUInt64BE(0));
        bodyStart = pos + 16;
      } else if (size === 0) {
        size = end - pos;
      }
      const boxEnd = pos + size;
      if (size < bodyStart - pos || boxEnd > end || boxEnd > this.fileSize) throw new MalformedMp4(`bad size for ${type}`);
      yield { type, start: pos, bodyStart, end: boxEnd };
      pos = boxEnd;
    }
  }

  async find(start: number, end: number, type: string): Promise<Box | undefined> {
    for await (const box of this.boxes(start, end)) if (box.type === type) return box;
    return undefined;
  }

  async children(start: number, end: number, type: string): Promise<Box[]> {
    const found: Box[] = [];
    for await (const box of this.boxes(start, end)) if (box.type === type) found.push(box);
    return found;
  }

  async findPath(parent: Box, path: string[]): Promise<Box | undefined> {
    let box: Box | undefined = parent;
    for (const type of path) {
      box = await this.find(box.bodyStart, box.end, type);
      if (!box) return undefined;
    }
    return box;
  }

  async body(box: Box): Promise<Buffer> {
    const length = box.end - box.bodyStart;
    if (length > MAX_SMALL_BOX) throw new MalformedMp4(`${box.type} too large`);
    return this.read(box.bodyStart, length);
  }

  /** `hdlr` is a full box: version/flags (4), pre_defined (4), then the handler type. */
  async handlerType(mdia: Box): Promise<string | undefined> {
    const hdlr = await this.find(mdia.bodyStart, mdia.end, 'hdlr');
    if (!hdlr || hdlr.end - hdlr.bodyStart < 12) return undefined;
    return (await this.read(hdlr.bodyStart + 8, 4)).toString('latin1');
  }
}

/**
 * `stsd` body: version/flags (4), entry count (4), then sample entries (size, fourcc, …). The first
 * entry's fourcc names the codec, except `mp4a`, which is a generic MPEG-4 audio wrapper whose `esds`
 * says whether it holds AAC or MP3.
 */
function codecOfSampleDescription(stsd: Buffer): AudioCodec {
  if (stsd.length < 16) return 'unknown';
  const entrySize = stsd.readUInt32BE(8);
  const fourcc = stsd.toString('latin1', 12, 16);
  switch (fourcc) {
    case 'Opus':
      return 'opus';
    case '.mp3':
      return 'mp3';
    case 'mp4a':
      return mp4aCodec(stsd.subarray(8, Math.min(stsd.length, 8 + entrySize)));
    default:
      return 'unknown';
  }
}

/** MPEG-4 objectTypeIndication values (ISO/IEC 14496-1 registry) that mean MP3. */
const MP3_OBJECT_TYPES = new Set([0x69, 0x6b]);

function mp4aCodec(entry: Buffer): AudioCodec {
  const objectType = esdsObjectType(entry);
  return objectType !== undefined && MP3_OBJECT_TYPES.has(objectType) ? 'mp3' : 'aac';
}

/**
 * Reads objectTypeIndication from the `esds` inside an `mp4a` sample entry. The audio sample entry's
 * fixed fields are 28 bytes after the 8-byte header; QuickTime sound description versions 1 and 2
 * append 16 or 36 more before the child boxes.
 */
function esdsObjectType(entry: Buffer): number | undefined {
  if (entry.length < 36) return undefined;
  const version = entry.readUInt16BE(16);
  let pos = 36 + (version === 1 ? 16 : version === 2 ? 36 : 0);
  while (pos + 8 <= entry.length) {
    const size = entry.readUInt32BE(pos);
    const type = entry.toString('latin1', pos + 4, pos + 8);
    if (size < 8 || pos + size > entry.length) return undefined;
    if (type === 'esds') return decoderConfigObjectType(entry.subarray(pos + 12, pos + size));
    pos += size;
  }
  return undefined;
}

/** Walks the ES_Descriptor (tag 3) to its DecoderConfigDescriptor (tag 4), whose first byte is the type. */
function decoderConfigObjectType(d: Buffer): number | undefined {
  let pos = 0;
  const header = (): { tag: number; length: number } | undefined => {
    if (pos >= d.length) return undefined;
    const tag = d[pos++];
    let length = 0;
    for (let i = 0; i < 4 && pos < d.length; i++) {
      const b = d[pos++];
      length = (length << 7) | (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
    return { tag, length };
  };
  const es = header();
  if (!es || es.tag !== 0x03 || pos + 3 > d.length) return undefined;
  pos += 2; // ES_ID
  const flags = d[pos++];
  if (flags & 0x80) pos += 2; // dependsOn_ES_ID
  if (flags & 0x40) pos += 1 + (d[pos] ?? 0); // URL
  if (flags & 0x20) pos += 2; // OCR_ES_Id
  const config = header();
  if (!config || config.tag !== 0x04 || pos >= d.length) return undefined;
  return d[pos];
}
