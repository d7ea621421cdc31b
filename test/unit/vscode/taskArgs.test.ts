import * as assert from 'node:assert/strict';
import { taskIdArg } from '../../../src/vscode/tasks/taskArgs';

describe('task command arguments', () => {
  it('takes an id string, a tree element or an object with an id', () => {
    assert.equal(taskIdArg('t-1'), 't-1');
    assert.equal(taskIdArg({ id: ' t-2 ' }), 't-2');
  });

  it('ignores anything else, so the command falls back to a quick pick', () => {
    for (const v of [undefined, null, '', '  ', 42, {}, { id: 3 }, ['t-1']]) assert.equal(taskIdArg(v), undefined, JSON.stringify(v));
  });
});
