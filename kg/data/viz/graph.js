// The interactive part of a kg graph page. Notice text reaches the page only
// as JSON data and is shown with textContent, vis labels (canvas text) and vis
// titles (set with innerText by vis-network 9): never parsed as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
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
  var highlighted = false;

  function markReady() {
    network.once("afterDrawing", function () {
      window.kgRenderMs = performance.now();
      window.kgReady = true;
    });
    network.redraw();
  }

  if (data.physics) {
    // Stabilise once, then freeze: a live simulation keeps the CPU busy and
    // makes nodes drift away from where the reader left them.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });
      markReady();
    });
  } else {
    network.fit();
    markReady();
  }

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
    addDetail("原文 source", node.text);
    (node.facts || []).forEach(function (fact) { addDetail(fact[0], fact[1]); });
    addDetail("IRI", node.iri);
    detail.hidden = false;
  }

  function select(id) {
    if (id === null) {
      network.unselectAll();
      clearHighlight();
    } else {
      network.selectNodes([id]);
      highlight(id);
    }
    showDetail(id);
  }

  network.on("click", function (params) {
    select(params.nodes.length > 0 ? params.nodes[0] : null);
  });

  // Search: the n-th visible node whose full label contains the query;
  // submitting the same query again moves on to the next match.
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
        return !node.hidden && node.full.toLowerCase().indexOf(query) !== -1;
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
        var type = box.getAttribute("data-type");
        var ids = nodes.getIds({ filter: function (node) { return node.type === type; } });
        nodes.update(ids.map(function (id) { return { id: id, hidden: !box.checked }; }));
      });
    }
  );
})();
