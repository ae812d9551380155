// The reading edition's page images (shipped as reader-scans.js, beside reader.js): when the text is read
// as a witness that has page images, they are shown beside it. Each zone's words are found in the text as
// it reads for that witness (in order, spaces folded) and wrapped, so that the pointer on the words lights
// the zone and the pointer on the zone lights the words. Works from disk: nothing is fetched.
(() => {
  const select = document.getElementById("witness");
  const main = document.getElementById("text");
  if (!select || !main) return;
  const panels = new Map([...document.querySelectorAll("aside.scans")].map((a) => [a.dataset.witness, a]));
  const SKIP = "button, .permalink, .pop, .card, .endnotes, .pb, .app-marker";
  const BLOCK = "p, h1, h2, h3, h4, h5, h6, li, blockquote, aside, div";
  const fold = (s) =>
    s
      .normalize("NFC")
      .replace(/[\u2018\u2019]/g, "'")
      .replace(/[\u201c\u201d]/g, '"');
  let shown = null;
  let lit = null;

  const visible = (el) => (el.checkVisibility ? el.checkVisibility() : el.getClientRects().length > 0);

  /** The text as shown, spaces folded, with where each character is. */
  const shownText = () => {
    let text = "";
    const at = [];
    let block = null;
    const space = () => {
      if (text && !text.endsWith(" ")) {
        text += " ";
        at.push(null);
      }
    };
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === 1) {
        if (n.tagName === "BR") space();
        continue;
      }
      const parent = n.parentElement;
      if (!parent || parent.closest(SKIP) || !visible(parent)) continue;
      const b = parent.closest(BLOCK);
      if (b !== block) space();
      block = b;
      const value = fold(n.nodeValue ?? "");
      for (let i = 0; i < value.length; i++) {
        if (/\s/.test(value[i])) space();
        else {
          text += value[i];
          at.push([n, i]);
        }
      }
    }
    return { text, at };
  };

  const unwrap = () => {
    for (const span of main.querySelectorAll("span.zoned")) span.replaceWith(...span.childNodes);
    main.normalize();
  };

  /** Wraps each zone's words in the text; a zone whose words are not found is marked as such. */
  const link = (aside) => {
    const { text, at } = shownText();
    const found = [];
    let from = 0;
    for (const zone of aside.querySelectorAll(".zone")) {
      const words = fold(zone.dataset.text ?? "")
        .replace(/\s+/g, " ")
        .trim();
      let start = words ? text.indexOf(words, from) : -1;
      if (start < 0 && words) start = text.indexOf(words);
      const overlaps = found.some((f) => start < f.end && start + words.length > f.start);
      zone.classList.toggle("unlinked", start < 0 || overlaps);
      if (start < 0 || overlaps) {
        zone.title = `${zone.dataset.text} (these words are not in the text as read here)`;
        continue;
      }
      zone.title = zone.dataset.text ?? "";
      found.push({ id: zone.dataset.zone, start, end: start + words.length });
      from = start + words.length;
    }
    // From the end backwards: wrapping splits a text node after the offsets still to be used.
    found.sort((a, b) => b.start - a.start);
    for (const f of found) {
      const pieces = new Map();
      for (let i = f.start; i < f.end; i++) {
        const place = at[i];
        if (!place) continue;
        const [node, offset] = place;
        const piece = pieces.get(node);
        if (piece) piece.end = offset + 1;
        else pieces.set(node, { node, start: offset, end: offset + 1 });
      }
      for (const p of [...pieces.values()].reverse()) {
        const range = document.createRange();
        range.setStart(p.node, p.start);
        range.setEnd(p.node, p.end);
        const span = document.createElement("span");
        span.className = "zoned";
        span.dataset.zone = f.id;
        range.surroundContents(span);
      }
    }
  };

  const showPage = (aside, n) => {
    const figures = [...aside.querySelectorAll("figure.scan")];
    const page = Math.min(Math.max(1, n), figures.length);
    for (const f of figures) f.hidden = Number(f.dataset.page) !== page;
    aside.dataset.page = String(page);
    aside.querySelector(".scan-status").textContent = `page ${page} of ${figures.length}`;
    aside.querySelector(".scan-prev").disabled = page <= 1;
    aside.querySelector(".scan-next").disabled = page >= figures.length;
  };

  const light = (id) => {
    if (id === lit || !shown) return;
    lit = id;
    for (const z of shown.querySelectorAll(".zone")) z.classList.toggle("lit", z.dataset.zone === id);
    for (const s of main.querySelectorAll("span.zoned"))
      s.classList.toggle("zone-lit", s.dataset.zone === id);
    const zone = id ? shown.querySelector(`.zone[data-zone="${CSS.escape(id)}"]`) : null;
    const figure = zone?.closest("figure.scan");
    if (figure?.hidden) showPage(shown, Number(figure.dataset.page));
  };

  const choose = () => {
    unwrap();
    lit = null;
    shown?.setAttribute("hidden", "");
    shown = panels.get(select.value) ?? null;
    document.body.classList.toggle("scans-shown", shown !== null);
    if (!shown) return;
    shown.removeAttribute("hidden");
    showPage(shown, Number(shown.dataset.page ?? 1));
    link(shown);
  };

  for (const aside of panels.values()) {
    aside
      .querySelector(".scan-prev")
      .addEventListener("click", () => showPage(aside, Number(aside.dataset.page) - 1));
    aside
      .querySelector(".scan-next")
      .addEventListener("click", () => showPage(aside, Number(aside.dataset.page) + 1));
    aside.addEventListener("mouseover", (e) =>
      light(e.target.closest(".zone:not(.unlinked)")?.dataset.zone ?? null),
    );
    aside.addEventListener("mouseleave", () => light(null));
  }
  main.addEventListener("mouseover", (e) => light(e.target.closest?.("span.zoned")?.dataset.zone ?? null));
  main.addEventListener("mouseleave", () => light(null));
  // The variant filters change what the text shows: the words are found again.
  for (const box of document.querySelectorAll('input[name="type"], #choice'))
    box.addEventListener("change", () => {
      if (!shown) return;
      unwrap();
      link(shown);
    });
  select.addEventListener("change", choose);
  choose();
})();
