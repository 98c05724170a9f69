/**
 * A one-line progress display with records/s, redrawn at most 10 times a second, on a TTY only (stderr).
 */
export class ProgressLine {
  private lastDraw = 0;
  private readonly started = Date.now();
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr, private readonly enabled = Boolean(stream.isTTY)) {}

  update(records: number, bad: number, detections: number, current: string): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = Math.round(records / seconds);
    const text = `  ${records.toLocaleString('en-US')} records  ${rate.toLocaleString('en-US')}/s  ${bad} bad  ${detections} detections  ${current}`;
    const width = this.stream.columns ?? 100;
    this.stream.write(`\r${text.slice(0, width - 1).padEnd(width - 1)}`);
    this.drawn = true;
  }

  done(): void {
    if (this.enabled && this.drawn) this.stream.write(`\r${' '.repeat((this.stream.columns ?? 100) - 1)}\r`);
  }
}
