import * as assert from 'node:assert/strict';
import { presentError, MISSING_KEY_FIELD, type ErrorActionId } from '../../../src/vscode/presentation/errorPresentation';
import { plainNotificationText } from '../../../src/vscode/presentation/notificationText';

/** How VS Code finds links in a notification message (parseLinkedText in src/vs/base/common/linkedText.ts). */
const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
const links = (text: string) => [...text.matchAll(VSCODE_LINK)].map((m) => m[2]);

/** Formats like vscode.l10n.t without a bundle, and records which messages were asked for. */
const t = (message: string, ...args: Array<string | number | boolean>) => message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
const all = new Set<ErrorActionId>(['retry', 'editForm', 'generateAgain', 'useModel', 'showLog']);
const ids = (p: ReturnType<typeof presentError>) => p.actions.map((a) => a.id);

describe('error presentation', () => {
  it('offers Set API Key for a missing key and for a rejected one, with different words', () => {
    const missing = presentError({ kind: 'unauthorized', message: 'x', field: MISSING_KEY_FIELD }, t);
    const rejected = presentError({ kind: 'unauthorized', message: 'x' }, t);
    assert.deepEqual(ids(missing), ['setApiKey']);
    assert.deepEqual(ids(rejected), ['setApiKey']);
    assert.match(missing.text, /No Kie API key/);
    assert.match(rejected.text, /rejected the API key/);
  });

  it('sends an imgbb key problem to the imgbb key, not the Kie key', () => {
    const p = presentError({ kind: 'unauthorized', message: 'x', field: 'imgbbKey' }, t);
    assert.deepEqual(ids(p), ['setImgbbKey']);
    assert.match(p.text, /imgbb API key/);
  });

  it('offers Top Up for insufficient credits', () => {
    const p = presentError({ kind: 'insufficientCredits', message: 'x', detail: 'The current credits are insufficient. Please top up.' }, t, all);
    assert.deepEqual(ids(p), ['topUp', 'showLog']);
    assert.equal(p.actions[0].label, 'Top Up');
  });

  it('says a rate limit is backed off and is a warning', () => {
    const p = presentError({ kind: 'rateLimited', message: 'x' }, t, all);
    assert.equal(p.severity, 'warning');
    assert.match(p.text, /backs off/);
    assert.deepEqual(ids(p), ['retry', 'showLog']);
  });

  it('shows Kie\'s failMsg and the task id for a failed generation, with both ways forward', () => {
    const p = presentError({ kind: 'generationFailed', message: 'x', detail: 'Invalid prompt: prompt contains prohibited content', taskId: 'task_abc' }, t, all);
    assert.equal(p.text, 'Kie could not generate the video: “Invalid prompt: prompt contains prohibited content”. Task ID: task_abc');
    assert.deepEqual(ids(p), ['editForm', 'generateAgain', 'showLog']);
  });

  it('an unavailable model: one sentence naming the live alternatives, Use <model> for the first two, no Retry', () => {
    const alternatives = [
      { id: 'veo3', label: 'Veo 3.1 Quality' },
      { id: 'kling-3.0/video', label: 'Kling 3.0' },
      { id: 'bytedance/seedance-2', label: 'Seedance 2.0' },
    ];
    const p = presentError({ kind: 'modelUnavailable', message: 'x', model: 'sora-2-pro-text-to-video', modelLabel: 'Sora 2 Pro', alternatives }, t, all);
    assert.equal(p.text, 'Sora 2 Pro is not available on Kie. Live alternatives: Veo 3.1 Quality, Kling 3.0, Seedance 2.0.');
    assert.deepEqual(p.actions.slice(0, 2), [
      { id: 'useModel', label: 'Use Veo 3.1 Quality', model: 'veo3' },
      { id: 'useModel', label: 'Use Kling 3.0', model: 'kling-3.0/video' },
    ]);
    assert.ok(!ids(p).includes('retry'));
  });

  it('without the catalog\'s list, the alternative the client reported is offered', () => {
    const p = presentError({ kind: 'modelUnavailable', message: 'x', model: 'sora-2-text-to-video', alternativeModel: 'veo3' }, t, all);
    assert.equal(p.text, 'Sora 2 · text to video is not available on Kie. Live alternatives: Veo 3.1 Quality · text to video.');
    assert.deepEqual(p.actions[0], { id: 'useModel', label: 'Use Veo 3.1 Quality · text to video', model: 'veo3' });
  });

  it('an unavailable model with no live alternative: Change Model, still no Retry', () => {
    const p = presentError({ kind: 'modelUnavailable', message: 'x', model: 'some/model' }, t, all);
    assert.equal(p.text, 'some/model is not available on Kie. Choose another model.');
    assert.deepEqual(ids(p), ['editForm', 'showLog']);
  });

  it('offers only actions the caller can run', () => {
    const p = presentError({ kind: 'network', message: 'x', detail: 'ECONNRESET' }, t);
    assert.deepEqual(ids(p), []);
    assert.equal(p.text, 'Could not reach Kie: ECONNRESET. Check your connection and proxy settings.');
    assert.deepEqual(ids(presentError({ kind: 'network', message: 'x' }, t, all)), ['retry', 'showLog']);
  });

  it('words a refused image from its reason, not from the core\'s English message', () => {
    const p = presentError({ kind: 'invalidInput', message: 'English for the log', field: 'image', image: { reason: 'tooLarge', name: 'big.png', bytes: 12 * 1024 * 1024, maxBytes: 10 * 1024 * 1024 } }, t, all);
    assert.equal(p.text, 'big.png is 12.0 MB; Kie accepts images up to 10 MB. Resize or compress it first.');
    assert.equal(p.severity, 'warning');
  });

  it('shows a field message the editor layer already localized as is', () => {
    const p = presentError({ kind: 'invalidInput', message: 'English for the log', detail: 'Sora 2 需要源图片', field: 'image' }, t, all);
    assert.equal(p.text, 'Sora 2 需要源图片');
  });

  it('does not double the full stop of Kie\'s own sentence', () => {
    const p = presentError({ kind: 'validation', message: 'x', detail: 'This field is required.' }, t, all);
    assert.equal(p.text, 'Kie rejected the request: This field is required.');
  });

  it('has words for every kind', () => {
    const kinds = ['unauthorized', 'insufficientCredits', 'rateLimited', 'validation', 'modelUnavailable', 'maintenance', 'server', 'generationFailed', 'notFound', 'featureDisabled', 'network', 'timeout', 'badResponse', 'invalidInput', 'downloadFailed', 'cancelled', 'unexpected'] as const;
    for (const kind of kinds) {
      const p = presentError({ kind, message: 'plain message' }, t, all);
      assert.ok(p.text.length > 0 && !p.text.includes('undefined'), `${kind}: ${p.text}`);
    }
  });

  describe('text from outside cannot become a link', () => {
    const hostile = '[Click](command:workbench.action.terminal.new)';

    it('in Kie\'s failMsg of a failed generation', () => {
      assert.deepEqual(links(`x ${hostile}`), ['command:workbench.action.terminal.new'], 'the probe finds the link in the raw text');
      const p = presentError({ kind: 'generationFailed', message: 'x', detail: `Refused ${hostile}`, taskId: 'task_1' }, t, all);
      assert.deepEqual(links(p.text), []);
      assert.ok(p.text.replace(/\u200b/g, '').includes(hostile), 'the text still reads the same');
    });

    it('in every kind that shows Kie\'s msg or a message, and in task ids', () => {
      const evil = '[Open](https://evil.example/steal) and [Run](file:///etc/passwd)';
      for (const kind of ['network', 'server', 'badResponse', 'validation', 'invalidInput', 'downloadFailed', 'unexpected', 'notFound'] as const) {
        const p = presentError({ kind, message: evil, detail: evil, taskId: hostile }, t, all);
        assert.deepEqual(links(p.text), [], kind);
      }
    });

    it('is stable when applied twice and leaves ordinary text alone', () => {
      const once = plainNotificationText(hostile);
      assert.equal(plainNotificationText(once), once);
      assert.equal(plainNotificationText('Kie could not generate the video (code 500): [sic]'), 'Kie could not generate the video (code 500): [sic]');
    });
  });
});
