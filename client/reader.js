// The reading edition's only script: the witness switch and the variant type filter. Without it the page
// shows the base text with every variant marker, which is a complete edition too.
(() => {
  const body = document.body;
  const select = document.getElementById("witness");
  const witnessOf = (value) => {
    const option = select?.querySelector(`option[value="${CSS.escape(value)}"]`);
    return {
      siglum: value,
      partial: option?.textContent?.includes("(partial)") ?? false,
      base: option === select?.options[0],
    };
  };
  const showWitness = () => {
    if (!select) return;
    const w = witnessOf(select.value);
    body.dataset.witness = w.base ? "" : w.siglum;
    for (const app of document.querySelectorAll(".app")) {
      const has = (app.dataset.readings ?? "").split(" ").includes(w.siglum) && !w.base;
      app.classList.toggle("show-rdg", has);
      for (const r of app.querySelectorAll(".rdg"))
        r.toggleAttribute("data-current", has && r.dataset.wit === w.siglum);
    }
    for (const block of document.querySelectorAll("#text p, #text .heading")) {
      const covered = w.base || !w.partial || block.classList.contains(`cov-${w.siglum}`);
      const hasReading = [...block.querySelectorAll(".app")].some((a) =>
        (a.dataset.readings ?? "").split(" ").includes(w.siglum),
      );
      block.classList.toggle("lacuna", !covered && !hasReading);
      block.classList.toggle("partly", !covered && hasReading);
      if (!covered) block.dataset.lacks = w.siglum;
    }
  };
  select?.addEventListener("change", showWitness);
  // Each choice shows the source's own form; the box shows the editors' instead (both are in the page).
  const choice = document.getElementById("choice");
  choice?.addEventListener("change", () => body.classList.toggle("show-alt", choice.checked));
  for (const box of document.querySelectorAll('input[name="type"]')) {
    box.addEventListener("change", () => body.classList.toggle(`hide-${box.value}`, !box.checked));
  }
  const requested = new URLSearchParams(location.search).get("witness");
  if (select && requested && witnessOf(requested)) {
    select.value = requested;
  }
  showWitness();
})();
