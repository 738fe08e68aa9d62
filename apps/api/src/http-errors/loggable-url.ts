/**
 * Query parameters that carry bearer tokens: `access_token` on the change feeds, `token` on the
 * dashboard's address. A token in a log line is a credential anyone with the logs can use.
 */
const CREDENTIALS = /([?&](?:access_token|token)=)[^&#]*/gi;

/** The request URL fit for a log line: tokens in its query replaced by `[redacted]`. */
export function loggableUrl(url: string): string {
  return url.replace(CREDENTIALS, '$1[redacted]');
}
