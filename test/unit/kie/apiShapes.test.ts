import * as assert from 'node:assert/strict';
import { findBundled } from '../../../src/core/models/bundledSpecs';
import { buildRequest, type ModelRequest } from '../../../src/core/models/requestBuilder';
import type { VideoChoices } from '../../../src/core/models/spec';
import { parseCredits, parseDownloadUrl } from '../../../src/core/kie/commonApi';
import { KieError } from '../../../src/core/kie/errors';
import { buildJobsCreateBody, parseJobsRecord } from '../../../src/core/kie/jobsApi';
import { buildVeoCreateBody, parseVeoRecord } from '../../../src/core/kie/veoApi';

function request(id: string, choices: VideoChoices): ModelRequest {
  const spec = findBundled(id);
  assert.ok(spec);
  return buildRequest(spec, choices);
}

describe('jobs API shapes', () => {
  it('wraps the model layer\'s fields in `input` beside `model`', () => {
    const body = buildJobsCreateBody(request('wan/2-7-text-to-video', { prompt: 'p', aspect: '9:16' }));
    assert.equal(body.model, 'wan/2-7-text-to-video');
    assert.equal(body.input.ratio, '9:16');
    assert.equal(body.input.prompt, 'p');
  });

  const record = {
    taskId: 't1',
    model: 'sora-2-text-to-video',
    state: 'success',
    resultJson: '{"resultUrls":["https://r/a.mp4"],"resultWaterMarkUrls":["https://r/w.mp4"]}',
    failCode: '',
    failMsg: '',
    costTime: 15000,
    createTime: 1698765400000,
    completeTime: 1698765432000,
  };

  it('parses resultJson given as a string', () => {
    const s = parseJobsRecord(record, 't1');
    assert.equal(s.status, 'success');
    assert.equal(s.rawState, 'success');
    assert.deepEqual(s.resultUrls, ['https://r/a.mp4']);
    assert.deepEqual(s.watermarkUrls, ['https://r/w.mp4']);
    assert.equal(s.failCode, undefined);
    assert.equal(s.failMsg, undefined);
    assert.equal(s.costTimeMs, 15000);
    assert.equal(s.completeTime, 1698765432000);
  });

  it('tolerates resultJson as an object, "" or null', () => {
    assert.deepEqual(parseJobsRecord({ ...record, resultJson: { resultUrls: ['https://r/b.mp4'] } }, 't1').resultUrls, ['https://r/b.mp4']);
    assert.deepEqual(parseJobsRecord({ ...record, state: 'generating', resultJson: '' }, 't1').resultUrls, []);
    assert.deepEqual(parseJobsRecord({ ...record, state: 'waiting', resultJson: null, failCode: null }, 't1').resultUrls, []);
    assert.deepEqual(parseJobsRecord({ ...record, resultJson: '{"resultUrls":' }, 't1').resultUrls, []);
  });

  it('maps every state', () => {
    const statuses = ['waiting', 'queuing', 'generating', 'success', 'fail'].map((state) => parseJobsRecord({ ...record, state }, 't1').status);
    assert.deepEqual(statuses, ['queued', 'queued', 'generating', 'success', 'failed']);
  });

  it('keeps polling an unknown state as generating, keeping Kie’s word', () => {
    const s = parseJobsRecord({ ...record, state: 'rendering', resultJson: '' }, 't1');
    assert.equal(s.status, 'generating');
    assert.equal(s.rawState, 'rendering');
  });

  it('carries failCode and failMsg of a failed task', () => {
    const s = parseJobsRecord({ ...record, state: 'fail', resultJson: '', failCode: 422, failMsg: 'Invalid prompt: prohibited content' }, 't1');
    assert.equal(s.status, 'failed');
    assert.equal(s.failCode, '422');
    assert.equal(s.failMsg, 'Invalid prompt: prohibited content');
  });

  it('refuses an answer without a record', () => {
    assert.throws(() => parseJobsRecord(null, 't1'), (e: unknown) => e instanceof KieError && e.kind === 'badResponse' && e.taskId === 't1');
  });
});

describe('Veo API shapes', () => {
  it('puts the model layer\'s fields at the top level, with the tier as `model`', () => {
    const body = buildVeoCreateBody(request('veo3_lite', { prompt: 'p', aspect: '9:16', images: { first: 'https://i/a.png' } }));
    assert.equal(body.model, 'veo3_lite');
    assert.equal(body.aspect_ratio, '9:16');
    assert.equal(body.generationType, 'FIRST_AND_LAST_FRAMES_2_VIDEO');
    assert.deepEqual(body.imageUrls, ['https://i/a.png']);
    assert.equal(body.input, undefined);
  });

  it('maps successFlag 0/1/2/3', () => {
    const statuses = [0, 1, 2, 3].map((f) => parseVeoRecord({ taskId: 'v', successFlag: f, response: null }, 'v').status);
    assert.deepEqual(statuses, ['generating', 'success', 'failed', 'failed']);
    assert.equal(parseVeoRecord({ successFlag: 1 }, 'v').rawState, 'successFlag=1');
    assert.equal(parseVeoRecord({ successFlag: 7 }, 'v').status, 'generating');
  });

  it('reads resultUrls as an array, a JSON string or a loose string', () => {
    const urls = (v: unknown): string[] => parseVeoRecord({ successFlag: 1, response: { resultUrls: v } }, 'v').resultUrls;
    assert.deepEqual(urls(['https://r/a.mp4']), ['https://r/a.mp4']);
    assert.deepEqual(urls('["https://r/a.mp4"]'), ['https://r/a.mp4']);
    assert.deepEqual(urls('[https://r/a.mp4, https://r/b.mp4]'), ['https://r/a.mp4', 'https://r/b.mp4']);
    assert.deepEqual(parseVeoRecord({ successFlag: 1, response: '{"resultUrls":["https://r/c.mp4"]}' }, 'v').resultUrls, ['https://r/c.mp4']);
  });

  it('carries errorCode and errorMessage of a failed generation', () => {
    const s = parseVeoRecord({ successFlag: 3, errorCode: 400, errorMessage: 'Prompt blocked', createTime: '2025-06-06 10:30:00' }, 'v');
    assert.equal(s.failCode, '400');
    assert.equal(s.failMsg, 'Prompt blocked');
    assert.equal(typeof s.createTime, 'number');
  });
});

describe('common API shapes', () => {
  it('reads credits as a number or numeric string', () => {
    assert.equal(parseCredits(100), 100);
    assert.equal(parseCredits('42.5'), 42.5);
    assert.throws(() => parseCredits(null), (e: unknown) => e instanceof KieError && e.kind === 'badResponse');
  });

  it('reads a refreshed download URL', () => {
    assert.equal(parseDownloadUrl('https://f/x.mp4'), 'https://f/x.mp4');
    assert.throws(() => parseDownloadUrl(''), (e: unknown) => e instanceof KieError && e.kind === 'badResponse');
  });
});
