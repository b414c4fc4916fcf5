/**
 * Results do not depend on the machine's time zone: the same inputs parsed in processes with other
 * TZ values give exactly the frames this process (TZ=America/St_Johns) gives.
 */
import { execFileSync } from 'child_process';
import { join } from 'path';

const { digest } = require('../../testdata/tz-digest') as { digest: () => string };

const root = join(__dirname, '..', '..');

describe('time zones', () => {
  it('runs here in a zone that is not UTC', () => {
    expect(new Date(2024, 0, 1).getTimezoneOffset()).not.toBe(0);
  });

  it.each(['UTC', 'Pacific/Kiritimati', 'America/Los_Angeles'])(
    'parses the same under TZ=%s',
    (tz) => {
      const there = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'testdata', 'tz-digest.ts')], {
        cwd: root,
        env: { ...process.env, TZ: tz },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(there).toBe(digest());
    },
    30000
  );
});
