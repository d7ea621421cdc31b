import * as assert from 'node:assert/strict';
import { BUNDLED_SPECS } from '../../../src/core/models/bundledSpecs';
import { requestSettings } from '../../../src/vscode/presentation/requestSettings';
import { optionLabel, optionTexts, optionValueText } from '../../../src/vscode/presentation/optionText';
import { bundleTranslate, englishWords } from '../l10n/bundleTranslate';

const zh = bundleTranslate('zh-cn');

/** A value Kie spells as a word (`Auto`, `std`, `spicy`), as opposed to `720p`, `4K`, `16:9` or `5`. */
const isWord = (v: string | number) => typeof v === 'string' && /[a-z]{2,}/i.test(v) && !/^\d+(p|P|K)$/.test(v);

describe('optionText', () => {
  it('names every model-own field of every bundled model in Chinese, so a new model with a new field fails here', () => {
    const missing: string[] = [];
    for (const spec of BUNDLED_SPECS.filter((s) => !s.retired)) {
      for (const o of spec.options.filter((o) => !o.concept)) {
        const label = optionLabel(o.field, zh);
        if (label === o.field || englishWords(label).length > 0) missing.push(`${spec.id}: ${o.field} → ${label}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('names every value a bundled model spells as a word, by its concept or its own field', () => {
    const missing: string[] = [];
    for (const spec of BUNDLED_SPECS.filter((s) => !s.retired)) {
      for (const o of spec.options) {
        for (const v of (o.values ?? []).filter((v) => isWord(v.value))) {
          const shown = optionValueText(o.concept ?? o.field, v.value, zh);
          if (englishWords(shown).length > 0) missing.push(`${spec.id}: ${o.concept ?? o.field}=${v.value} → ${shown}`);
        }
      }
    }
    assert.deepEqual(missing, []);
  });

  it('keeps a field it does not know as Kie spells it, rather than inventing a name', () => {
    assert.equal(optionLabel('camera_fixed', zh), 'camera_fixed');
    assert.equal(optionValueText('mode', 'cinematic', zh), 'cinematic');
    assert.equal(optionValueText('watermark', true, zh), '是');
  });

  it('has a hint only for a field it names', () => {
    const t = optionTexts(zh);
    assert.deepEqual(Object.keys(t.hints).filter((f) => !(f in t.labels)), []);
  });

  it('shows a stored request to a Chinese user without English of ours: labels and word values localized', () => {
    const rows = requestSettings({ model: 'veo3_fast', prompt: 'p', aspect: 'Auto', resolution: '1080p', options: { enableTranslation: false } }, zh);
    assert.deepEqual(rows, [
      { label: '宽高比', value: '自动（随图片）' },
      { label: '分辨率', value: '1080p' },
      { label: '将提示词译为英文', value: '否' },
    ]);
  });
});
