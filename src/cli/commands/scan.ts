import { HopwatchError } from '../../errors.js';
import type { Command } from '../io.js';

// Placeholder until its issue lands; replaced by the real command.
export const scanCommand: Command = {
  name: 'scan',
  summary: 'not built yet',
  usage: 'Usage: hopwatch scan (not built yet)',
  async run() {
    throw new HopwatchError('CLI_NOT_BUILT', '"scan" is not built yet');
  },
};
