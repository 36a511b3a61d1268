#!/usr/bin/env node
// Prints the reliability table from the figures the tests counted (test/helpers/figures.ts).
import { readFileSync } from 'node:fs';

const file = process.argv[2];
const rows = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
if (rows.length === 0) {
  console.error('no figures were recorded: did the reliability tests run?');
  process.exit(1);
}
const head = ['suite', 'fault types injected', 'runs', 'operations', 'lost writes', 'duplicate writes', 'requests over limit', 'crashes', 'secrets leaked'];
const body = rows.map((r) => [r.suite, r.faultTypes.join(', '), r.runs, r.operations, r.lostWrites, r.duplicateWrites, r.overLimit ?? 0, r.crashes, r.secretsLeaked].map(String));
const total = ['total', '', ...[2, 3, 4, 5, 6, 7, 8].map((i) => String(body.reduce((n, r) => n + Number(r[i]), 0)))];
console.log(`| ${head.join(' | ')} |`);
console.log(`|${head.map(() => '---').join('|')}|`);
for (const r of [...body, total]) console.log(`| ${r.join(' | ')} |`);
