import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildSidecar } from '../../../src/core/media/sidecar';
import type { TaskRecord } from '../../../src/core/tasks/task';

const root = path.resolve('/home/alice/project');
const video = path.join(root, 'videos', 'fox-task1.mp4');

function record(overrides: Partial<TaskRecord> = {}): TaskRecord {
  return {
    id: 'local-1',
    taskId: 'task1',
    model: 'sora-2-image-to-video',
    family: 'jobs',
    request: {
      model: 'sora-2-image-to-video',
      prompt: 'A fox',
      aspect: 'landscape',
      images: {
        first: 'https://tempfile.redpandaai.co/kieai/u/sunrise.png?X-Amz-Signature=abc123&X-Amz-Expires=900#frag',
        references: ['https://tempfile.redpandaai.co/kieai/u/ref.png?token=t0k'],
      },
    },
    sourceImage: path.join(root, 'images', 'sunrise.png'),
    outputDir: path.dirname(video),
    createdAt: 1_000,
    updatedAt: 2_000,
    state: 'downloading',
    history: [{ state: 'succeeded', at: 1_500 }],
    resultUrls: ['https://tempfile.aiquickdraw.com/r/fox.mp4?token=s3cr3t'],
    ...overrides,
  };
}

describe('the video sidecar', () => {
  it('names the source image relative to the workspace, with / separators', () => {
    assert.equal(buildSidecar(record(), video, 3_000, root).sourceImage, 'images/sunrise.png');
  });

  it('without a workspace, names it relative to the sidecar\'s folder', () => {
    assert.equal(buildSidecar(record(), video, 3_000).sourceImage, '../images/sunrise.png');
  });

  it('keeps only the file name of an image outside the workspace', () => {
    const outside = record({ sourceImage: path.resolve('/home/alice/Downloads/private/cat.webp') });
    assert.equal(buildSidecar(outside, video, 3_000, root).sourceImage, 'cat.webp');
  });

  it('holds no signed URL, query string or absolute path', () => {
    const json = JSON.stringify(buildSidecar(record(), video, 3_000, root));
    assert.equal(json.includes('?'), false, json);
    assert.equal(json.includes('s3cr3t') || json.includes('X-Amz') || json.includes('t0k'), false, json);
    assert.equal(json.includes(root), false, json);
    assert.deepEqual(buildSidecar(record(), video, 3_000, root).inputs.images, {
      first: 'https://tempfile.redpandaai.co/kieai/u/sunrise.png',
      references: ['https://tempfile.redpandaai.co/kieai/u/ref.png'],
    });
  });

  it('still says how to make the clip again', () => {
    const s = buildSidecar(record(), video, 3_000, root);
    assert.equal(s.prompt, 'A fox');
    assert.equal(s.inputs.model, 'sora-2-image-to-video');
    assert.equal(s.taskId, 'task1');
    assert.equal(s.file, 'fox-task1.mp4');
  });
});
