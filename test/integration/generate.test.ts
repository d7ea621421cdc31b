import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TaskRecord } from '../../src/core/tasks/task';
import type { VideoSidecar } from '../../src/core/media/sidecar';
import type { SoraApi } from '../../src/extension';
import { eventually } from './eventually';
import { SimulatorControl } from './simulatorControl';
import { fixtureVideo, form, soraApi, taskWhen, webviewTabs, workspaceRoot } from './soraExtension';

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
    assert.equal(sidecar.file, path.basename(task.localFile));
    const promptStart = submitted.request.prompt.slice(0, 30);
    await eventually('the "Video ready" notification', () =>
      api.recentMessages().some((m) => m.severity === 'info' && m.text.startsWith('Video ready') && m.text.includes(promptStart) && m.actions.includes('Open')),
    );
    return { task, sidecar };
  }

  it('from a prompt with Veo 3.1 Fast: video and sidecar in videos/, player opens', async () => {
    const submitted = await api.generate({ form: form('A lighthouse in a storm, waves crashing', 'veo3_fast') });
    assert.equal(submitted.model, 'veo3_fast');
    assert.ok(submitted.taskId, 'the task has Kie\'s id once generate() returns');
    const { task } = await expectCompleted(submitted);

    await vscode.commands.executeCommand('sora.openVideo', task.id);
    await eventually('a player webview tab', () => webviewTabs('sora.player').length === 1);
  });

  it('from a prompt with Sora 2: the jobs API request carries the form\'s options', async () => {
    const before = await sim.count('/api/v1/jobs/createTask');
    const submitted = await api.generate({ form: form('A paper plane over a city at night', 'sora-2-text-to-video', { aspectRatio: 'portrait', duration: '15' }) });
    await expectCompleted(submitted);
    assert.equal(await sim.count('/api/v1/jobs/createTask'), before + 1);
    const create = (await sim.requests()).filter((r) => r.path.endsWith('/api/v1/jobs/createTask')).at(-1);
    const body = create?.body as { model: string; input: Record<string, unknown> };
    assert.equal(body.model, 'sora-2-text-to-video');
    assert.equal(body.input.aspect_ratio, 'portrait');
    assert.equal(body.input.n_frames, '15');
    assert.equal(body.input.remove_watermark, true);
  });

  it('from the workspace PNG: the image is uploaded and the task asks for the uploaded URL', async () => {
    const image = path.join(workspaceRoot(), 'images/sunrise.png');
    const uploadsBefore = await uploads();
    const submitted = await api.generate({ form: form('The sun rises over the hills', 'sora-2-image-to-video'), imagePath: image });
    assert.ok((await uploads()) >= uploadsBefore + 1, 'the image reached the upload host');
    const url = submitted.request.images?.first;
    assert.ok(url, 'the request carries the uploaded image URL');
    assert.equal(submitted.sourceImage, image);

    const create = (await sim.requests()).filter((r) => r.path.endsWith('/api/v1/jobs/createTask')).at(-1);
    assert.deepEqual((create?.body as { input: { image_urls?: string[] } }).input.image_urls, [url]);

    const { sidecar } = await expectCompleted(submitted);
    assert.equal(sidecar.sourceImage, image);
    assert.equal(sidecar.inputs.images?.first, url);
  });

  async function uploads(): Promise<number> {
    let n = 0;
    for (const p of UPLOAD_PATHS) n += await sim.count(p);
    return n;
  }
});
