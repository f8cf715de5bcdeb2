/** A request the sharing server answers with an HTTP error: the protocol's `{errorCode, message}` body. */
export class SharingRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'SharingRequestError';
  }
}
