/* The link chart (intel/graph.html): cytoscape.js over the JSON of intel:graph_data.
 * No text lives here: the page passes its translated words in #link-chart-labels.
 * Exposes the cytoscape instance as window.markazChart (for tests and the console). */
(function () {
  "use strict";

  var COLOURS = { report: "#1f6fb2", indicator: "#d9822b", campaign: "#8e44ad", case: "#2e7d32" };

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, name) {
      return values[name] === undefined ? "" : String(values[name]);
    });
  }

  function init() {
    var box = document.getElementById("link-chart");
    if (!box || !window.cytoscape) {
      return;
    }
    var words = JSON.parse(document.getElementById("link-chart-labels").textContent);
    var dataUrl = box.dataset.dataUrl;
    var pathUrl = box.dataset.pathUrl;
    var status = document.getElementById("chart-status");
    var counter = document.getElementById("chart-count");
    var details = document.getElementById("chart-details");
    var pickedLine = document.getElementById("chart-picked");
    var expandButton = document.getElementById("chart-expand");
    var pathButton = document.getElementById("chart-path");
    var picked = [];
    var expanded = {};

    var cy = window.cytoscape({
      container: box,
      elements: [],
      minZoom: 0.05,
      maxZoom: 4,
      style: [
        { selector: "node", style: {
          "label": "data(caption)", "font-size": 10, "text-valign": "bottom", "text-margin-y": 3,
          "text-wrap": "ellipsis", "text-max-width": 140, "width": 22, "height": 22,
          "background-color": "#1f6fb2", "color": "#1c2733" } },
        { selector: "node[kind = 'indicator']", style: { "shape": "round-rectangle", "background-color": COLOURS.indicator } },
        { selector: "node[kind = 'campaign']", style: { "shape": "hexagon", "width": 30, "height": 30, "background-color": COLOURS.campaign } },
        { selector: "node[kind = 'case']", style: { "shape": "rectangle", "background-color": COLOURS.case } },
        { selector: "node[?restricted]", style: { "background-color": "#9aa7b4" } },
        { selector: "node[kind = 'summary']", style: {
          "shape": "ellipse", "background-color": "#fff", "border-width": 2, "border-style": "dashed",
          "border-color": "#6b7785", "width": 34, "height": 34, "text-valign": "center", "text-margin-y": 0 } },
        { selector: "node.expanded", style: { "border-width": 2, "border-color": "#10325a" } },
        { selector: "node:selected", style: { "border-width": 4, "border-color": "#f2c200" } },
        { selector: "edge", style: { "width": 2, "line-color": "#5b6b7b", "curve-style": "bezier" } },
        { selector: "edge[kind = 'sighting'][!linking]", style: { "line-style": "dashed", "line-color": "#b0b9c3" } },
        { selector: "edge[kind = 'summary']", style: { "line-style": "dotted", "line-color": "#b0b9c3" } },
        { selector: ".path", style: { "line-color": "#e0245e", "width": 5, "border-width": 4, "border-color": "#e0245e", "z-index": 10 } }
      ]
    });
    window.markazChart = cy;

    function caption(node) {
      if (node.kind === "report" && node.restricted) {
        return words.restricted;
      }
      if (node.kind === "summary") {
        return format(words.more, { n: node.more });
      }
      return node.label;
    }

    function say(text) {
      status.textContent = text;
    }

    function count() {
      counter.textContent = format(words.count, { nodes: cy.nodes().length, edges: cy.edges().length });
      box.dataset.nodes = String(cy.nodes().length);
    }

    function layout() {
      // cose is pleasant up to a few hundred nodes; beyond that a cheap layout keeps it responsive.
      var big = cy.nodes().length > 300;
      cy.layout(big ? { name: "concentric", animate: false, minNodeSpacing: 8 }
                    : { name: "cose", animate: false, randomize: false, nodeRepulsion: 6000, idealEdgeLength: 60, numIter: 600 }).run();
    }

    function add(answer) {
      var fresh = [];
      answer.nodes.forEach(function (node) {
        if (cy.getElementById(node.id).empty()) {
          node.caption = caption(node);
          fresh.push({ group: "nodes", data: node });
        }
      });
      answer.edges.forEach(function (edge) {
        if (cy.getElementById(edge.id).empty()) {
          fresh.push({ group: "edges", data: edge });
        }
      });
      cy.add(fresh);
      count();
      return fresh.length;
    }

    function fetchJson(url) {
      return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        });
    }

    function showDetails(node) {
      details.textContent = "";
      var data = node.data();
      var list = document.createElement("dl");
      function row(term, value) {
        var dt = document.createElement("dt");
        dt.textContent = term;
        var dd = document.createElement("dd");
        dd.textContent = value;
        list.appendChild(dt);
        list.appendChild(dd);
      }
      row(words.kinds[data.kind] || data.kind, data.caption);
      if (data.kind === "report" && data.restricted) {
        row("", words.restricted_help);
      }
      if (data.kind === "summary") {
        Object.keys(data.counts).forEach(function (kind) {
          row(words.kinds[kind] || kind, String(data.counts[kind]));
        });
      }
      var extra = data.details || {};
      Object.keys(extra).forEach(function (key) {
        var value = extra[key];
        if (typeof value === "boolean") {
          value = value ? words.yes : words.no;
        }
        row(words.fields[key] || key, String(value));
      });
      details.appendChild(list);
      if (data.url) {
        var link = document.createElement("a");
        link.href = data.url;
        link.textContent = words.open;
        details.appendChild(link);
      }
    }

    function expand(node) {
      if (!node || node.data("kind") === "summary" || node.data("restricted") && node.data("kind") !== "report") {
        return Promise.resolve();
      }
      if (expanded[node.id()]) {
        say(words.expanded);
        return Promise.resolve();
      }
      say(words.loading);
      return fetchJson(dataUrl + "?expand=" + encodeURIComponent(node.id())).then(function (answer) {
        expanded[node.id()] = true;
        node.addClass("expanded");
        if (add(answer)) {
          layout();
        }
        say(words.loaded);
      }).catch(function () {
        say(words.failed);
      });
    }

    function updatePicked() {
      pathButton.disabled = picked.length !== 2;
      pickedLine.textContent = picked.length === 2
        ? format(words.picked, { a: cy.getElementById(picked[0]).data("caption"), b: cy.getElementById(picked[1]).data("caption") })
        : words.pick_two;
    }

    function highlight(ids) {
      cy.elements().removeClass("path");
      var previous = null;
      ids.forEach(function (id) {
        var node = cy.getElementById(id);
        node.addClass("path");
        if (previous) {
          node.edgesWith(previous).addClass("path");
        }
        previous = node;
      });
    }

    function shortestPath() {
      if (picked.length !== 2) {
        return;
      }
      var from = cy.getElementById(picked[0]);
      var to = cy.getElementById(picked[1]);
      // First the chart already loaded (instant, offline); else ask the server, which
      // searches beyond what is drawn, up to its cap.
      var local = cy.elements().not("node[kind = 'summary']").aStar({ root: from, goal: to });
      if (local.found) {
        highlight(local.path.nodes().map(function (n) { return n.id(); }));
        say(format(words.path_found, { n: local.distance }));
        return;
      }
      say(words.loading);
      fetchJson(pathUrl + "?from=" + encodeURIComponent(from.id()) + "&to=" + encodeURIComponent(to.id()))
        .then(function (answer) {
          if (!answer.found) {
            cy.elements().removeClass("path");
            say(answer.capped ? format(words.path_capped, { n: answer.visited }) : words.path_none);
            return;
          }
          if (add(answer)) {
            layout();
          }
          highlight(answer.path);
          say(format(words.path_found, { n: answer.path.length - 1 }));
        })
        .catch(function () {
          say(words.failed);
        });
    }

    cy.on("tap", "node", function (event) {
      var node = event.target;
      showDetails(node);
      expandButton.disabled = node.data("kind") === "summary";
      expandButton.dataset.node = node.id();
      if (node.data("kind") !== "summary") {
        picked = picked.filter(function (id) { return id !== node.id(); });
        picked.push(node.id());
        if (picked.length > 2) {
          picked.shift();
        }
        updatePicked();
      }
    });
    cy.on("dbltap", "node", function (event) {
      expand(event.target);
    });
    expandButton.addEventListener("click", function () {
      expand(cy.getElementById(expandButton.dataset.node || ""));
    });
    pathButton.addEventListener("click", shortestPath);
    document.getElementById("chart-fit").addEventListener("click", function () {
      cy.fit(undefined, 20);
    });
    document.getElementById("chart-png").addEventListener("click", function () {
      var link = document.createElement("a");
      link.href = cy.png({ full: true, scale: 2, bg: "#ffffff" });
      link.download = box.dataset.filename || "link-chart.png";
      document.body.appendChild(link);
      link.click();
      link.remove();
    });

    fetchJson(dataUrl).then(function (answer) {
      add(answer);
      var root = cy.getElementById(box.dataset.root);
      expanded[box.dataset.root] = true;
      root.addClass("expanded");
      layout();
      updatePicked();
      say(words.loaded);
      box.dataset.ready = "true";
    }).catch(function () {
      say(words.failed);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
