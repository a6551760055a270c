/** Types of `asl-validator` 4 (it ships none): validates an Amazon States Language definition. */
declare module 'asl-validator' {
  interface ValidationResult {
    isValid: boolean;
    errors: Array<{ 'Error code': string; Message: string }>;
    errorsText(separator?: string): string;
  }
  export default function validator(definition: unknown, options?: { checkPaths?: boolean; checkArn?: boolean }): ValidationResult;
}
