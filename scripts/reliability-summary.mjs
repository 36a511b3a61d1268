#!/usr/bin/env node
// Prints the reliability table from the figures the tests counted (test/helpers/figures.ts).
// A figure a suite cannot count is absent from its row and printed as "–" (never as 0).
import { readFileSync } from 'node:fs';

const file = process.argv[2];
const rows = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
if (rows.length === 0) {
  console.error('no figures were recorded: did the reliability tests run?');
  process.exit(1);
}
const NA = '–';
const head = ['suite', 'fault types injected', 'runs', 'operations', 'lost writes', 'duplicate writes', 'requests over limit', 'crashes', 'secrets leaked'];
const fields = ['runs', 'operations', 'lostWrites', 'duplicateWrites', 'overLimit', 'crashes', 'secretsLeaked'];
const body = rows.map((r) => [r.suite, r.faultTypes.join(', '), ...fields.map((f) => (typeof r[f] === 'number' ? String(r[f]) : NA))]);
const total = ['total', '', ...fields.map((_, k) => {
  const counted = body.map((r) => r[k + 2]).filter((v) => v !== NA);
  return counted.length ? String(counted.reduce((n, v) => n + Number(v), 0)) : NA;
})];
console.log(`| ${head.join(' | ')} |`);
console.log(`|${head.map(() => '---').join('|')}|`);
for (const r of [...body, total]) console.log(`| ${r.join(' | ')} |`);
