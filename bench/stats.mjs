// Small statistics helpers shared by the benchmark parts.
export function percentile(sorted, p) {
	if (sorted.length === 0) return NaN;
	const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[index];
}

export function summarise(samplesNs) {
	const sorted = Float64Array.from(samplesNs).sort();
	return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

export const us = (ns) => (ns / 1000).toFixed(ns < 10_000 ? 2 : 1);
export const ms = (ns) => (ns / 1e6).toFixed(2);

export function table(headers, rows) {
	const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
	const line = (cells) =>
		'| ' + cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
	return [
		line(headers),
		'| ' + widths.map((w) => '-'.repeat(w)).join(' | ') + ' |',
		...rows.map(line),
	].join('\n');
}
