import { HopwatchError } from '../../errors.js';
import type { Command } from '../io.js';

// Placeholder until its issue lands; replaced by the real command.
export const discoverCommand: Command = {
  name: 'discover',
  summary: 'not built yet',
  usage: 'Usage: hopwatch discover (not built yet)',
  async run() {
    throw new HopwatchError('CLI_NOT_BUILT', '"discover" is not built yet');
  },
};
