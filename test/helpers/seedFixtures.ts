import { runAndStore } from './pipeline';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
	InboundRequest,
	PipelineResult,
	SourceDefinition,
	SourceSettings,
} from '../../nodes/core/pipeline/types';

/** Fixtures of the four seed sources; written by us from the seed text (see PROVENANCE.md in each folder). */
export type SeedSource = 'recruitis' | 'talentats' | 'viasto' | 'humansourcing';

export function fixtureText(source: SeedSource, name: string): string {
	return readFileSync(join(__dirname, '..', 'fixtures', source, name), 'utf8');
}

export function fixture<T = unknown>(source: SeedSource, name: string): T {
	return JSON.parse(fixtureText(source, name)) as T;
}

let counter = 0;
/** A scope no other test uses: the in-process dedup store is shared by the whole jest worker. */
export function uniqueScope(prefix = 'seed'): string {
	counter += 1;
	return `${prefix}-${process.pid}-${Date.now()}-${counter}`;
}

export function baseSettings(overrides: Partial<SourceSettings> = {}): SourceSettings {
	return {
		auth: { scheme: 'none' },
		events: [],
		dedup: { enabled: true, window: 1000 },
		privacy: false,
		maxBodyBytes: 5 * 1024 * 1024,
		responseCode: 0,
		batchAsOneItem: false,
		emitTestEvents: false,
		...overrides,
	};
}

export interface RunOptions {
	method?: string;
	headers?: Record<string, string>;
	query?: Record<string, unknown>;
	now?: number;
	scope?: string;
	staticData?: Record<string, unknown>;
}

/** One request through the real pipeline with a source, as the node would run it. */
export function runSource<S extends SourceSettings>(
	source: SourceDefinition<S>,
	body: string | Buffer | undefined,
	settings: S,
	options: RunOptions = {},
): PipelineResult & { items: Array<Record<string, any>> } {
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		...(options.headers ?? {}),
	};
	const request: InboundRequest = {
		method: options.method ?? 'POST',
		headers,
		rawBody: body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body),
		query: options.query ?? {},
		now: options.now ?? Date.parse('2025-03-10T10:00:00Z'),
	};
	const result = runAndStore(source, request, settings, {
		scope: options.scope ?? uniqueScope(),
		staticData: options.staticData ?? {},
	});
	return { ...result, items: result.events as Array<Record<string, any>> };
}
