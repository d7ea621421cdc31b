/**
 * One or more typical requests per model the simulator serves, with the credits each must cost by
 * Kie's pricing feed of 2026-09-24 (kie-api.md §2, §8); the figures are written out, not computed.
 */
export interface Sample {
  what: string;
  body: Record<string, unknown>;
  credits: number;
}

const IMG = 'https://example.com/a.png';
const IMG2 = 'https://example.com/b.png';
const IMG3 = 'https://example.com/c.png';
const P = 'A red kite over the sea at dawn';

const jobs = (model: string, input: Record<string, unknown>): Record<string, unknown> => ({ model, input: { prompt: P, ...input } });

export const SAMPLES: Sample[] = [
  { what: 'Veo 3.1 Quality, 1080p, 8 s', body: { prompt: P, model: 'veo3', aspect_ratio: '16:9', resolution: '1080p', duration: 8, enableTranslation: true }, credits: 255 },
  { what: 'Veo 3.1 Quality, 4k image to video', body: { prompt: P, model: 'veo3', imageUrls: [IMG], generationType: 'FIRST_AND_LAST_FRAMES_2_VIDEO', aspect_ratio: '9:16', resolution: '4k', duration: 6 }, credits: 370 },
  { what: 'Veo 3.1 Quality, 4k text to video', body: { prompt: P, model: 'veo3', aspect_ratio: '16:9', resolution: '4k', duration: 4 }, credits: 380 },
  { what: 'Veo 3.1 Fast, 720p first and last frame', body: { prompt: P, model: 'veo3_fast', imageUrls: [IMG, IMG2], aspect_ratio: 'Auto', resolution: '720p', duration: 6 }, credits: 60 },
  { what: 'Veo 3.1 Lite, reference images', body: { prompt: P, model: 'veo3_lite', imageUrls: [IMG, IMG2, IMG3], generationType: 'REFERENCE_2_VIDEO', aspect_ratio: '16:9', resolution: '1080p', duration: 8 }, credits: 35 },
  { what: 'Veo 3.1 on the market API', body: jobs('veo-3-1', { image_urls: [IMG], aspect_ratio: '9:16', resolution: '1080p', duration: 6, enable_translation: true }), credits: 65 },
  {
    what: 'Kling 3.0 pro with sound, first and last frame, 10 s',
    body: jobs('kling-3.0/video', { image_urls: [IMG, IMG2], sound: true, duration: '10', aspect_ratio: '16:9', mode: 'pro', multi_shots: false, multi_prompt: [] }),
    credits: 270,
  },
  { what: 'Kling 3.0 4K, 5 s', body: jobs('kling-3.0/video', { sound: false, duration: '5', aspect_ratio: '9:16', mode: '4K', multi_shots: false, multi_prompt: [] }), credits: 335 },
  { what: 'Seedance 2.5 references, 1080p, 10 s', body: jobs('bytedance/seedance-2-5', { reference_image_urls: [IMG, IMG2], resolution: '1080p', aspect_ratio: 'adaptive', duration: 10, generate_audio: true }), credits: 1580 },
  { what: 'Seedance 2.5 first frame, 480p, 4 s', body: jobs('bytedance/seedance-2-5', { first_frame_url: IMG, resolution: '480p', aspect_ratio: '16:9', duration: 4, generate_audio: false }), credits: 112 },
  { what: 'Seedance 2.0 first frame, 720p, 8 s', body: jobs('bytedance/seedance-2', { first_frame_url: IMG, resolution: '720p', aspect_ratio: '16:9', duration: 8, generate_audio: true }), credits: 328 },
  { what: 'Seedance 2.0 Fast, 720p, 5 s', body: jobs('bytedance/seedance-2-fast', { resolution: '720p', aspect_ratio: '9:16', duration: 5, generate_audio: true }), credits: 124 },
  { what: 'Wan 2.7 text to video, 1080p, 10 s', body: jobs('wan/2-7-text-to-video', { ratio: '4:3', resolution: '1080p', duration: 10, prompt_extend: false, watermark: false, seed: 7 }), credits: 240 },
  { what: 'Wan 2.7 image to video, first and last frame', body: jobs('wan/2-7-image-to-video', { first_frame_url: IMG, last_frame_url: IMG2, resolution: '720p', duration: 5, prompt_extend: true, watermark: false }), credits: 80 },
  { what: 'MiniMax H3 text to video, 2K, 10 s', body: jobs('minimax-h3/text-to-video', { aspect_ratio: '16:9', resolution: '2K', duration: 10 }), credits: 130 },
  { what: 'MiniMax H3 image to video, 768P, 6 s', body: jobs('minimax-h3/image-to-video', { first_frame_url: IMG, resolution: '768P', duration: 6 }), credits: 48 },
  { what: 'Hailuo 2.3 Standard, 768P, 10 s', body: jobs('hailuo/2-3-image-to-video-standard', { image_url: IMG, duration: '10', resolution: '768P' }), credits: 50 },
  { what: 'Hailuo 2.3 Pro, 1080P, 6 s', body: jobs('hailuo/2-3-image-to-video-pro', { image_url: IMG, duration: '6', resolution: '1080P' }), credits: 80 },
  { what: 'Grok Imagine text to video, 720p, 10 s', body: jobs('grok-imagine/text-to-video', { aspect_ratio: '16:9', mode: 'normal', duration: 10, resolution: '720p' }), credits: 45 },
  { what: 'Grok Imagine image to video, 480p, 6 s', body: jobs('grok-imagine/image-to-video', { image_urls: [IMG], mode: 'normal', duration: 6, resolution: '480p' }), credits: 14.4 },
  { what: 'Kling 2.6 text to video with sound, 10 s (live catalog only)', body: jobs('kling-2.6/text-to-video', { sound: true, aspect_ratio: '16:9', duration: '10' }), credits: 220 },
  { what: 'Wan 2.6 text to video, 720p, 10 s (live catalog only)', body: jobs('wan/2-6-text-to-video', { duration: '10', resolution: '720p' }), credits: 140 },
];

export function sampleModel(s: Sample): string {
  return String(s.body.model ?? 'veo3_fast');
}
