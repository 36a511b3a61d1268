/**
 * `adctl budget get|set|report`. `report` lives in budget-report.ts; `get` and `set` are added here.
 */
import type { Command } from '../commander.js';
import { registerBudgetReportCommand } from './budget-report.js';

export function registerBudgetCommands(program: Command): void {
  const budget = program.command('budget').description('show, set and report budgets of campaigns and ad groups');
  registerBudgetReportCommand(budget);
}
