/**
 * The sandbox's built-in demo credentials and account ids. They only work against the sandbox;
 * adctl uses them when no credentials are configured (DESIGN §5 "Sandbox default").
 * They are not secrets, but they are still redacted like any token.
 */
export const SANDBOX_X = {
  apiKey: 'sandbox-x-consumer-key',
  apiSecret: 'sandbox-x-consumer-secret',
  accessToken: '1000000001-sandboxXaccessToken',
  accessSecret: 'sandbox-x-access-secret',
  /** USD account in America/New_York. */
  adsAccountId: '18ce54d4x5t',
  userId: '1000000001',
} as const;

export const SANDBOX_META = {
  accessToken: 'EAASANDBOXmetaAccessToken000000',
  appSecret: 'sandbox-meta-app-secret',
  /** JPY account (a zero-decimal currency) in Asia/Tokyo. */
  adAccountId: 'act_1001',
  pageId: '2001',
  igUserId: '17841400000000001',
} as const;
