import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parsePromptFile } from '../../src/core/prompts/promptFile';
import type { PromptRun } from '../../src/vscode/promptFiles/promptFileCommands';
import type { SoraApi } from '../../src/extension';
import { eventually } from './eventually';
import { SimulatorControl } from './simulatorControl';
import { WebviewControl } from './webviewControl';
import { fixtureVideo, messagesSince, soraApi, workspaceRoot } from './soraExtension';

const CREATE = '/api/v1/veo/generate';

describe('prompt files', () => {
  const sim = SimulatorControl.fromEnvironment();
  const ui = WebviewControl.fromEnvironment();
  let api: SoraApi;
  let folder = '';

  before(async () => {
    api = await soraApi();
    folder = path.join(workspaceRoot(), 'shots-it');
    await fs.rm(folder, { recursive: true, force: true });
    await fs.mkdir(folder, { recursive: true });
    for (const [name, prompt] of [
      ['intro', 'A lighthouse at dawn, slow push in'],
      ['middle', 'Waves against the rocks, seen from above'],
      ['outro', 'The lighthouse beam sweeping over the sea at night'],
    ]) {
      await fs.writeFile(path.join(folder, `${name}.video.md`), `---\nmodel: veo3_fast\naspect: "16:9"\nresolution: 720p\n---\n\n${prompt}\n`);
    }
  });

  after(() => fs.rm(folder, { recursive: true, force: true }));

  const generateFolder = async (): Promise<PromptRun> => {
    const run = await vscode.commands.executeCommand<PromptRun | undefined>('sora.generateFolder', vscode.Uri.file(folder), { confirm: false });
    assert.ok(run, 'the command found no prompt files');
    return run;
  };

  const completedFor = (file: string, n: number) =>
    eventually(`${n} finished video(s) of ${path.basename(file)}`, () => api.tasks().filter((t) => t.origin?.file === file && t.state === 'completed').length >= n && true, 90_000);

  it('a folder of three: the plan, then three videos named after their files; again: nothing sent; one edited: only it is sent', async () => {
    const before = await sim.count(CREATE);
    const first = await generateFolder();
    assert.deepEqual(first.plan.counts, { upToDate: 0, running: 0, uncertain: 0, generate: 3, invalid: 0 });
    assert.equal(first.plan.credits, 180, 'three Veo 3.1 Fast 720p videos at 60 credits');
    assert.ok(api.recentMessages().some((m) => m.text.startsWith('Generate 3 prompt file(s) in shots-it?') && m.text.includes('≈180 credits')), 'the plan was not shown');
    assert.equal(first.result?.submitted.length, 3);
    assert.equal(await sim.count(CREATE), before + 3);

    const videos = path.join(workspaceRoot(), 'videos', 'shots-it');
    for (const name of ['intro', 'middle', 'outro']) await completedFor(path.join(folder, `${name}.video.md`), 1);
    for (const name of ['intro', 'middle', 'outro']) {
      await eventually(`${name}.mp4`, () => fs.access(path.join(videos, `${name}.mp4`)).then(() => true, () => false));
      assert.deepEqual(await fs.readFile(path.join(videos, `${name}.mp4`)), await fixtureVideo());
      const sidecar = JSON.parse(await fs.readFile(path.join(videos, `${name}.json`), 'utf8')) as { file: string };
      assert.equal(sidecar.file, `${name}.mp4`);
    }
    const lock = JSON.parse(await fs.readFile(path.join(workspaceRoot(), '.sora-lock.json'), 'utf8')) as { files: Record<string, { output?: string; tasks: unknown[] }> };
    await eventually('the lock to record the videos', async () => {
      const l = JSON.parse(await fs.readFile(path.join(workspaceRoot(), '.sora-lock.json'), 'utf8')) as typeof lock;
      return l.files['shots-it/intro.video.md']?.output === 'videos/shots-it/intro.mp4';
    });

    const again = await generateFolder();
    assert.equal(again.plan.counts.upToDate, 3);
    assert.equal(again.result, undefined);
    assert.equal(await sim.count(CREATE), before + 3, 'an unchanged prompt file was sent again');

    await fs.writeFile(path.join(folder, 'middle.video.md'), '---\nmodel: veo3_fast\naspect: "16:9"\nresolution: 720p\n---\n\nWaves against the rocks at sunset, seen from above\n');
    const edited = await generateFolder();
    assert.deepEqual(edited.plan.toSend.map((e) => path.basename(e.file)), ['middle.video.md']);
    assert.equal(await sim.count(CREATE), before + 4);
    await completedFor(path.join(folder, 'middle.video.md'), 2);
    const kept = (await fs.readdir(videos)).filter((n) => /^middle\.[a-z0-9]{1,8}\.mp4$/.test(n));
    assert.equal(kept.length, 1, `the previous take of middle is kept under its task's name: ${(await fs.readdir(videos)).join(', ')}`);
  });

  it('a folder of three under a batch budget that fits two: two sent, and the user is told which file was not and why', async () => {
    const budgetFolder = path.join(workspaceRoot(), 'budget-it');
    await fs.rm(budgetFolder, { recursive: true, force: true });
    await fs.mkdir(budgetFolder, { recursive: true });
    const config = vscode.workspace.getConfiguration('sora');
    try {
      for (const [name, prompt] of [
        ['a-first', 'A train leaving a snowy station at night'],
        ['b-second', 'The train crossing a frozen lake at dawn'],
        ['c-third', 'The train arriving in a desert town at noon'],
      ]) {
        await fs.writeFile(path.join(budgetFolder, `${name}.video.md`), `---\nmodel: veo3_fast\naspect: "16:9"\nresolution: 720p\n---\n\n${prompt}\n`);
      }
      // 60 credits a file: two fit under 150, the third would take the batch to 180.
      await config.update('batchBudgetCredits', 150, vscode.ConfigurationTarget.Global);
      await eventually('VS Code to read the budget', () => vscode.workspace.getConfiguration('sora').get('batchBudgetCredits') === 150);
      const before = await sim.count(CREATE);
      const shown = api.recentMessages();
      const run = await vscode.commands.executeCommand<PromptRun | undefined>('sora.generateFolder', vscode.Uri.file(budgetFolder), { confirm: false });
      assert.ok(run?.result, 'the folder was not sent');
      assert.deepEqual(run.result.submitted.map((s) => path.basename(s.file)), ['a-first.video.md', 'b-second.video.md']);
      assert.equal(await sim.count(CREATE), before + 2, 'createTask requests');
      const told = await eventually('the report of the batch', () => messagesSince(api, shown).find((m) => m.text.startsWith('Sent 2 of 2 prompt file(s) in budget-it')));
      assert.equal(told.severity, 'warning', JSON.stringify(told));
      assert.ok(
        told.text.includes('The batch budget (sora.batchBudgetCredits: 150 credits) stops the batch after 2 file(s) (≈120 credits): the next would pass it. Not sent: c-third.video.md (≈60 credits).'),
        told.text,
      );
      for (const name of ['a-first', 'b-second']) await completedFor(path.join(budgetFolder, `${name}.video.md`), 1);
      assert.equal(api.tasks().filter((t) => t.origin?.file === path.join(budgetFolder, 'c-third.video.md')).length, 0, 'a task for the file left out');
    } finally {
      await config.update('batchBudgetCredits', undefined, vscode.ConfigurationTarget.Global);
      await fs.rm(budgetFolder, { recursive: true, force: true });
    }
  });

  it('a Sora model gets a diagnostic on the model, and its quick fix puts the live alternative there', async () => {
    const file = path.join(folder, 'old.video.md');
    await fs.writeFile(file, '---\nmodel: sora-2-text-to-video\naspect: "16:9"\n---\n\nA paper plane over a city at night\n');
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const diag = await eventually('a diagnostic on the model', () => vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === 'retired'));
    assert.equal(diag.range.start.line, 1);
    assert.match(diag.message, /Sora 2 is retired/);
    // A request made while the editor still settles (the file was just written) is cancelled: ask until answered.
    const fix = await eventually('the quick fix "Use veo3_fast"', async () => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range, vscode.CodeActionKind.QuickFix.value);
      return actions.find((a) => a.title === 'Use veo3_fast' && a.edit);
    });
    assert.ok(fix.edit);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(doc.lineAt(1).text, 'model: veo3_fast');
    await eventually('the diagnostic to go', () => !vscode.languages.getDiagnostics(doc.uri).some((d) => d.code === 'retired'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('the CodeLens offers Generate with its price, then shows the finished state', async () => {
    const file = path.join(folder, 'lens.video.md');
    await fs.writeFile(file, '---\nmodel: veo3_fast\nresolution: 720p\n---\n\nA kite over the dunes\n');
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    const lenses = await eventually('the Generate lens', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return l.some((x) => x.command?.title === '▶ Generate · ≈60 credits') && l;
    });
    const generate = lenses.find((x) => x.command?.command === 'sora.generateFromPromptFile');
    await vscode.commands.executeCommand(generate!.command!.command, ...(generate!.command!.arguments ?? []));
    await completedFor(file, 1);
    await eventually('the finished lens', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return l.some((x) => x.command?.title.startsWith('✓')) && l.some((x) => x.command?.command === 'sora.openVideo') && !l.some((x) => x.command?.command === 'sora.generateFromPromptFile');
    });
  });

  /** The next shot's prompt file, once it is the active editor, with the first frame it names. */
  const nextShot = async (file: string) => {
    const doc = await eventually(`${path.basename(file)} open`, () => (vscode.window.activeTextEditor?.document.fileName === file ? vscode.window.activeTextEditor.document : undefined));
    const image = /^image: (.+)$/m.exec(doc.getText())?.[1];
    assert.ok(image, `no image in ${doc.getText()}`);
    return { doc, image: path.resolve(path.dirname(file), image) };
  };

  /** A PNG's size by its header, and that Debian's ffmpeg decodes it to that many pixels. */
  const decodedPng = async (file: string) => {
    const bytes = await fs.readFile(file);
    assert.equal(bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'a PNG signature');
    const width = bytes.readUInt32BE(16);
    const height = bytes.readUInt32BE(20);
    const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 * 1024 * 1024 });
    assert.equal(raw.length, width * height * 3, 'ffmpeg decodes the whole image');
    return { width, height };
  };

  const videoSize = (file: string) => {
    const [width, height] = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim().split(',').map(Number);
    return { width, height };
  };

  it('"Continue from Last Frame" from the Sora view\'s menu on a finished prompt-file video: <name>-next.video.md opens, its image the last frame beside the video', async () => {
    const file = path.join(folder, 'lens.video.md');
    const task = api.tasks().find((t) => t.origin?.file === file && t.state === 'completed' && t.localFile);
    assert.ok(task?.localFile, 'the finished video of lens.video.md from the test before');
    const last = task.localFile.replace(/\.mp4$/, '.last.png');
    await fs.rm(last, { force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.view.extension.sora');
    await eventually('the menu item on the video\'s row', () => ui.viewRowMenu('workbench.view.extension.sora', task.request.prompt, 'Continue from Last Frame'));
    const next = await nextShot(path.join(folder, 'lens-next.video.md'));
    assert.equal(next.image, last, 'its image is the last frame, saved beside the video');
    assert.deepEqual(await decodedPng(last), videoSize(task.localFile));
    assert.match(next.doc.getText(), /^model: veo3_fast$/m, 'the other keys come from lens.video.md');
  });

  it('"Continue from Last Frame" from the CodeLens of a prompt file with a finished video', async () => {
    const file = path.join(folder, 'lens.video.md');
    const task = api.tasks().find((t) => t.origin?.file === file && t.state === 'completed' && t.localFile);
    assert.ok(task?.localFile);
    const last = task.localFile.replace(/\.mp4$/, '.last.png');
    await fs.rm(last, { force: true });
    await fs.rm(path.join(folder, 'lens-next.video.md'), { force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    const lens = await eventually('the Continue from Last Frame lens', async () =>
      (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)).find((l) => l.command?.title === 'Continue from Last Frame'),
    );
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    const next = await nextShot(path.join(folder, 'lens-next.video.md'));
    assert.equal(next.image, last);
    assert.deepEqual(await decodedPng(last), videoSize(task.localFile));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  const sidecarTaskId = async (video: string) => (JSON.parse(await fs.readFile(video.replace(/\.mp4$/, '.json'), 'utf8')) as { taskId: string }).taskId;

  it('variants: 2 makes two takes; the compare view shows both, and "Keep This One" on the take that is not the file\'s video makes it so and records it in the lock', async () => {
    const file = path.join(folder, 'takes.video.md');
    await fs.writeFile(file, '---\nmodel: veo3_fast\nresolution: 720p\nvariants: 2\n---\n\nA paper lantern rising over a still lake\n');
    const before = await sim.count(CREATE);
    await vscode.commands.executeCommand('sora.generateFromPromptFile', vscode.Uri.file(file), { confirm: false });
    assert.equal(await sim.count(CREATE), before + 2, 'one createTask per variant');
    await completedFor(file, 2);
    const videos = path.join(workspaceRoot(), 'videos', 'shots-it');
    const canonical = path.join(videos, 'takes.mp4');
    // The take downloaded last is takes.mp4 and the one it displaced is renamed after its task; wait until
    // the history has followed that rename, then keep the take that is not takes.mp4.
    let seen = '';
    const takes = await eventually('two takes at two files', () => {
      const t = api.tasks().filter((r) => r.origin?.file === file).sort((a, b) => (a.origin?.variant ?? 0) - (b.origin?.variant ?? 0));
      seen = JSON.stringify(t.map((r) => [r.state, r.localFile]));
      return t.length === 2 && t.every((r) => r.taskId && r.localFile) && t[0].localFile !== t[1].localFile && t.some((r) => r.localFile === canonical) ? t : undefined;
    }).catch((e: unknown) => assert.fail(`${String(e)}: ${seen}`));
    const shown = takes.findIndex((t) => t.localFile === canonical);
    const keep = 1 - shown;
    const [first, second] = [takes[shown], takes[keep]];
    assert.equal(await sidecarTaskId(canonical), first.taskId);

    const title = 'takes.video.md: 2 takes';
    await eventually('the compare view with both takes', async () => {
      const page = (await ui.text(title))[0];
      return page && path.basename(first.localFile!) !== path.basename(second.localFile!) && page.includes(path.basename(second.localFile!)) && page.includes(path.basename(first.localFile!));
    });
    await eventually('both takes loaded', async () => (await ui.videos(title))?.length === 2 && (await ui.videos(title))!.every((v) => v.readyState >= 2 && v.error === null));
    assert.ok(await ui.click(title, 'Keep This One', keep), 'the take has a Keep button');

    await eventually('takes.mp4 to be the second take', async () => (await sidecarTaskId(canonical).catch(() => '')) === second.taskId);
    const others = (await fs.readdir(videos)).filter((n) => /^takes\.[a-z0-9]{1,8}\.mp4$/.test(n));
    assert.equal(others.length, 1, `the other take stays beside it under its task's name: ${(await fs.readdir(videos)).join(', ')}`);
    assert.equal(await sidecarTaskId(path.join(videos, others[0])), first.taskId);
    assert.deepEqual(await fs.readFile(canonical), await fixtureVideo());
    await eventually('the history to follow the rename', () => api.tasks().find((t) => t.id === second.id)?.localFile === canonical);
    // The lock is written last, after the files and the history.
    const entry = async () => (JSON.parse(await fs.readFile(path.join(workspaceRoot(), '.sora-lock.json'), 'utf8')) as { files: Record<string, { output?: string; kept?: string }> }).files['shots-it/takes.video.md'];
    await eventually('the lock to record the kept take', async () => (await entry())?.kept === second.id).catch(async (e: unknown) => assert.fail(`${String(e)}: ${JSON.stringify(await entry())}`));
    assert.equal((await entry())?.output, 'videos/shots-it/takes.mp4');
    await eventually('the kept take marked in the view', async () => (await ui.text(title))[0]?.includes('✓ Kept'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    // Closed, the takes are still there to compare: the prompt file's CodeLens opens them again, the kept one marked.
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    const lens = await eventually('the "Compare 2 Takes" lens', async () =>
      (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', vscode.Uri.file(file), 10)).find((l) => l.command?.title === 'Compare 2 Takes'),
    );
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    await eventually('the compare view again, the kept take marked', async () => {
      const page = (await ui.text(title))[0];
      return page?.includes('✓ Kept') && page.includes(others[0]) && page.includes('takes.mp4');
    });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('"Save as Prompt File" in the form writes what the form holds (its Variants too), and generating that file sends what the form would', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const prompt = 'A red bicycle leaning on a blue wall, morning light';
    await vscode.commands.executeCommand('sora.generateVideo', { model: 'wan/2-7-text-to-video', prompt, aspect: '9:16', duration: 10, options: { prompt_extend: false } });
    const formRequest = await eventually('the form with the preset', () => {
      const r = api.formRequest();
      return r?.model === 'wan/2-7-text-to-video' && r.prompt === prompt ? r : undefined;
    });
    const target = path.join(folder, 'saved', 'bicycle.video.md');
    await fs.rm(path.dirname(target), { recursive: true, force: true });
    await fs.mkdir(path.dirname(target), { recursive: true });
    await eventually('the Variants field', () => ui.fill('Save as Prompt File', 'Variants', 2));
    await eventually('the form to hold 2 variants', async () => (await ui.text('Save as Prompt File'))[0]?.includes('Generate 2 Videos'));
    assert.ok(await eventually('the Save as Prompt File button', () => ui.click('Save as Prompt File', 'Save as Prompt File')));
    const saved = () => (vscode.window.activeTextEditor?.document.fileName === target ? vscode.window.activeTextEditor.document : undefined);
    // Answered until it takes the path (a dialog still listing its folder ignores the first OK).
    await eventually('the save dialog to take the path', async () => saved() !== undefined || (await ui.quickInput(target)));
    const doc = await eventually('the saved file open in an editor', saved);

    const parsed = parsePromptFile(doc.getText(), target);
    assert.deepEqual(parsed.problems, [], `the editor holds ${JSON.stringify(doc.getText())}, the file ${JSON.stringify(await fs.readFile(target, 'utf8').catch(String))}`);
    assert.equal(parsed.variants, 2, 'the form\'s Variants are kept');
    assert.deepEqual(
      { model: parsed.request?.model, prompt: parsed.request?.prompt, aspect: parsed.request?.aspect, duration: parsed.request?.duration, options: parsed.request?.options },
      { model: formRequest.model, prompt, aspect: '9:16', duration: 10, options: { prompt_extend: false } },
    );

    const jobs = '/api/v1/jobs/createTask';
    const sent = (await sim.requests()).filter((r) => r.path === jobs).length;
    await vscode.commands.executeCommand('sora.generateFromPromptFile', vscode.Uri.file(target), { confirm: false });
    const body = await eventually('the createTask of the saved file', async () => (await sim.requests()).filter((r) => r.path === jobs)[sent]?.body as { model: string; input: Record<string, unknown> } | undefined);
    assert.equal(body.model, 'wan/2-7-text-to-video');
    assert.equal(body.input.prompt, prompt);
    assert.equal(body.input.ratio, '9:16');
    assert.equal(Number(body.input.duration), 10);
    assert.equal(body.input.prompt_extend, false);
    await completedFor(target, 1);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
