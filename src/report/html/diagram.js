// The failure page's script (runs in the browser, inlined into the page): draws the space-time
// diagram of the embedded trace as inline SVG for a window of virtual time, as wide as its panel so
// labels use the room there is; names every mark it draws (data-mark, explained by the legend);
// shows an event's payload on click; jumps to where the first invariant broke; copies the replay
// command. Plain browser JavaScript, no library.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("dsim-data").textContent);
  const SVG = "http://www.w3.org/2000/svg";
  const ROW = 18, TOP = 34, GUTTER = 78, COLUMN = 170, BREAK = 22;
  /** A window longer than this many events starts zoomed to its first events. */
  const EVENTS_SHOWN_MAX = 1500;
  const events = data.events;
  const highlighted = new Set(data.highlighted);
  const breach = data.breach;
  const nodeCount = data.nodes.length;

  // Every copy of a message: the send (or duplicate) that made it and the event that ended it.
  const sendOf = new Map();
  const copiesLeft = new Map();
  const endOf = new Map(); // ending event index -> send index
  events.forEach(function (event, index) {
    const kind = event[0];
    if (kind === "send") { sendOf.set(event[4], index); copiesLeft.set(event[4], 1); }
    if (kind === "duplicate") copiesLeft.set(event[4], (copiesLeft.get(event[4]) || 0) + 1);
    if (kind === "deliver" || kind === "drop") {
      endOf.set(index, sendOf.get(event[4]));
      copiesLeft.set(event[4], (copiesLeft.get(event[4]) || 0) - 1);
    }
  });
  const duplicated = new Set();
  events.forEach(function (event) { if (event[0] === "duplicate") duplicated.add(event[4]); });
  const seenEnding = new Map();

  const nodeName = function (index) { return index < 0 ? "network" : data.nodes[index]; };
  const x = function (node) { return GUTTER + COLUMN / 2 + node * COLUMN; };

  function describe(index) {
    const event = events[index];
    const kind = event[0];
    const head = "#" + index + "  " + event[1] + " ms  " + nodeName(event[2]) + "  " + kind;
    switch (kind) {
      case "send": case "duplicate": return head + " → " + nodeName(event[3]) + " message #" + event[4];
      case "deliver": return head + " ← " + nodeName(event[3]) + " message #" + event[4];
      case "drop": return head + " ← " + nodeName(event[3]) + " message #" + event[4] + " (" + event[5] + ")";
      case "timer": return head + " " + event[3];
      case "partition": return head + " " + event[3].map(function (group) { return "{" + group.map(nodeName).join(", ") + "}"; }).join(" | ");
      case "skew": return head + " " + event[3] + " ms";
      case "write": return head + " " + event[4] + " " + event[3] + " (" + event[5] + " bytes)";
      case "fsync": return head + " " + event[3];
      case "torn": return head + " " + event[3] + ": kept " + event[4] + " of " + (event[4] + event[5]) + " unsynced bytes";
      case "crash-point": return head + " just before its " + event[3] + " " + (event[3] === "send" ? "to " + event[4] : event[4]) + " (effect " + event[5] + "." + event[6] + ")";
      case "corrupt": return head + " " + event[3] + ": bit " + event[5] + " of byte " + event[4] + " flipped";
      case "lost-fsync": return head + " " + event[3] + ": ignored, its writes stay unsynced";
      case "misdirect": return head + " " + event[3] + ": " + event[6] + " bytes meant for byte " + event[5] + " landed at byte " + event[4];
      case "note": return head + " " + event[3];
      case "error": return head + " " + event[3];
      default: return head;
    }
  }

  function payloadOf(index) {
    const event = events[index];
    if (event[0] === "send" || event[0] === "deliver" || event[0] === "drop" || event[0] === "duplicate") return data.messages[event[4]];
    if (event[0] === "note") return event[4];
    return undefined;
  }

  function element(name, attributes, parent) {
    const node = document.createElementNS(SVG, name);
    for (const key in attributes) node.setAttribute(key, attributes[key]);
    if (parent) parent.appendChild(node);
    return node;
  }

  function titled(node, index) {
    element("title", {}, node).textContent = describe(index);
    node.setAttribute("data-i", String(index));
    return node;
  }

  /** Sets a label's text, cut with an ellipsis to fit `room` pixels (measured, so any font works). */
  function fitText(node, text, room) {
    node.textContent = text;
    if (text.length * 4 <= room) return;
    let length = node.getComputedTextLength();
    if (length <= room) return;
    let keep = Math.max(0, Math.floor(text.length * room / length) - 1);
    node.textContent = text.slice(0, keep) + "…";
    while (keep > 0 && node.getComputedTextLength() > room) {
      keep--;
      node.textContent = text.slice(0, keep) + "…";
    }
  }

  /** Draws the events whose time lies in [from, to]. */
  function draw(from, to) {
    const svg = document.getElementById("diagram");
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    // As wide as the panel: the room right of the last lifeline is the labels'.
    const width = Math.max(GUTTER + nodeCount * COLUMN, document.getElementById("diagram-scroll").clientWidth - 2);
    seenEnding.clear();
    const defs = element("defs", {}, svg);
    const marker = element("marker", { id: "arrowhead", viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" }, defs);
    element("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "arrowhead" }, marker);

    // Rows: one per event in the window; a gap row where virtual time stood quiet.
    const shown = [];
    for (let index = 0; index < events.length; index++) if (events[index][1] >= from && events[index][1] <= to) shown.push(index);
    const gaps = [];
    for (let k = 1; k < shown.length; k++) gaps.push(events[shown[k]][1] - events[shown[k - 1]][1]);
    const sorted = gaps.slice().sort(function (a, b) { return a - b; });
    const median = sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)];
    const quietMs = Math.max(50, 10 * median);
    const rowOf = new Map();
    const rows = element("g", { class: "rows" }, svg);
    let y = TOP;
    let lastTime = null;
    shown.forEach(function (index, k) {
      const time = events[index][1];
      if (k > 0 && time - events[shown[k - 1]][1] > quietMs) {
        const gap = element("g", { class: "quiet", "data-mark": "quiet" }, rows);
        element("rect", { x: "0", y: String(y + 8), width: String(width), height: String(BREAK - 4) }, gap);
        element("text", { x: String(GUTTER + 6), y: String(y + 21) }, gap).textContent = "⋯ " + (time - events[shown[k - 1]][1]) + " ms with no events ⋯";
        y += BREAK + 8;
      }
      y += ROW;
      rowOf.set(index, y);
      if (time !== lastTime) element("text", { class: "time", x: "4", y: String(y + 4) }, rows).textContent = time + " ms";
      lastTime = time;
    });
    const bottom = y + ROW;
    svg.setAttribute("width", String(width));
    svg.setAttribute("height", String(bottom + ROW));

    // Bands first, so lifelines and events draw over them: partitions, and nodes that are down.
    const bands = element("g", { class: "bands" }, svg);
    const first = shown.length === 0 ? events.length : shown[0];
    const last = shown.length === 0 ? -1 : shown[shown.length - 1];
    const yAt = function (index) { return index < first ? TOP : index > last ? bottom : rowOf.get(index); };
    let partitionStart = -1, partitionGroups = null;
    const downSince = new Array(nodeCount).fill(-1);
    const closePartition = function (end) {
      if (partitionStart < 0) return;
      const top = yAt(partitionStart), height = yAt(end) - top;
      if (height > 0) {
        const band = element("g", { class: "partition", "data-mark": "partition-band" }, bands);
        element("rect", { x: String(GUTTER), y: String(top), width: String(nodeCount * COLUMN), height: String(height) }, band);
        element("text", { x: String(GUTTER + 4), y: String(top + 12) }, band).textContent = "partition " + partitionGroups.map(function (group) { return "{" + group.map(nodeName).join(", ") + "}"; }).join(" | ");
      }
      partitionStart = -1;
    };
    const closeDown = function (node, end) {
      if (downSince[node] < 0) return;
      const top = yAt(downSince[node]), height = yAt(end) - top;
      if (height > 0) element("rect", { class: "down", "data-mark": "down", x: String(x(node) - 5), y: String(top), width: "10", height: String(height) }, bands);
      downSince[node] = -1;
    };
    events.forEach(function (event, index) {
      if (event[0] === "partition") { closePartition(index); partitionStart = index; partitionGroups = event[3]; }
      if (event[0] === "heal") closePartition(index);
      if (event[0] === "crash") downSince[event[2]] = index;
      if (event[0] === "restart") closeDown(event[2], index);
    });
    closePartition(events.length);
    for (let node = 0; node < nodeCount; node++) closeDown(node, events.length);

    // Lifelines and their names.
    const lifelines = element("g", { class: "lifelines" }, svg);
    data.nodes.forEach(function (name, node) {
      element("line", { class: "lifeline", "data-mark": "lifeline", "data-node": name, x1: String(x(node)), y1: String(TOP - 6), x2: String(x(node)), y2: String(bottom) }, lifelines);
      element("text", { class: "node-name", x: String(x(node)), y: "18" }, lifelines).textContent = name;
    });

    // Message arrows: one per copy of a message, from its send to where it ended.
    const arrows = element("g", { class: "arrows" }, svg);
    const arrow = function (sendIndex, endIndex, toNode, kind) {
      const send = events[sendIndex];
      const fromX = x(send[2]), fromY = yAt(sendIndex);
      let toX = x(toNode), toY = endIndex === null ? bottom : yAt(endIndex);
      if (kind === "drop") toX = fromX + (toX - fromX) * 0.6;
      const line = element("line", { class: "arrow " + kind, x1: String(fromX), y1: String(fromY), x2: String(toX), y2: String(toY) }, arrows);
      line.setAttribute("data-message", String(send[4]));
      let mark = kind === "drop" ? "arrow-drop" : kind === "deliver" ? "arrow" : "arrow-later";
      if (kind !== "drop") line.setAttribute("marker-end", "url(#arrowhead)");
      if (endIndex !== null) {
        titled(line, endIndex);
        const copies = (seenEnding.get(send[4]) || 0) + 1;
        seenEnding.set(send[4], copies);
        if (copies > 1 && duplicated.has(send[4])) { line.classList.add("dup"); if (kind === "deliver") mark = "arrow-dup"; }
        if (highlighted.has(endIndex)) { line.classList.add("used"); mark = "arrow-used"; }
      } else {
        titled(line, sendIndex);
      }
      line.setAttribute("data-mark", mark);
      if (kind === "drop") {
        const cross = element("g", { class: "cross", "data-mark": "arrow-drop" }, arrows);
        element("line", { x1: String(toX - 5), y1: String(toY - 5), x2: String(toX + 5), y2: String(toY + 5) }, cross);
        element("line", { x1: String(toX - 5), y1: String(toY + 5), x2: String(toX + 5), y2: String(toY - 5) }, cross);
        titled(cross, endIndex);
      }
    };
    events.forEach(function (event, index) {
      if (event[0] !== "deliver" && event[0] !== "drop") return;
      const sendIndex = endOf.get(index);
      if (sendIndex === undefined) return;
      const sendShown = sendIndex >= first && sendIndex <= last, endShown = index >= first && index <= last;
      if (sendShown || endShown) arrow(sendIndex, endShown ? index : null, event[2], event[0] === "drop" ? "drop" : endShown ? "deliver" : "later");
    });
    // Copies still in flight when the execution ended.
    copiesLeft.forEach(function (left, messageId) {
      const sendIndex = sendOf.get(messageId);
      for (let copy = 0; copy < left; copy++) if (sendIndex >= first && sendIndex <= last) arrow(sendIndex, null, events[sendIndex][3], "in-flight");
    });

    // Event markers.
    const markers = element("g", { class: "events" }, svg);
    shown.forEach(function (index) {
      const event = events[index], kind = event[0], row = rowOf.get(index);
      const group = titled(element("g", { class: "ev " + kind, "data-mark": kind }, markers), index);
      if (highlighted.has(index)) {
        group.classList.add("used");
        element("circle", { class: "halo", "data-mark": "used", cx: String(event[2] < 0 ? GUTTER : x(event[2])), cy: String(row), r: "8" }, group);
      }
      if (breach !== null && breach.index === index) {
        group.classList.add("breach");
        element("circle", { class: "broke", "data-mark": "broke", cx: String(event[2] < 0 ? GUTTER : x(event[2])), cy: String(row), r: "9" }, group);
      }
      if (event[2] < 0) { // the network: partition or heal, across every lifeline
        element("line", { class: "network-line", x1: String(GUTTER), y1: String(row), x2: String(GUTTER + nodeCount * COLUMN), y2: String(row) }, group);
        element("text", { class: "label", x: String(GUTTER + nodeCount * COLUMN - 4), y: String(row - 3), "text-anchor": "end" }, group).textContent = kind;
        return;
      }
      const cx = x(event[2]);
      // A label runs to the next lifeline, or to the diagram's right edge from the last one.
      const room = (event[2] < nodeCount - 1 ? x(event[2] + 1) - 8 : width - 6) - (cx + 10);
      const label = function (text) { fitText(element("text", { class: "label", x: String(cx + 10), y: String(row + 4) }, group), text, room); };
      switch (kind) {
        case "crash":
          element("line", { x1: String(cx - 7), y1: String(row - 7), x2: String(cx + 7), y2: String(row + 7) }, group);
          element("line", { x1: String(cx - 7), y1: String(row + 7), x2: String(cx + 7), y2: String(row - 7) }, group);
          label("crash");
          break;
        case "restart":
          element("path", { d: "M " + (cx - 6) + " " + (row + 5) + " L " + cx + " " + (row - 6) + " L " + (cx + 6) + " " + (row + 5) + " z" }, group);
          label("restart");
          break;
        case "fsync":
          element("line", { x1: String(cx - 9), y1: String(row), x2: String(cx + 9), y2: String(row) }, group);
          break;
        case "write":
          element("rect", { x: String(cx - 3), y: String(row - 3), width: "6", height: "6" }, group);
          break;
        case "torn":
          element("path", { d: "M " + (cx - 8) + " " + row + " l 4 -4 l 4 8 l 4 -8 l 4 4" }, group);
          label("torn " + event[3]);
          break;
        case "crash-point":
          element("path", { d: "M " + cx + " " + (row - 6) + " L " + cx + " " + (row + 2) + " M " + (cx - 5) + " " + (row + 6) + " L " + (cx + 5) + " " + (row + 6) }, group);
          label("crash point: before " + event[3] + " " + event[4]);
          break;
        case "corrupt": case "lost-fsync": case "misdirect":
          element("rect", { x: String(cx - 5), y: String(row - 5), width: "10", height: "10", transform: "rotate(45 " + cx + " " + row + ")" }, group);
          label(kind + " " + event[3]);
          break;
        case "note":
          element("path", { d: "M " + cx + " " + (row - 5) + " l 5 5 l -5 5 l -5 -5 z" }, group);
          label(event[3] + " " + event[4]);
          break;
        case "error":
          element("circle", { cx: String(cx), cy: String(row), r: "6" }, group);
          label("threw: " + event[3]);
          break;
        case "skew":
          element("circle", { cx: String(cx), cy: String(row), r: "3" }, group);
          label("clock skew " + event[3] + " ms");
          break;
        case "duplicate":
          element("circle", { cx: String(cx), cy: String(row), r: "4" }, group);
          label("duplicated #" + event[4]);
          break;
        case "timer":
          element("circle", { cx: String(cx), cy: String(row), r: "3.5" }, group);
          break;
        default: // start, send, deliver, drop
          element("circle", { cx: String(cx), cy: String(row), r: "3" }, group);
      }
    });

    const status = document.getElementById("window-status");
    status.textContent = "showing " + shown.length + " of " + events.length + " events, " + from + "–" + to + " ms of " + data.endedAtMs + " ms";
    document.getElementById("window-from").value = String(from);
    document.getElementById("window-to").value = String(to);
    current = { from: from, to: to };
    if (selected !== null) markSelected(selected);
  }

  function markSelected(index) {
    document.querySelectorAll("#diagram .selected").forEach(function (node) { node.classList.remove("selected"); });
    document.querySelectorAll('#diagram [data-i="' + index + '"]').forEach(function (node) { node.classList.add("selected"); });
  }

  function showDetail(index) {
    const panel = document.getElementById("detail");
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    const title = document.createElement("p");
    title.className = "detail-title";
    title.textContent = describe(index);
    panel.appendChild(title);
    if (highlighted.has(index)) {
      const used = document.createElement("p");
      used.className = "detail-used";
      used.textContent = "π used this event to make the logical trace.";
      panel.appendChild(used);
    }
    const payload = payloadOf(index);
    if (payload !== undefined) {
      const pre = document.createElement("pre");
      pre.id = "detail-payload";
      try { pre.textContent = JSON.stringify(JSON.parse(payload), null, 2); } catch (error) { pre.textContent = payload; }
      panel.appendChild(pre);
    }
    selected = index;
    markSelected(index);
  }

  /** Shows the event (moving the window to it if it is outside), scrolls it into view, selects it. */
  function jumpTo(index) {
    const time = events[index][1];
    if (time < current.from || time > current.to) {
      const span = current.to - current.from;
      const from = Math.max(0, time - Math.floor(span / 2));
      draw(from, from + span);
    }
    showDetail(index);
    const target = document.querySelector('#diagram .ev[data-i="' + index + '"]');
    if (target) target.scrollIntoView({ block: "center", inline: "center" });
  }

  let selected = null;
  let current = { from: 0, to: data.endedAtMs };
  const lastTime = events.length === 0 ? 0 : events[events.length - 1][1];
  const initialTo = events.length > EVENTS_SHOWN_MAX ? events[EVENTS_SHOWN_MAX - 1][1] : Math.max(lastTime, data.endedAtMs);

  document.getElementById("diagram").addEventListener("click", function (click) {
    const target = click.target.closest("[data-i]");
    if (target) showDetail(Number(target.getAttribute("data-i")));
  });
  document.getElementById("window-form").addEventListener("submit", function (submit) {
    submit.preventDefault();
    const from = Number(document.getElementById("window-from").value), to = Number(document.getElementById("window-to").value);
    if (Number.isFinite(from) && Number.isFinite(to) && to >= from) draw(from, to);
  });
  document.getElementById("window-all").addEventListener("click", function () { draw(0, Math.max(lastTime, data.endedAtMs)); });
  document.getElementById("window-earlier").addEventListener("click", function () {
    const span = current.to - current.from;
    const from = Math.max(0, current.from - span);
    draw(from, from + span);
  });
  document.getElementById("window-later").addEventListener("click", function () {
    const span = current.to - current.from;
    draw(current.to, current.to + span);
  });
  const jump = document.getElementById("jump-to-breach");
  if (jump) jump.addEventListener("click", function () { jumpTo(Number(jump.getAttribute("data-index"))); });
  // The diagram is as wide as its panel: draw it again when the panel changes width.
  let redrawQueued = false;
  window.addEventListener("resize", function () {
    if (redrawQueued) return;
    redrawQueued = true;
    requestAnimationFrame(function () { redrawQueued = false; draw(current.from, current.to); });
  });
  document.getElementById("copy-replay").addEventListener("click", function () {
    const text = document.getElementById("replay-command").textContent;
    const button = document.getElementById("copy-replay");
    const copied = function () { button.textContent = "Copied"; };
    const select = function () {
      const range = document.createRange();
      range.selectNodeContents(document.getElementById("replay-command"));
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      button.textContent = "Selected: press Ctrl+C";
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(copied, select);
    else select();
  });
  draw(0, initialTo);
})();
