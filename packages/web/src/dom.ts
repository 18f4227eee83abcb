// The only way the page makes elements: strings always become text nodes,
// never markup, so an event's `<img onerror=...>` summary shows as text.

type Child = Node | string | number | null | undefined | false;

export interface Props {
  readonly class?: string;
  readonly title?: string;
  readonly style?: Readonly<Record<string, string>>;
  readonly data?: Readonly<Record<string, string>>;
  readonly attrs?: Readonly<Record<string, string>>;
  readonly on?: Readonly<Partial<Record<keyof HTMLElementEventMap, (event: Event) => void>>>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props !== null && props !== undefined) {
    if (props.class !== undefined) element.className = props.class;
    if (props.title !== undefined) element.title = props.title;
    if (props.style !== undefined) for (const [name, value] of Object.entries(props.style)) element.style.setProperty(name, value);
    if (props.data !== undefined) for (const [name, value] of Object.entries(props.data)) element.dataset[name] = value;
    if (props.attrs !== undefined) for (const [name, value] of Object.entries(props.attrs)) element.setAttribute(name, value);
    if (props.on !== undefined) for (const [name, handler] of Object.entries(props.on)) element.addEventListener(name, handler);
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** A link only for http(s) URLs; anything else (a relative log path) is shown as text. */
export function linkOrText(value: string): Node {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url !== undefined && (url.protocol === "http:" || url.protocol === "https:")) {
    return h("a", { attrs: { href: url.href, rel: "noopener noreferrer", target: "_blank" } }, value);
  }
  return h("code", null, value);
}
