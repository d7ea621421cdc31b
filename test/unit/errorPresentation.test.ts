import * as assert from 'node:assert/strict';
import { presentError, MISSING_KEY_FIELD, type ErrorActionId } from '../../src/vscode/errorPresentation';

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
    assert.equal(p.text, 'Kie could not generate the video: Invalid prompt: prompt contains prohibited content. Task ID: task_abc');
    assert.deepEqual(ids(p), ['editForm', 'generateAgain', 'showLog']);
  });

  it('names the alternative of a retired model on its button', () => {
    const p = presentError({ kind: 'modelUnavailable', message: 'x', model: 'sora-2-pro-text-to-video' }, t, all);
    assert.match(p.text, /^Sora 2 Pro is not available on Kie\. Veo 3\.1 Quality is the suggested alternative\.$/);
    assert.deepEqual(p.actions[0], { id: 'useModel', label: 'Use Veo 3.1 Quality', model: 'veo3' });
  });

  it('prefers the alternative the client reported over the catalog\'s', () => {
    const p = presentError({ kind: 'modelUnavailable', message: 'x', model: 'sora-2-text-to-video', alternativeModel: 'veo3' }, t, all);
    assert.equal(p.actions[0].model, 'veo3');
  });

  it('offers only actions the caller can run', () => {
    const p = presentError({ kind: 'network', message: 'x', detail: 'ECONNRESET' }, t);
    assert.deepEqual(ids(p), []);
    assert.equal(p.text, 'Could not reach Kie: ECONNRESET. Check your connection and proxy settings.');
    assert.deepEqual(ids(presentError({ kind: 'network', message: 'x' }, t, all)), ['retry', 'showLog']);
  });

  it('shows a field message as is', () => {
    const p = presentError({ kind: 'invalidInput', message: 'The image is 12 MB; Kie accepts at most 10 MB.', field: 'image' }, t, all);
    assert.equal(p.text, 'The image is 12 MB; Kie accepts at most 10 MB.');
    assert.equal(p.severity, 'warning');
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
});
