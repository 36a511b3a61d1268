/**
 * commander, re-exported from one place. The build bundles it into the start-up chunk (see the
 * `build` script), which loads faster than resolving its CommonJS files at run time; commander
 * is on every start-up path, the SDKs and other dependencies stay external and lazy.
 */
export { Argument, Command, CommanderError, Option } from 'commander';
