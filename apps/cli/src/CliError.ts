/** An error the CLI reports as one line and a chosen exit code (2: the input could not be used). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
