// The interactive part of a kg graph page. Notice text reaches the page only
// as JSON data and is shown with textContent, vis labels (canvas text) and vis
// titles (set with innerText by vis-network 9): never parsed as HTML.
// Positions come from Python (kg/layout.py): nothing is simulated here.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);

  // Plain text: vis-network 9 puts a string title in the page with innerText.
  function tooltip(node) {
    var lines = [node.full, data.types[node.type].name];
    if (node.notice !== undefined) {
      var where = node.start !== undefined ? " [" + node.start + ", " + node.end + ")" : "";
      lines.push("通报 " + node.notice + where);
    }
    if (node.text) {
      var text = node.text.length > data.tooltipText
        ? node.text.slice(0, data.tooltipText - 1) + "…" : node.text;
      lines.push("“" + text + "”");
    }
    (node.facts || []).forEach(function (fact) { lines.push(fact[0] + ": " + fact[1]); });
    return lines.join("\n");
  }

  data.nodes.forEach(function (node) {
    var colour = data.types[node.type].color;
    node.color = { background: colour, border: colour };
    node.title = tooltip(node);
  });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.kgNetwork = network;
  window.kgNodes = nodes;
  window.kgEdges = edges;
  window.kgReady = false;

  var DIM = { background: "rgba(200,200,200,0.35)", border: "rgba(170,170,170,0.5)" };
  var DIM_FONT = { color: "rgba(150,150,150,0.6)" };
  var READABLE_SCALE = 1.0; // labels are drawn at their font size in pixels
  var highlighted = false;
  var shownTypes = {}; // type → ticked in the legend
  var opened = null; // the node whose folded children are shown

  Array.prototype.forEach.call(
    document.querySelectorAll("#kg-legend input[data-type]"),
    function (box) { shownTypes[box.getAttribute("data-type")] = box.checked; }
  );

  // Open at a scale where labels read: the whole graph if it fits so,
  // otherwise its top left corner at scale 1 (search and zoom reach the rest).
  function firstView() {
    network.fit({ animation: false });
    if (network.getScale() >= READABLE_SCALE) return;
    var left = Infinity, top = Infinity;
    var positions = network.getPositions(nodes.getIds({
      filter: function (node) { return !node.hidden && node.label; },
    }));
    Object.keys(positions).forEach(function (id) {
      left = Math.min(left, positions[id].x);
      top = Math.min(top, positions[id].y);
    });
    network.moveTo({
      scale: READABLE_SCALE,
      position: {
        x: left - 140 + container.clientWidth / (2 * READABLE_SCALE),
        y: top - 40 + container.clientHeight / (2 * READABLE_SCALE),
      },
      animation: false,
    });
  }

  firstView();
  network.once("afterDrawing", function () {
    window.kgRenderMs = performance.now();
    window.kgReady = true;
  });
  network.redraw();

  function baseStyle(node) {
    var colour = data.types[node.type].color;
    return {
      id: node.id,
      color: { background: colour, border: colour },
      font: { color: "#222" },
    };
  }

  function clearHighlight() {
    if (!highlighted) return;
    nodes.update(nodes.get().map(baseStyle));
    highlighted = false;
  }

  function highlight(id) {
    var near = {};
    near[id] = true;
    network.getConnectedNodes(id).forEach(function (other) { near[other] = true; });
    nodes.update(nodes.get().map(function (node) {
      if (near[node.id]) return baseStyle(node);
      return { id: node.id, color: DIM, font: DIM_FONT };
    }));
    highlighted = true;
  }

  // Folding: a node with `fold` (a measure) stays hidden until the node it
  // names (its problem) is opened, or its type is ticked in the legend.
  function visible(node) {
    if (!shownTypes[node.type]) {
      return node.fold !== undefined && node.fold === opened;
    }
    return true;
  }

  function refresh() {
    nodes.update(nodes.get().map(function (node) {
      return { id: node.id, hidden: !visible(node) };
    }));
  }

  function open(id) {
    var children = nodes.getIds({ filter: function (node) { return node.fold === id; } });
    var next = children.length > 0 ? id : null;
    if (next === opened) return;
    opened = next;
    refresh();
  }

  var detail = document.getElementById("kg-detail");
  var detailList = document.getElementById("kg-detail-list");

  function addDetail(term, value) {
    if (value === undefined || value === null || value === "") return;
    var dt = document.createElement("dt");
    dt.textContent = term;
    var dd = document.createElement("dd");
    dd.textContent = String(value);
    detailList.appendChild(dt);
    detailList.appendChild(dd);
  }

  function showDetail(id) {
    while (detailList.firstChild) detailList.removeChild(detailList.firstChild);
    if (id === null) {
      detail.hidden = true;
      return;
    }
    var node = nodes.get(id);
    addDetail("名称 label", node.full);
    addDetail("类型 type", data.types[node.type].name);
    if (node.notice !== undefined) {
      var where = node.start !== undefined ? " [" + node.start + ", " + node.end + ")" : "";
      addDetail("通报 notice", node.notice + where);
    }
    addDetail("原文 source", node.text || node.full);
    (node.facts || []).forEach(function (fact) { addDetail(fact[0], fact[1]); });
    addDetail("IRI", node.iri);
    detail.hidden = false;
  }

  function select(id) {
    if (id === null) {
      network.unselectAll();
      clearHighlight();
    } else {
      var node = nodes.get(id);
      if (node.fold !== undefined && node.hidden) open(node.fold);
      else if (node.fold === undefined) open(id);
      network.selectNodes([id]);
      highlight(id);
    }
    showDetail(id);
  }

  network.on("click", function (params) {
    select(params.nodes.length > 0 ? params.nodes[0] : null);
  });

  // Search: the n-th node (shown, or folded away) whose full label contains
  // the query; submitting the same query again moves on to the next match.
  var searchInput = document.getElementById("kg-search-input");
  var searchStatus = document.getElementById("kg-search-status");
  var lastQuery = null;
  var lastIndex = -1;
  document.getElementById("kg-search").addEventListener("submit", function (event) {
    event.preventDefault();
    var query = searchInput.value.trim().toLowerCase();
    if (query === "") {
      searchStatus.textContent = "";
      select(null);
      return;
    }
    var matches = nodes.getIds({
      filter: function (node) {
        var reachable = shownTypes[node.type] || node.fold !== undefined;
        return reachable && node.full.toLowerCase().indexOf(query) !== -1;
      },
    });
    if (matches.length === 0) {
      searchStatus.textContent = "无匹配 no match";
      lastQuery = null;
      return;
    }
    lastIndex = query === lastQuery ? (lastIndex + 1) % matches.length : 0;
    lastQuery = query;
    var id = matches[lastIndex];
    select(id);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    searchStatus.textContent = (lastIndex + 1) + " / " + matches.length;
  });

  // Type filters: hiding a node in the DataSet hides its edges too.
  Array.prototype.forEach.call(
    document.querySelectorAll("#kg-legend input[data-type]"),
    function (box) {
      box.addEventListener("change", function () {
        shownTypes[box.getAttribute("data-type")] = box.checked;
        refresh();
      });
    }
  );
})();
