import {
	createServer,
	type IncomingHttpHeaders,
	type IncomingMessage,
	type Server,
	type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';

/**
 * A local webhook receiver for tests: node:http on 127.0.0.1, ephemeral port. It records every
 * request with its exact raw bytes and lets a test decide each answer. It stops by itself after
 * `lifetimeMs` (and is unref'd), so a failing test cannot leave it running.
 */
export interface ReceivedRequest {
	method: string;
	path: string;
	headers: IncomingHttpHeaders;
	rawBody: Buffer;
	receivedAt: number;
}

export type Handler = (
	request: ReceivedRequest,
	res: ServerResponse,
	req: IncomingMessage,
) => void | Promise<void>;

export interface Receiver {
	port: number;
	url(path?: string): string;
	requests: ReceivedRequest[];
	close(): Promise<void>;
}

export const ok: Handler = (_request, res) => {
	res.writeHead(200, { 'content-type': 'application/json' });
	res.end('{"received":true}');
};

export async function startReceiver(handler: Handler = ok, lifetimeMs = 60_000): Promise<Receiver> {
	const requests: ReceivedRequest[] = [];
	const sockets = new Set<Socket>();
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const request: ReceivedRequest = {
				method: req.method ?? '',
				path: req.url ?? '',
				headers: req.headers,
				rawBody: Buffer.concat(chunks),
				receivedAt: Date.now(),
			};
			requests.push(request);
			Promise.resolve(handler(request, res, req)).catch(() => {
				if (!res.headersSent) res.writeHead(500);
				res.end();
			});
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	server.unref();
	const port = (server.address() as { port: number }).port;
	let closed = false;
	const close = async () => {
		if (closed) return;
		closed = true;
		for (const socket of sockets) socket.destroy();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	};
	const stopper = setTimeout(() => void close(), lifetimeMs);
	stopper.unref();
	return {
		port,
		url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
		requests,
		close: async () => {
			clearTimeout(stopper);
			await close();
		},
	};
}

/** Read a header as one string (Node gives arrays only for a few headers). */
export function headerOf(request: ReceivedRequest, name: string): string | undefined {
	const value = request.headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}
