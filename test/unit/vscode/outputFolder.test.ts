import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { resolveOutputFolder } from '../../../src/vscode/settings/outputFolder';

describe('sora.outputFolder', () => {
  const root = path.resolve('/home/me/project');
  const storage = path.resolve('/home/me/.storage');

  it('defaults to videos/ in the workspace, or the extension storage without a folder', () => {
    assert.deepEqual(resolveOutputFolder({ defaultValue: 'videos' }, root, storage), { dir: path.join(root, 'videos') });
    assert.deepEqual(resolveOutputFolder({ defaultValue: 'videos' }, undefined, storage), { dir: path.join(storage, 'videos') });
  });

  it('from the workspace: a folder inside it is used', () => {
    assert.deepEqual(resolveOutputFolder({ defaultValue: 'videos', workspaceValue: 'media/clips' }, root, storage), { dir: path.join(root, 'media/clips') });
    assert.deepEqual(resolveOutputFolder({ defaultValue: 'videos', workspaceFolderValue: 'out/../clips' }, root, storage), { dir: path.join(root, 'clips') });
    assert.deepEqual(resolveOutputFolder({ defaultValue: 'videos', workspaceValue: path.join(root, 'abs') }, root, storage), { dir: path.join(root, 'abs') });
  });

  it('from the workspace: absolute paths and .. outside it are ignored and reported', () => {
    for (const outside of ['../elsewhere', path.resolve('/etc/cron.d'), 'a/../../..', '..', path.join(root, '..', 'project-sibling')]) {
      assert.deepEqual(
        resolveOutputFolder({ defaultValue: 'videos', workspaceValue: outside }, root, storage),
        { dir: path.join(root, 'videos'), ignoredWorkspaceValue: outside },
        outside,
      );
    }
    // Falls back to the user's own choice, not only to the default.
    assert.deepEqual(resolveOutputFolder({ defaultValue: 'videos', globalValue: '/data/vids', workspaceValue: '/tmp/x' }, root, storage), {
      dir: '/data/vids',
      ignoredWorkspaceValue: '/tmp/x',
    });
    assert.equal(resolveOutputFolder({ defaultValue: 'videos', workspaceValue: 'clips' }, undefined, storage).ignoredWorkspaceValue, 'clips');
  });

  it('from the workspace: a folder that is a link leading outside is ignored', () => {
    const links: Record<string, string> = { [path.join(root, 'videos-link')]: path.resolve('/home/me/.ssh') };
    const realpath = (p: string) => {
      for (const [link, target] of Object.entries(links)) if (p === link || p.startsWith(link + path.sep)) return target + p.slice(link.length);
      return p;
    };
    assert.equal(resolveOutputFolder({ defaultValue: 'videos', workspaceValue: 'videos-link/x' }, root, storage, realpath).ignoredWorkspaceValue, 'videos-link/x');
    assert.deepEqual(resolveOutputFolder({ defaultValue: 'videos', workspaceValue: 'clips' }, root, storage, realpath), { dir: path.join(root, 'clips') });
  });

  it('from the user: anywhere, absolute or relative to the workspace', () => {
    assert.deepEqual(resolveOutputFolder({ defaultValue: 'videos', globalValue: '/srv/videos' }, root, storage), { dir: '/srv/videos' });
    assert.deepEqual(resolveOutputFolder({ defaultValue: 'videos', globalValue: '../shared-videos' }, root, storage), { dir: path.resolve(root, '../shared-videos') });
  });
});
