import * as Y from "yjs";

function _paragraphs(doc: Y.Doc): Y.XmlElement[] {
  return doc
    .getXmlFragment("body")
    .toArray()
    .filter((el): el is Y.XmlElement => el instanceof Y.XmlElement && el.nodeName === "paragraph");
}

function paragraphs(doc: Y.Doc): Y.XmlElement[] {
  return doc
    .getXmlFragment("body")
    .toArray()
    .filter((el): el is Y.XmlElement => el instanceof Y.XmlElement && el.nodeName === "paragraph");
}

/** One random edit of the kind an editor makes: type, delete, split off a paragraph, or emphasise. */
export function randomEdit(doc: Y.Doc, random: () => number): void {
  const paras = paragraphs(doc);
  const p = paras[Math.floor(random() * Math.min(paras.length, 6))];
  if (!p) return;
  const text = p.get(0);
  if (!(text instanceof Y.XmlText)) return;
  const len = text.length;
  const at = Math.floor(random() * (len + 1));
  const roll = random();
  if (roll < 0.5)
    text.insert(at, String.fromCharCode(97 + Math.floor(random() * 26)).repeat(1 + Math.floor(random() * 3)));
  else if (roll < 0.8 && len > 0)
    text.delete(Math.min(at, len - 1), Math.min(1 + Math.floor(random() * 4), len - Math.min(at, len - 1)));
  else if (roll < 0.9 && len > 2) text.format(Math.min(at, len - 2), 2, { em: {} });
  else {
    const fresh = new Y.XmlElement("paragraph");
    fresh.setAttribute("id", `p-r${Math.floor(random() * 1e9)}`);
    doc.getXmlFragment("body").insert(0, [fresh]);
    fresh.insert(0, [new Y.XmlText("new")]);
  }
}
