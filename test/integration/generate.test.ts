import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TaskRecord } from '../../src/core/tasks/task';
import type { VideoSidecar } from '../../src/core/media/sidecar';
import type { SoraApi } from '../../src/extension';
import { eventually } from './eventually';
import { SimulatorControl } from './simulatorControl';
import { fixtureVideo, messagesSince, request, soraApi, taskWhen, webviewTabs, workspaceRoot } from './soraExtension';

const UPLOAD_PATHS = ['/api/file-stream-upload', '/api/file-base64-upload', '/api/file-url-upload'];

describe('generating a video', () => {
  const sim = SimulatorControl.fromEnvironment();
  let api: SoraApi;

  before(async () => {
    api = await soraApi();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** Waits for completion, then checks the video, its sidecar and the notification. */
  async function expectCompleted(submitted: TaskRecord): Promise<{ task: TaskRecord; sidecar: VideoSidecar }> {
    const task = await taskWhen(api, submitted.id, 'completed', (t) => t.state === 'completed');
    assert.ok(task.localFile, 'a completed task names its video file');
    assert.equal(path.dirname(task.localFile), path.join(workspaceRoot(), 'videos'));
    assert.match(path.basename(task.localFile), /\.mp4$/);
    assert.deepEqual(await fs.readFile(task.localFile), await fixtureVideo());
    const sidecar = JSON.parse(await fs.readFile(task.localFile.replace(/\.mp4$/, '.json'), 'utf8')) as VideoSidecar;
    assert.equal(sidecar.prompt, submitted.request.prompt);
    assert.equal(sidecar.model, submitted.model);
    assert.equal(sidecar.taskId, task.taskId);
    const promptStart = submitted.request.prompt.slice(0, 30);
    await eventually('the "Video ready" notification', () =>
      api.recentMessages().some((m) => m.severity === 'info' && m.text.startsWith('Video ready') && m.text.includes(promptStart) && m.actions.includes('Open')),
    );
    return { task, sidecar };
  }

  /** The body of the last request to `pathSuffix` the simulator received. */
  async function lastBody(pathSuffix: string): Promise<Record<string, unknown>> {
    const req = (await sim.requests()).filter((r) => r.path.endsWith(pathSuffix)).at(-1);
    assert.ok(req, `no request to ${pathSuffix}`);
    return req.body as Record<string, unknown>;
  }

  async function uploads(): Promise<number> {
    let n = 0;
    for (const p of UPLOAD_PATHS) n += await sim.count(p);
    return n;
  }

  it('Veo 3.1 Fast at 1080p sends resolution "1080p"; video and sidecar in videos/, player opens', async () => {
    const submitted = await api.generate(request('A lighthouse in a storm, waves crashing', 'veo3_fast', { resolution: '1080p', duration: 6 }));
    assert.equal(submitted.model, 'veo3_fast');
    assert.ok(submitted.taskId, "the task has Kie's id once generate() returns");
    const body = await lastBody('/api/v1/veo/generate');
    assert.equal(body.resolution, '1080p');
    assert.equal(body.duration, 6);
    assert.equal(body.model, 'veo3_fast');
    const { task } = await expectCompleted(submitted);

    await vscode.commands.executeCommand('sora.openVideo', task.id);
    await eventually('a player webview tab', () => webviewTabs('sora.player').length === 1);
  });

  it('image to video with Seedance: the upload is sent as its first_frame_url', async () => {
    const image = path.join(workspaceRoot(), 'images/sunrise.png');
    const uploadsBefore = await uploads();
    const submitted = await api.generate(request('The sun rises over the hills', 'bytedance/seedance-2', { images: { first: image } }));
    assert.ok((await uploads()) >= uploadsBefore + 1, 'the image reached the upload host');
    const body = (await lastBody('/api/v1/jobs/createTask')) as { model: string; input: Record<string, unknown> };
    assert.equal(body.model, 'bytedance/seedance-2');
    assert.equal(typeof body.input.first_frame_url, 'string');
    assert.match(String(body.input.first_frame_url), /^https?:\/\//, 'an uploaded URL, not the local path');
    assert.equal(body.input.image_urls, undefined);
    await expectCompleted(submitted);
  });

  it('first and last frame with Kling 3.0: image_urls carries both uploads, in order', async () => {
    const first = path.join(workspaceRoot(), 'images/sunrise.png');
    const last = path.join(workspaceRoot(), 'images/sunset.png');
    await fs.copyFile(first, last);
    const submitted = await api.generate(request('Day turns to night over the hills', 'kling-3.0/video', { images: { first, last }, duration: 5 }));
    const body = (await lastBody('/api/v1/jobs/createTask')) as { model: string; input: Record<string, unknown> };
    assert.equal(body.model, 'kling-3.0/video');
    const urls = body.input.image_urls as string[];
    assert.equal(urls.length, 2);
    assert.notEqual(urls[0], urls[1], 'two uploads, one per frame');
    assert.equal(body.input.duration, '5', 'Kling takes its duration as a string');
    await expectCompleted(submitted);
  });

  it('a model only Kie\'s live catalog lists: its form comes from its schema and the request passes Kie\'s validation', async () => {
    // Its schema requires `sound` without a default: a toggle always has a value, so it starts off and is sent.
    const submitted = await api.generate(request('A red kite over green hills', 'kling-2.6/text-to-video', { aspect: '16:9' }));
    const body = (await lastBody('/api/v1/jobs/createTask')) as { model: string; input: Record<string, unknown> };
    assert.equal(body.model, 'kling-2.6/text-to-video');
    assert.equal(body.input.prompt, 'A red kite over green hills');
    assert.equal(body.input.sound, false);
    assert.equal(body.input.aspect_ratio, '16:9');
    await expectCompleted(submitted);
  });

  it('a Sora model is not sent: one sentence names live alternatives, offers Use <model>, no Retry', async () => {
    const before = await sim.count('/api/v1/jobs/createTask');
    const snapshot = api.recentMessages();
    await assert.rejects(api.generate(request('A paper plane over a city at night', 'sora-2-text-to-video')), (e: Error & { kind?: string }) => e.kind === 'modelUnavailable');
    const shown = await eventually('the unavailable notification', () => messagesSince(api, snapshot).find((m) => m.severity === 'error'));
    assert.match(shown.text, /^Sora 2 is not available on Kie\. Live alternatives: Veo 3\.1 Fast/);
    assert.ok(shown.actions.includes('Use Veo 3.1 Fast'), `actions: ${shown.actions.join(', ')}`);
    assert.ok(!shown.actions.includes('Retry'), `actions: ${shown.actions.join(', ')}`);
    assert.equal(await sim.count('/api/v1/jobs/createTask'), before, 'nothing reached Kie');
  });

  it('Kie answering "model name not supported": the unavailable message with alternatives and no Retry', async () => {
    const snapshot = api.recentMessages();
    await sim.failNext('/api/v1/jobs/createTask', { kind: 'code', code: 422, httpStatus: 200, msg: 'The model name you specified is not supported' });
    await assert.rejects(api.generate(request('A fox in the snow', 'wan/2-7-text-to-video')));
    const shown = await eventually('the unavailable notification', () => messagesSince(api, snapshot).find((m) => m.severity === 'error'));
    assert.match(shown.text, /^Wan 2\.7 is not available on Kie\. Live alternatives: /);
    assert.ok(shown.actions.some((a) => a.startsWith('Use ')), `actions: ${shown.actions.join(', ')}`);
    assert.ok(!shown.actions.includes('Retry'), `actions: ${shown.actions.join(', ')}`);
  });
});
