import type { Command } from './command.js';
import { engineCommand } from './engine.js';
import { servicesCommand } from './services.js';
import { streamCommand } from './stream.js';
import { sqlCommand } from './sql.js';
import { tablesCommand } from './tables.js';
import { describeCommand } from './describe.js';
import { historyCommand } from './history.js';
import { timeTravelCommand } from './timeTravel.js';
import { diffCommand } from './diff.js';
import { cdfCommand } from './cdf.js';
import { restoreCommand } from './restore.js';
import { optimizeCommand } from './optimize.js';
import { vacuumCommand } from './vacuum.js';
import { armCommand, disarmCommand } from './arm.js';
import { runCommand } from './run.js';
import { runsCommand } from './runs.js';
import { dataCommand } from './data.js';
import { demoCommand } from './demo.js';
import { deployCommand } from './deploy.js';
import { sharesCommand } from './shares.js';
import { recipientsCommand } from './recipients.js';
import { sharingCommand } from './sharing.js';
import { envCommand } from './env.js';
import { exportCommand } from './export.js';
import { driftCommand } from './drift.js';
import { grantsCommand } from './grants.js';
import { lineageCommand } from './lineage.js';
import { auditCommand } from './audit.js';
import { completionCommand } from './completion.js';

/** Every command, in the order `lhctl --help` lists them. The console, REPL and CLI share these. */
export const COMMANDS: readonly Command[] = [
  demoCommand,
  dataCommand,
  runCommand,
  runsCommand,
  streamCommand,
  sqlCommand,
  engineCommand,
  servicesCommand,
  tablesCommand,
  describeCommand,
  historyCommand,
  timeTravelCommand,
  diffCommand,
  cdfCommand,
  restoreCommand,
  optimizeCommand,
  vacuumCommand,
  deployCommand,
  driftCommand,
  grantsCommand,
  lineageCommand,
  auditCommand,
  exportCommand,
  sharesCommand,
  recipientsCommand,
  sharingCommand,
  envCommand,
  armCommand,
  disarmCommand,
  completionCommand,
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}

export function commandNames(): string[] {
  return COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
}
