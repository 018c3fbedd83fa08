export * from './errors';
export * from './headers';
export * from './hmac';
export * from './simpleAuth';
export * from './standardWebhooks';
export * from './timestamp';
export * from './timingSafe';
