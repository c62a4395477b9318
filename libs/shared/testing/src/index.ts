export { createTestDatabase, databaseUrl, withAdminClient, TEST_ADMIN_URL, type TestDatabase } from './test-database';
export { createTestRedisNamespace, TEST_REDIS_URL, type TestRedisNamespace } from './test-redis';
export { offlineTestEnv, testEnv, TEST_JWT_SECRET } from './test-env';
export { requestJson, type JsonResponse } from './request-json';
export { startSmtpServer, WebhookReceiver, type ReceivedWebhook, type WebhookReceiverOptions } from './test-receivers';
export { HTTP_CONVENTIONS, listenForTests } from './http-test-app';
export { RecordingAudit, type AuditedAction, type AuditedTx } from './recording-audit';
export { totpCode } from './totp';
