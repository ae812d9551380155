/** The part of citeproc-js (no types of its own) that the bibliography uses. */
declare module "citeproc" {
  interface CiteprocSys {
    retrieveLocale(lang: string): string;
    retrieveItem(id: string): unknown;
  }
  interface CitationItem {
    id: string;
    locator?: string;
    label?: string;
  }
  interface Citation {
    citationItems: CitationItem[];
    properties: { noteIndex: number };
    citationID?: string;
  }
  class Engine {
    constructor(sys: CiteprocSys, style: string, lang?: string, forceLang?: boolean);
    updateItems(ids: string[]): void;
    updateUncitedItems(ids: string[]): void;
    restoreProcessorState(citations: unknown[]): void;
    setOutputFormat(format: "html" | "text" | "rtf"): void;
    makeBibliography(): [{ entry_ids: string[][]; bibliography_errors: unknown[] }, string[]] | false;
    processCitationCluster(
      citation: Citation,
      pre: [string, number][],
      post: [string, number][],
    ): [{ citation_errors: unknown[] }, [number, string, string][]];
    previewCitationCluster(
      citation: Citation,
      pre: [string, number][],
      post: [string, number][],
      format: "html" | "text",
    ): string;
  }
  const CSL: { Engine: typeof Engine };
  export default CSL;
}
