/** Credential type names; kept in one place because nodes, docs and the e2e workflows rely on them. */
export const SIGNING_SECRET_CREDENTIAL = 'atsWebhookSigningSecretApi';
export const HEADER_TOKEN_CREDENTIAL = 'atsWebhookHeaderTokenApi';
export const BASIC_AUTH_CREDENTIAL = 'atsWebhookBasicAuthApi';
/** The Redis connection of the shared dedup store (docs/queue-mode.md). */
export const REDIS_CREDENTIAL = 'atsWebhookRedisApi';
