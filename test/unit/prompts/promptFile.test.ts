import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { findBundled } from '../../../src/core/models/bundledSpecs';
import { diagnosePromptFile, type ModelLookup } from '../../../src/core/prompts/promptDiagnostics';
import { parsePromptFile, promptFileBaseName } from '../../../src/core/prompts/promptFile';
import { promptFileText } from '../../../src/core/prompts/promptFileText';

const FILE = path.resolve('/work/shots/intro.video.md');
const bundled: ModelLookup = { spec: findBundled, alternatives: (id) => (findBundled(id)?.retired ? [findBundled(id)!.retired!.alternative] : id.startsWith('sora') ? ['veo3_fast'] : []) };

describe('prompt files: parsing', () => {
  it('reads every key into a GenerationRequest, paths relative to the file, the body as the prompt', () => {
    const text = [
      '---',
      'model: bytedance/seedance-2',
      'aspect: 16:9',
      'duration: 8',
      'resolution: 720p',
      'audio: false',
      'image: ../frames/start.png',
      'last_frame: end.png',
      'references: []',
      'seed: 42',
      'negative: blur',
      'variants: 3',
      'options:',
      '  return_last_frame: true',
      '---',
      '',
      'A lighthouse at dusk, waves below.',
      '<!-- a note for people, not sent -->',
      '',
    ].join('\n');
    const parsed = parsePromptFile(text, FILE);
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.variants, 3);
    assert.deepEqual(parsed.request, {
      model: 'bytedance/seedance-2',
      prompt: 'A lighthouse at dusk, waves below.',
      aspect: '16:9',
      duration: 8,
      resolution: '720p',
      audio: false,
      seed: 42,
      negative: 'blur',
      options: { return_last_frame: true },
      images: { first: path.resolve('/work/frames/start.png'), last: path.resolve('/work/shots/end.png') },
    });
    assert.deepEqual(parsed.places.duration.value, { line: 3, column: 10, endLine: 3, endColumn: 11 });
    assert.equal(parsed.places['options.return_last_frame'].key.line, 13);
    assert.equal(parsed.body.line, 15);
  });

  it('reports a file without front matter, and one whose front matter is never closed, at line 1', () => {
    const none = parsePromptFile('Just a prompt.\n', FILE);
    assert.equal(none.request, undefined);
    assert.deepEqual(none.problems.map((p) => [p.code, p.range.line]), [['noFrontMatter', 0]]);
    const open = parsePromptFile('---\nmodel: veo3_fast\nA prompt\n', FILE);
    assert.deepEqual(open.problems.map((p) => p.code), ['unclosedFrontMatter']);
  });

  it('gives YAML errors with their line and column in the file', () => {
    const parsed = parsePromptFile('---\nmodel: veo3_fast\naspect: [16:9\n---\nWaves\n', FILE);
    assert.equal(parsed.request, undefined);
    const p = parsed.problems[0];
    assert.equal(p.code, 'yaml');
    assert.ok(p.range.line >= 2, `line ${p.range.line}`);
  });

  it('names an unknown key at its place, with the key it probably means: nothing is dropped silently', () => {
    const parsed = parsePromptFile('---\nmodel: veo3_fast\naspect_ratio: 16:9\ncolour: red\n---\nWaves\n', FILE);
    assert.deepEqual(
      parsed.problems.map((p) => [p.code, p.range.line, p.range.column, p.values?.suggestion]),
      [
        ['unknownKey', 2, 0, 'aspect'],
        ['unknownKey', 3, 0, undefined],
      ],
    );
  });

  it('refuses values of the wrong type and variants outside 1-4', () => {
    const parsed = parsePromptFile('---\nmodel: veo3_fast\naudio: yes please\nduration: long\nvariants: 7\nreferences: 3\n---\nWaves\n', FILE);
    assert.deepEqual(parsed.problems.map((p) => [p.code, p.range.line]), [
      ['badValue', 2],
      ['badValue', 3],
      ['variants', 4],
      ['badValue', 5],
    ]);
  });

  it('needs a model', () => {
    const parsed = parsePromptFile('---\naspect: 16:9\n---\nWaves\n', FILE);
    assert.equal(parsed.request, undefined);
    assert.deepEqual(parsed.problems.map((p) => p.code), ['modelMissing']);
  });

  it('round-trips through promptFileText, paths written relative with /', () => {
    const request = { model: 'veo3_fast', prompt: 'Waves', aspect: '9:16', duration: 8, images: { first: path.resolve('/work/frames/a b.png') }, options: { enableTranslation: false } };
    const text = promptFileText(request, FILE, 2);
    assert.match(text, /image: \.\.\/frames\/a b\.png/);
    const parsed = parsePromptFile(text, FILE);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.request, request);
    assert.equal(parsed.variants, 2);
  });

  it('names the video after the file', () => {
    assert.equal(promptFileBaseName('/a/intro.video.md'), 'intro');
    assert.equal(promptFileBaseName('/a/Intro.Video.MD'), 'Intro');
  });
});

describe('prompt files: diagnostics from the model spec', () => {
  it('a retired Sora model: a diagnostic on the model value, with the live alternative as its fix', () => {
    const text = '---\nmodel: sora-2-text-to-video\naspect: landscape\n---\nWaves\n';
    const d = diagnosePromptFile(parsePromptFile(text, FILE), bundled);
    const retired = d.find((x) => x.code === 'retired');
    assert.ok(retired);
    assert.deepEqual(retired.range, { line: 1, column: 7, endLine: 1, endColumn: 27 });
    assert.equal(retired.fix?.text, 'veo3_fast');
  });

  it('an unknown model with no alternative has no fix; one with an alternative has it', () => {
    const d = diagnosePromptFile(parsePromptFile('---\nmodel: no-such-model\n---\nWaves\n', FILE), bundled);
    assert.deepEqual(d.map((x) => [x.code, x.fix]), [['unknownModel', undefined]]);
    const s = diagnosePromptFile(parsePromptFile('---\nmodel: sora-3\n---\nWaves\n', FILE), bundled);
    assert.equal(s[0].fix?.text, 'veo3_fast');
  });

  it('a value the model does not allow, an option it does not have, a concept it does not take, each at its key', () => {
    const text = '---\nmodel: veo3_fast\naspect: 4:3\nseed: 5\noptions:\n  turbo: true\n---\nWaves\n';
    const d = diagnosePromptFile(parsePromptFile(text, FILE), bundled);
    const byCode = Object.fromEntries(d.map((x) => [x.code, x.range.line]));
    assert.deepEqual(byCode, { notAllowed: 2, notOffered: 3, unknownOption: 5 });
  });

  it('a prompt over the model limit is reported on the body', () => {
    const text = `---\nmodel: kling-3.0/video\n---\n${'x'.repeat(2600)}\n`;
    const d = diagnosePromptFile(parsePromptFile(text, FILE), bundled);
    assert.deepEqual(d.map((x) => [x.code, x.range.line]), [['promptTooLong', 3]]);
  });
});
