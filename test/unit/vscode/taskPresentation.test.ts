import * as assert from 'node:assert/strict';
import type { TaskRecord } from '../../../src/core/tasks/task';
import { bundleTranslate, englishWords } from '../l10n/bundleTranslate';
import { elapsedMs, formatElapsed, isResumable, promptTitle, taskContextValue, taskDescription, taskGroup, taskIcon } from '../../../src/vscode/tasks/taskPresentation';

const t = (message: string, ...args: Array<string | number | boolean>) => message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));

function task(over: Partial<TaskRecord>): TaskRecord {
  return {
    id: 't-1',
    taskId: 'task_1',
    model: 'veo3_fast',
    family: 'veo',
    request: { model: 'veo3_fast', prompt: 'A red fox in fresh snow', aspect: '16:9' },
    outputDir: '/tmp/videos',
    createdAt: 1_000_000,
    updatedAt: 1_090_000,
    state: 'generating',
    history: [],
    ...over,
  };
}

describe('task presentation', () => {
  it('formats elapsed time compactly', () => {
    assert.equal(formatElapsed(0, t), '0s');
    assert.equal(formatElapsed(42_900, t), '42s');
    assert.equal(formatElapsed(187_000, t), '3:07');
    assert.equal(formatElapsed(3_725_000, t), '1:02:05');
    assert.equal(formatElapsed(-5, t), '0s');
  });

  it('counts a running task to now and a finished one to its last change', () => {
    assert.equal(elapsedMs(task({ state: 'generating' }), 1_120_000), 120_000);
    assert.equal(elapsedMs(task({ state: 'submitting' }), 1_005_000), 5_000);
    assert.equal(elapsedMs(task({ state: 'completed' }), 9_999_999), 90_000);
  });

  it('groups every state, submitting and download steps as running', () => {
    assert.deepEqual(
      (['submitting', 'queued', 'generating', 'succeeded', 'downloading', 'completed', 'failed', 'stopped', 'unknown'] as const).map(taskGroup),
      ['running', 'running', 'running', 'running', 'running', 'completed', 'failed', 'stopped', 'unknown'],
    );
    assert.equal(taskIcon('queued'), 'sync~spin');
    assert.equal(taskIcon('completed'), 'device-camera-video');
  });

  it('describes a task by state and time, or by the failure reason', () => {
    assert.equal(taskDescription(task({ state: 'queued' }), 1_042_000, t), 'queued · 42s');
    assert.equal(taskDescription(task({ state: 'completed' }), 0, t), 'Veo 3.1 Fast · text to video · 1:30');
    assert.equal(
      taskDescription(task({ state: 'failed', error: { kind: 'generationFailed', message: 'Generation failed.', detail: 'prompt contains prohibited content' } }), 0, t),
      'failed: Kie could not generate the video: “prompt contains prohibited content”.',
    );
    assert.equal(taskDescription(task({ state: 'unknown' }), 0, t), 'submission unconfirmed');
  });

  it('says a failure in Chinese, whatever English sentence the core stored, with Kie\'s text kept as Kie wrote it', () => {
    const zh = bundleTranslate('zh-cn');
    const failed = (error: NonNullable<TaskRecord['error']>) => taskDescription(task({ state: 'failed', error }), 0, zh);
    const download = failed({ kind: 'downloadFailed', message: 'The video was generated but could not be downloaded after 8 attempts (HTTP 503). Resume the task to try again.' });
    assert.deepEqual(englishWords(download), [], download);
    assert.match(download, /^失败：/);
    const server = failed({ kind: 'server', message: 'Kie reported a server error. (500)' });
    assert.deepEqual(englishWords(server), [], server);
    const kie = failed({ kind: 'generationFailed', message: 'Generation failed.', detail: 'prompt contains prohibited content' });
    assert.ok(kie.includes('“prompt contains prohibited content”'), kie);
    assert.deepEqual(englishWords(kie, ['prompt contains prohibited content']), [], kie);
  });

  it('writes elapsed seconds and model kinds in Chinese', () => {
    const zh = bundleTranslate('zh-cn');
    assert.equal(formatElapsed(42_900, zh), '42 秒');
    assert.equal(taskDescription(task({ state: 'completed', model: 'sora-2-image-to-video' }), 0, zh), 'Sora 2 · 图生视频 · 1:30');
  });

  it('cuts a long prompt at a word boundary on one line', () => {
    assert.equal(promptTitle('short\nprompt'), 'short prompt');
    const title = promptTitle('A slow dolly shot through a neon-lit Tokyo alley at night with rain on the ground', 40);
    assert.ok(title.length <= 40, title);
    assert.equal(title, 'A slow dolly shot through a neon-lit…');
  });

  it('marks resumable tasks for the tree menus like TaskService.resume decides', () => {
    assert.equal(taskContextValue(task({ state: 'stopped' })), 'task.stopped.resumable');
    assert.equal(taskContextValue(task({ state: 'generating' })), 'task.running');
    assert.equal(taskContextValue(task({ state: 'failed', resultUrls: ['https://x/a.mp4'] })), 'task.failed.resumable');
    assert.equal(taskContextValue(task({ state: 'failed', error: { kind: 'generationFailed', message: 'm' } })), 'task.failed');
    assert.equal(isResumable(task({ state: 'stopped', taskId: undefined })), false);
  });
});
