import { failed, verified, type VerifyResult } from './errors';

/** Integer seconds since epoch; values above 1e11 are taken as milliseconds. */
export function parseUnixTimestamp(value: string | number): number | undefined {
	const text = String(value).trim();
	if (!/^\d{1,16}$/.test(text)) return undefined;
	const n = Number(text);
	return n > 1e11 ? Math.floor(n / 1000) : n;
}

/** Replay window, checked both ways: stale and future timestamps are both refused. */
export function checkTimestamp(
	seconds: number,
	toleranceSeconds: number,
	nowSeconds: number = Math.floor(Date.now() / 1000),
): VerifyResult {
	if (toleranceSeconds <= 0) return verified;
	if (nowSeconds - seconds > toleranceSeconds) {
		return failed(
			'timestamp_too_old',
			`The signed timestamp is more than ${toleranceSeconds}s old (replay window).`,
		);
	}
	if (seconds - nowSeconds > toleranceSeconds) {
		return failed(
			'timestamp_in_future',
			`The signed timestamp is more than ${toleranceSeconds}s in the future; check the sender's clock.`,
		);
	}
	return verified;
}
