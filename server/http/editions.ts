/**
 * Editions as a resource: create one from an uploaded file (a preview first, listing what cannot be
 * represented; then the confirmed creation), edit its title and base-text provenance, delete it (its owner,
 * typing its id; nothing of another edition is touched). The pages for these are in `editionPages.ts`.
 */
import express, { type Express, type Request, type Response } from "express";
import * as Y from "yjs";
import { ROOTS } from "../../schema/layout.ts";
import type { Provenance } from "../../schema/textformat.ts";
import { CloseCode } from "../closeCodes.ts";
import { bibliographyMark } from "../seedBibliography.ts";
import { decodeUpload } from "../witnesses.ts";
import { access, type RouteDeps, refuse } from "./access.ts";
import { settingsPage } from "./editionPages.ts";
import { buildNewEdition, type NewEditionRequest } from "./newEdition.ts";

/** The base text's provenance fields an editor may change (the text format's required header). */
const PROVENANCE_FIELDS = ["title", "publication", "date", "address"] as const;

const upload = express.raw({ type: () => true, limit: "10mb" });

const exists = (id: string) => `edition "${id}" already exists; choose another id`;

export function editionRoutes(app: Express, deps: RouteDeps): void {
  const { store, auth, documents, log } = deps;

  /** Reads the upload and the query into a request to build, or answers why not and returns null. */
  const readRequest = async (req: Request, res: Response): Promise<NewEditionRequest | null> => {
    if (!(await auth.principal(req))) {
      refuse(res, 401, "sign in to create an edition");
      return null;
    }
    const q = (name: string) => (typeof req.query[name] === "string" ? (req.query[name] as string) : "");
    const fileName = q("filename") || "the upload";
    const format = q("format") || (/\.(xml|tei)$/i.test(fileName) ? "tei" : "text");
    if (format !== "text" && format !== "tei") {
      refuse(res, 400, `format "${format}" is not one of text, tei`);
      return null;
    }
    const decoded = decodeUpload(
      Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array(),
      fileName,
    );
    if (!decoded.ok) {
      refuse(res, decoded.status, decoded.error);
      return null;
    }
    const id = q("id");
    if (await store.getEdition(id)) {
      refuse(res, 409, exists(id));
      return null;
    }
    return { id, format, source: decoded.text, fileName, title: q("title"), siglum: q("siglum") };
  };

  app.post("/api/editions/preview", upload, async (req, res) => {
    const request = await readRequest(req, res);
    if (!request) return;
    const built = buildNewEdition(request);
    if (!built.ok) return refuse(res, 400, built.error, built.details);
    built.doc.destroy();
    res.json(built.summary);
  });

  app.post("/api/editions", upload, async (req, res) => {
    const request = await readRequest(req, res);
    if (!request) return;
    const principal = await auth.principal(req);
    if (!principal) return;
    const built = buildNewEdition(request);
    if (!built.ok) return refuse(res, 400, built.error, built.details);
    const { summary } = built;
    try {
      await store.createEdition(
        { id: summary.id, title: summary.title },
        summary.id,
        Y.encodeStateAsUpdate(built.doc),
      );
    } catch (error) {
      // The same id created by another request since it was looked for: refused as it would have been.
      if (await store.getEdition(summary.id)) return refuse(res, 409, exists(summary.id));
      throw error;
    } finally {
      built.doc.destroy();
    }
    // Whoever creates an edition owns it (the instance's owner owns every edition anyway).
    await auth.accounts.setRole(principal.id, summary.id, "owner");
    // Not built from an edition folder: a folder of the same id never adds its bibliography to it.
    await store.markSeeded(bibliographyMark(summary.id));
    log.info(
      `${principal.name} created edition "${summary.id}" from ${request.fileName} (${summary.format})`,
    );
    res.status(201).json({ ...summary, url: `/editions/${encodeURIComponent(summary.id)}` });
  });

  app.get("/editions/:id/settings", deps.requireAccess("edit"), async (_req, res) => {
    const { edition, principal, role } = access(res);
    if (!principal || !role) return refuse(res, 401, "sign in to change an edition");
    const provenance = await documents.with(
      edition.id,
      (doc) => doc.ydoc.getMap<unknown>(ROOTS.meta).get("provenance") as Provenance | undefined,
    );
    const p = provenance ?? { title: "", publication: "", date: "", address: "" };
    res.type("html").send(
      settingsPage(principal, edition, role, {
        title: p.title,
        publication: p.publication,
        date: p.date,
        address: p.address,
      }),
    );
  });

  app.patch("/api/editions/:id", deps.requireAccess("edit"), async (req, res) => {
    const { edition, principal } = access(res);
    const body = (req.body ?? {}) as { title?: unknown; provenance?: unknown };
    const problems: string[] = [];
    let title: string | null = null;
    if (body.title !== undefined) {
      title = typeof body.title === "string" ? body.title.trim() : "";
      if (!title || title.length > 200) problems.push("title: a title is 1 to 200 characters");
    }
    let provenance: Partial<Record<(typeof PROVENANCE_FIELDS)[number], string>> | null = null;
    if (body.provenance !== undefined) {
      const given = (typeof body.provenance === "object" && body.provenance ? body.provenance : {}) as Record<
        string,
        unknown
      >;
      provenance = {};
      for (const key of PROVENANCE_FIELDS) {
        if (given[key] === undefined) continue;
        const value = typeof given[key] === "string" ? (given[key] as string).trim() : "";
        if (!value || value.length > 1000) problems.push(`provenance.${key}: 1 to 1000 characters, required`);
        else provenance[key] = value;
      }
      const unknown = Object.keys(given).filter((k) => !(PROVENANCE_FIELDS as readonly string[]).includes(k));
      if (unknown.length > 0)
        problems.push(
          `provenance: unknown field(s) ${unknown.join(", ")}; known: ${PROVENANCE_FIELDS.join(", ")}`,
        );
    }
    if (problems.length > 0)
      return refuse(res, 400, `edition "${edition.id}" was not changed: ${problems.join("; ")}`, problems);
    const who = principal?.displayName ?? null;
    const result = await documents.with(edition.id, async (doc) => {
      const stored = doc.transact(
        { kind: "server", reason: "edit the title and base-text provenance", user: who },
        (ydoc) => {
          const meta = ydoc.getMap<unknown>(ROOTS.meta);
          if (title !== null) meta.set("title", title);
          if (provenance && Object.keys(provenance).length > 0) {
            const old = (meta.get("provenance") as Provenance | undefined) ?? {
              title: "",
              publication: "",
              date: "",
              address: "",
              extra: {},
            };
            meta.set("provenance", { ...old, ...provenance, extra: { ...old.extra } });
            // The register's entry of the base witness describes the same publication.
            const base = ydoc
              .getMap<Y.Map<unknown>>(ROOTS.witnesses)
              .get(String(meta.get("baseWitness") ?? ""));
            if (base) for (const [key, value] of Object.entries(provenance)) base.set(key, value);
          }
        },
      );
      // Read as the change left it (it is applied at once), answered once it is stored.
      const meta = doc.ydoc.getMap<unknown>(ROOTS.meta);
      const changed = { title: String(meta.get("title") ?? ""), provenance: meta.get("provenance") ?? null };
      await stored;
      return changed;
    });
    if (!result) return refuse(res, 404, `edition "${edition.id}" has no document`);
    if (title !== null) await store.setTitle(edition.id, title);
    res.json({ id: edition.id, ...result });
  });

  app.delete("/api/editions/:id", deps.requireAccess("manage"), async (req, res) => {
    const { edition, principal } = access(res);
    const confirm = (req.body as { confirm?: unknown } | undefined)?.confirm;
    if (confirm !== edition.id) {
      return refuse(
        res,
        400,
        `edition "${edition.id}" was not deleted: type its id "${edition.id}" to confirm (got ${JSON.stringify(confirm ?? null)})`,
      );
    }
    const names = await store.editionDocuments(edition.id);
    // Everyone still connected is told why, before the documents go; nothing they send is stored after.
    for (const name of names) {
      if (!documents.isOpen(name)) continue;
      const doc = await documents.get(name);
      for (const peer of [...(doc?.peers ?? [])])
        peer.close(CloseCode.unknownDocument, `edition "${edition.id}" was deleted`);
      await documents.unload(name);
    }
    await store.deleteEdition(edition.id);
    deps.revalidateAccess();
    log.info(`${principal?.name ?? "?"} deleted edition "${edition.id}" (${names.length} document(s))`);
    res.json({ deleted: edition.id, documents: names });
  });
}
