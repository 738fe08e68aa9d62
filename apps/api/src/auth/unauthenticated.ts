/** The request carries no usable credentials; the message says what is wrong. */
export class Unauthenticated extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Unauthenticated';
  }
}
