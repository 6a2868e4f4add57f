import { HopwatchError } from '../../errors.js';
import type { Command } from '../io.js';

// Placeholder until its issue lands; replaced by the real command.
export const candidatesCommand: Command = {
  name: 'candidates',
  summary: 'not built yet',
  usage: 'Usage: hopwatch candidates (not built yet)',
  async run() {
    throw new HopwatchError('CLI_NOT_BUILT', '"candidates" is not built yet');
  },
};
