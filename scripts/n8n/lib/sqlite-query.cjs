// Runs ONE SQL statement against an n8n SQLite database and prints the rows as JSON.
// Runs under the Node 24 of .cache/ with the sqlite3 and flatted modules of the n8n install
// (ATS_N8N_MODULES). Input on stdin: {"db": path, "sql": "...", "params": [...], "flatted": ["col"]}.
// Columns named in `flatted` are parsed with flatted (execution_data.data is stored that way).
'use strict';
const path = require('node:path');

const modules = process.env.ATS_N8N_MODULES;
const load = (name) =>
	require(require.resolve(name, { paths: [path.join(modules, 'n8n'), modules] }));

let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
	const { db, sql, params = [], flatted = [] } = JSON.parse(input);
	const sqlite3 = load('sqlite3');
	const database = new sqlite3.Database(db, sqlite3.OPEN_READONLY, (openError) => {
		if (openError) return fail(openError);
		database.configure('busyTimeout', 10000);
		database.all(sql, params, (error, rows) => {
			database.close();
			if (error) return fail(error);
			if (flatted.length) {
				const { parse } = load('flatted');
				for (const row of rows)
					for (const col of flatted) if (typeof row[col] === 'string') row[col] = parse(row[col]);
			}
			process.stdout.write(JSON.stringify(rows));
		});
	});
});

function fail(error) {
	process.stderr.write(`${error.message}\n`);
	process.exit(1);
}
