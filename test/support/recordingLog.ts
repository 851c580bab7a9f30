/** The "Stackwatch" log channel for tests: every line, as written. */
import type { LogSink } from '../../src/ui/deploymentLog';

export class RecordingLog implements LogSink {
  readonly lines: string[] = [];
  info(message: string): void {
    this.lines.push(message);
  }
  warn(message: string): void {
    this.lines.push(message);
  }
  error(message: string | Error): void {
    this.lines.push(String(message));
  }
}
