/** The connection string with its password, if any, masked: for messages and logs. */
export function redactConnectionString(connectionString: string): string {
  return connectionString.replace(/\/\/([^:@/?#]*):[^@/?#]*@/, '//$1:***@');
}

/** Why a first read failed, in words an operator can act on (the client's own messages are bare). */
export function describeConnectionFailure(error: unknown): string {
  const { type, message } = (error ?? {}) as { type?: string; message?: string };
  switch (type) {
    case 'unavailable':
      return (
        'nothing answered (is the server running, are host and port right, and does ' +
        '?tls= match the server?)'
      );
    case 'deadline-exceeded':
      return 'it did not answer in time';
    case 'access-denied':
      return 'the user of the connection string may not read $all';
    case 'not-leader':
      return 'the node is not the leader; use a connection string that discovers the cluster';
    default:
      return message ?? String(error);
  }
}
