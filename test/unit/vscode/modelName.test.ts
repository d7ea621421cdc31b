import * as assert from 'node:assert/strict';
import { BUNDLED_SPECS } from '../../../src/core/models/bundledSpecs';
import { modelDisplayName, modelKindLabel, retirementNote } from '../../../src/vscode/presentation/modelName';
import { bundleTranslate, englishWords } from '../l10n/bundleTranslate';

const zh = bundleTranslate('zh-cn');
const mark = (message: string, ...args: Array<string | number | boolean>) => `«${message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]))}»`;

describe('model names', () => {
  it('puts the localized kind beside the model\'s own name', () => {
    assert.equal(modelDisplayName({ label: 'Sora 2', kind: 'text' }, zh), 'Sora 2 · 文生视频');
    assert.equal(modelDisplayName({ label: 'Wan 2.7', kind: 'image' }, zh), 'Wan 2.7 · 图生视频');
    assert.equal(modelDisplayName({ label: 'Veo 3.1 Fast', kind: 'frames' }, zh), 'Veo 3.1 Fast · 首尾帧');
    assert.equal(modelDisplayName({ label: 'Veo 3.1 Fast', kind: 'reference' }, zh), 'Veo 3.1 Fast · 参考图生视频');
  });

  it('shows the name alone for a kind this release does not know, and nothing for no model', () => {
    assert.equal(modelDisplayName({ label: 'Future 1', kind: 'audio-to-video' }, zh), 'Future 1');
    assert.equal(modelKindLabel(undefined, zh), undefined);
    assert.equal(modelDisplayName(undefined, zh), undefined);
  });

  it('names every bundled and catalog model without an English word of ours in Chinese', () => {
    for (const spec of BUNDLED_SPECS) {
      const name = modelDisplayName(spec, zh) ?? '';
      assert.deepEqual(englishWords(name, [spec.label]), [], name);
    }
  });

  it('has its own sentence for every retirement note the catalogs hold, so none falls back to English', () => {
    const notes = new Set(BUNDLED_SPECS.flatMap((s) => (s.retired ? [s.retired.note] : [])));
    assert.ok(notes.size > 0);
    for (const note of notes) {
      assert.equal(retirementNote(note, mark), `«${note}»`, 'a literal t() call for this exact note');
      const text = retirementNote(note, zh);
      assert.notEqual(text, note, `no Chinese for: ${note}`);
      assert.ok(/[\u4e00-\u9fff]/.test(text), text);
    }
  });

  it('still frames an unknown note in a localized sentence', () => {
    assert.equal(retirementNote('Gone since May.', zh), '此模型即将停用：Gone since May.');
  });
});
