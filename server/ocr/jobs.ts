/**
 * OCR as background jobs, one per witness page, run one at a time (Tesseract takes a core; the other
 * serves the editors). Each job's progress is published in the awareness of the witness's transcription
 * document and of the edition's document, as the server's own awareness state `{ ocr: [...] }`: everyone
 * with the transcription or the edition open sees it at once, without polling, and nothing of it is
 * stored (it is not the text). `GET …/ocr` gives the same to scripts.
 */
import { meanConfidence, pageWords } from "../../schema/ocrResult.ts";
import type { Documents } from "../documents.ts";
import type { Log } from "../log.ts";
import type { PageRecord } from "../media/pageStore.ts";
import type { AsyncPageStore } from "../store/asyncStore.ts";
import { witnessDocName } from "../witnesses.ts";
import { refusalFor, writeDraft } from "./draft.ts";
import { recognisePage } from "./recognise.ts";
import { type OcrLanguage, tesseractVersion } from "./tesseract.ts";

export type JobState = "queued" | "cleaning" | "reading" | "writing" | "done" | "failed";

/** How far each state is, for a progress bar. */
const PROGRESS: Record<JobState, number> = {
  queued: 0,
  cleaning: 0.1,
  reading: 0.35,
  writing: 0.9,
  done: 1,
  failed: 1,
};

/** A line of the draft as the job read it: its zone, its words with their boxes (fractions of the page). */
export interface JobLine {
  zone: string;
  text: string;
  words: { text: string; conf: number; x: number; y: number; w: number; h: number }[];
}

export interface OcrJob {
  id: string;
  editionId: string;
  siglum: string;
  page: number;
  lang: OcrLanguage;
  state: JobState;
  progress: number;
  by: string | null;
  queuedAt: number;
  finishedAt: number | null;
  error: string | null;
  result: {
    engine: string;
    seconds: number;
    words: number;
    lowConfidence: number;
    meanConfidence: number;
    lines: JobLine[];
  } | null;
}

/** What everyone is shown of a job (the awareness state carries no words). */
export type JobSummary = Omit<OcrJob, "result"> & {
  result: Omit<NonNullable<OcrJob["result"]>, "lines"> | null;
};

// Finished jobs stay listed for a while, so that those watching see how they ended.
const KEEP_FINISHED_MS = 10 * 60_000;

export class OcrJobs {
  private readonly jobs = new Map<string, OcrJob>();
  private queue: Promise<void> = Promise.resolve();
  private engine: string | null = null;

  constructor(private readonly deps: { pages: AsyncPageStore; documents: Documents; log: Log }) {}

  /** The job of a page, if there is or was one. */
  get(editionId: string, siglum: string, page: number): OcrJob | null {
    return this.jobs.get(key(editionId, siglum, page)) ?? null;
  }

  /** The jobs of an edition (or of one of its witnesses), newest last. */
  list(editionId: string, siglum?: string): OcrJob[] {
    this.forgetOld();
    return [...this.jobs.values()].filter(
      (j) => j.editionId === editionId && (siglum === undefined || j.siglum === siglum),
    );
  }

  /**
   * Queues the OCR of a page; the running job is returned if there is one. The page is checked now (a
   * page with words is refused at once) and again before the draft is written (someone may type meanwhile).
   */
  async start(
    page: PageRecord,
    lang: OcrLanguage,
    by: string | null,
  ): Promise<{ job: OcrJob; queued: boolean } | { error: string }> {
    const k = key(page.editionId, page.siglum, page.n);
    const running = () => {
      const job = this.jobs.get(k);
      return job && job.state !== "done" && job.state !== "failed" ? job : null;
    };
    const before = running();
    if (before) return { job: before, queued: false };
    const refusal = await this.deps.documents.with(witnessDocName(page.editionId, page.siglum), (doc) =>
      refusalFor(doc, page.n, page.siglum),
    );
    if (refusal) return { error: refusal };
    // Asked again after the document was awaited: the same page asked twice at once is read once.
    const meanwhile = running();
    if (meanwhile) return { job: meanwhile, queued: false };
    const job: OcrJob = {
      id: `ocr-${page.editionId}-${page.siglum}-${page.n}-${Date.now().toString(36)}`,
      editionId: page.editionId,
      siglum: page.siglum,
      page: page.n,
      lang,
      state: "queued",
      progress: 0,
      by,
      queuedAt: Date.now(),
      finishedAt: null,
      error: null,
      result: null,
    };
    this.jobs.set(k, job);
    this.publish(job);
    this.queue = this.queue.then(() => this.run(job, page));
    return { job, queued: true };
  }

  /** Resolves when every queued job has ended (for tests and shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  private set(job: OcrJob, state: JobState): void {
    job.state = state;
    job.progress = PROGRESS[state];
    this.publish(job);
    // Once forgotten, an ended job leaves the awareness state too (nobody is told of it any longer).
    if (state === "done" || state === "failed")
      setTimeout(() => this.publish(job), KEEP_FINISHED_MS + 1000).unref();
  }

  private async run(job: OcrJob, page: PageRecord): Promise<void> {
    const { documents, pages, log } = this.deps;
    try {
      this.engine ??= await tesseractVersion();
      const read = await recognisePage(await pages.read(page.hash), page, job.lang, (stage) =>
        this.set(job, stage),
      );
      this.set(job, "writing");
      const name = witnessDocName(page.editionId, page.siglum);
      const written = await documents.with(name, (doc) =>
        writeDraft(doc, pages, page, read, { lang: job.lang, engine: this.engine as string, user: job.by }),
      );
      if (!written) throw new Error(`witness ${page.siglum} has no transcription document`);
      if (!written.ok) throw new Error(written.error);
      const frac = (b: { x: number; y: number; w: number; h: number }) => ({
        x: b.x / page.width,
        y: b.y / page.height,
        w: b.w / page.width,
        h: b.h / page.height,
      });
      const lines = read.page.paragraphs.flatMap((p) => p.lines);
      job.result = {
        engine: this.engine as string,
        seconds: Math.round(read.seconds * 10) / 10,
        words: written.words,
        lowConfidence: written.lowConfidence,
        meanConfidence: Math.round(meanConfidence(pageWords(read.page)) * 10) / 10,
        lines: lines.map((l, i) => ({
          zone: written.zones[i] ?? "",
          text: l.words.map((w) => w.text).join(" "),
          words: l.words.map((w) => ({ text: w.text, conf: w.conf, ...frac(w.box) })),
        })),
      };
      job.finishedAt = Date.now();
      this.set(job, "done");
      log.info(
        `OCR of page ${page.n} of ${page.siglum} in "${page.editionId}": ${written.words} words, mean confidence ${job.result.meanConfidence}, ${job.result.seconds} s`,
      );
    } catch (error) {
      job.error = (error as Error).message;
      job.finishedAt = Date.now();
      this.set(job, "failed");
      log.warn(`OCR of page ${page.n} of ${page.siglum} in "${page.editionId}" failed: ${job.error}`);
    }
  }

  /** The jobs of the witness in its transcription's awareness, those of the edition in the edition's. */
  private publish(job: OcrJob): void {
    for (const [name, jobs] of [
      [witnessDocName(job.editionId, job.siglum), this.list(job.editionId, job.siglum)],
      [job.editionId, this.list(job.editionId)],
    ] as const) {
      // Only documents someone has open: publishing must not load one (nor wait for the store).
      this.deps.documents.opened(name)?.awareness.setLocalState({ ocr: jobs.map(summary) });
    }
  }

  private forgetOld(): void {
    const now = Date.now();
    for (const [k, j] of this.jobs)
      if (j.finishedAt !== null && now - j.finishedAt > KEEP_FINISHED_MS) this.jobs.delete(k);
  }
}

export function summary(job: OcrJob): JobSummary {
  const { result, ...rest } = job;
  if (!result) return { ...rest, result: null };
  const { lines: _lines, ...counts } = result;
  return { ...rest, result: counts };
}

const key = (editionId: string, siglum: string, page: number) => `${editionId}\u0000${siglum}\u0000${page}`;
