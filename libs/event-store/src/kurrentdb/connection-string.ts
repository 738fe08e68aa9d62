/** The connection string with its password, if any, masked: for messages and logs. */
export function redactConnectionString(connectionString: string): string {
  return connectionString.replace(/\/\/([^:@/?#]*):[^@/?#]*@/, '//$1:***@');
}
