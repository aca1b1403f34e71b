// Runs the DuckDB peer (bench/peers/duckdb_pipeline.sql) into a DuckDB file and writes its Gold
// as lines (bench/peers/gold_lines.sql) for bench/compare_bench.sh to compare with litehouse's.
//
//   node duckdb_run.mjs PIPELINE.sql GOLD_LINES.sql OUT.duckdb LINES.txt
//
// The pipeline file has its placeholders already replaced; statements are separated by ";\n".
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync, writeFileSync } from 'node:fs';

const [pipelinePath, goldLinesPath, dbPath, linesPath] = process.argv.slice(2);
const instance = await DuckDBInstance.create(dbPath);
const connection = await instance.connect();
const started = process.hrtime.bigint();
for (const statement of readFileSync(pipelinePath, 'utf8').split(/;\s*\n/)) {
  if (statement.replace(/--[^\n]*/g, '').trim() === '') continue;
  await connection.run(statement);
}
await connection.run('CHECKPOINT');
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const reader = await connection.runAndReadAll(readFileSync(goldLinesPath, 'utf8'));
writeFileSync(linesPath, reader.getRows().map((row) => row[0]).join('\n') + '\n');
connection.closeSync();
console.log(`pipeline_seconds ${seconds.toFixed(3)}`);
