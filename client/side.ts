/** The side panel: tabs for the apparatus, the glossary and the witnesses. */
import { h } from "./dom.ts";

export interface Tab {
  id: string;
  label: string;
  mount(root: HTMLElement): void;
}

/** Mounts tabbed panels; returns a function that shows one by id. */
export function mountSide(root: HTMLElement, tabs: Tab[]): (id: string) => void {
  const tablist = h("div", { role: "tablist", className: "tabs", "aria-label": "Panels" });
  const panels = new Map<string, HTMLElement>();
  const buttons = new Map<string, HTMLButtonElement>();
  const show = (id: string) => {
    for (const [tid, panel] of panels) {
      panel.hidden = tid !== id;
      buttons.get(tid)?.setAttribute("aria-selected", String(tid === id));
    }
  };
  for (const tab of tabs) {
    const button = h(
      "button",
      {
        type: "button",
        role: "tab",
        id: `tab-${tab.id}`,
        "aria-controls": `panel-${tab.id}`,
        onclick: () => show(tab.id),
      },
      tab.label,
    );
    const panel = h("section", {
      role: "tabpanel",
      id: `panel-${tab.id}`,
      "aria-labelledby": `tab-${tab.id}`,
      className: "panel",
      // Hidden until shown: a panel that waits to be seen before reading anything sees so at mount.
      hidden: true,
    });
    tab.mount(panel);
    tablist.append(button);
    buttons.set(tab.id, button);
    panels.set(tab.id, panel);
  }
  root.append(tablist, ...panels.values());
  show(tabs[0]?.id ?? "");
  return show;
}
