import { type ValidationOptions } from 'class-validator';
import { type IsURLOptions } from 'validator/lib/isURL.js';

/**
 * What a webhook URL may be, for a rule's webhook and the service's ALERT_WEBHOOK_URL alike:
 * http(s) only, and no `user:password@`, since the URL is kept in the log and in every try.
 */
export const WEBHOOK_URL: IsURLOptions = {
  require_tld: false,
  protocols: ['http', 'https'],
  require_protocol: true,
  disallow_auth: true,
};

export const WEBHOOK_URL_MESSAGE: ValidationOptions = {
  message: '$property must be an http(s) URL without user:password',
};
