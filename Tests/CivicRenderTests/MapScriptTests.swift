import CivicTestSupport
import Foundation
import Testing
@testable import CivicRender

/// `node` on the PATH, if any: the page's script is run in it with a minimal DOM.
let nodeExecutable: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    .split(separator: ":").map { $0 + "/node" }.first { FileManager.default.isExecutableFile(atPath: $0) }

@Suite("The page's script, run in node")
struct MapScriptTests {
    @Test("opens clusters into symbols as the reader zooms in, and closes them again on reset",
          .enabled(if: nodeExecutable != nil, "needs node on the PATH"))
    func clustersOpenOnZoom() async throws {
        let city = try SyntheticCity(columns: 20, rows: 15, entities: 40_000, seed: 7)
        let map = try CivicMap(try await city.spec())
        let node = try #require(nodeExecutable)
        try withTemporaryDirectory { folder in
            let page = folder + "/map.html", harness = folder + "/harness.js"
            try map.html().write(toFile: page, atomically: true, encoding: .utf8)
            try Self.harness.write(toFile: harness, atomically: true, encoding: .utf8)
            let run = try Programs.run(node, [harness, page])
            #expect(run.status == 0, "\(run)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run)")
            func state(_ key: String) throws -> [String: Int] {
                let value = try #require(report[key] as? [String: Any], "no \(key) in \(run.stdout)")
                return value.compactMapValues { $0 as? Int }
            }
            #expect(report["points"] as? Int == map.clusteredPoints.count)
            // The printed clusters are hidden; the script's own stand at the start for every entity.
            #expect(report["hidden"] as? String == "none")
            let start = try state("start"), zoomed = try state("zoomed"), deep = try state("deep"), reset = try state("reset")
            #expect(start["uses"]! + start["inClusters"]! == map.clusteredPoints.count)
            // Within a few of the printed clusters (positions are rounded to a tenth of a unit in the page).
            #expect(abs(start["clusters"]! - map.clusters.count) <= map.clusters.count / 50 + 2, "\(start) against \(map.clusters.count)")
            // Zoomed in 2.56×: fewer entities in view, more of them one by one.
            #expect(zoomed["uses"]! > start["uses"]! && zoomed["inClusters"]! < start["inClusters"]!)
            // At the deepest zoom the few in view are all single symbols.
            #expect(deep["clusters"] == 0 && deep["uses"]! > 0)
            #expect(reset == start)
            // No theme checked: nothing drawn, none shown.
            let none = try state("none")
            #expect(none["uses"] == 0 && none["clusters"] == 0)
            #expect(report["shownNone"] as? String == "0")
        }
    }

    /// Loads the page's data and script, zooms in twice, then eight times more, then resets, then
    /// unchecks every theme, and prints what the script drew each time as JSON.
    static let harness = #"""
// A minimal DOM for civic's map script: enough to run it, zoom, filter and read what it drew.
"use strict";
const fs = require("fs");
const html = fs.readFileSync(process.argv[2], "utf8");
function between(open) {
  const i = html.indexOf(open);
  if (i < 0) return null;
  const start = i + open.length;
  return html.slice(start, html.indexOf("</script>", start));
}
class Node {
  constructor(name, attrs) {
    this.name = name; this.attrs = Object.assign({}, attrs || {}); this.children = []; this.parentNode = null;
    this.style = {}; this.textContent = ""; this.classList = { add() {}, remove() {} };
  }
  setAttribute(k, v) { this.attrs[k] = String(v); }
  getAttribute(k) { return k in this.attrs ? this.attrs[k] : null; }
  hasAttribute(k) { return k in this.attrs; }
  removeAttribute(k) { delete this.attrs[k]; }
  appendChild(c) { c.parentNode = this; this.children.push(c); return c; }
  addEventListener() {}
  querySelectorAll() { return []; }
  closest(sel) { return null; }
  get namespaceURI() { return "svg"; }
  set textContent(v) { this._text = v; if (v === "") this.children = []; }
  get textContent() { return this._text; }
}
const byId = {};
function node(id, attrs) { return byId[id] || (byId[id] = new Node("g", attrs)); }
const svgAttrs = {};
for (const name of ["data-mpu", "data-max"]) {
  const m = html.match(new RegExp('id="map"[^>]*' + name + '="([^"]+)"'));
  svgAttrs[name] = m ? m[1] : "1";
}
node("map", svgAttrs);
node("civic-data").textContent = between('<script type="application/json" id="civic-data">');
const points = between('<script type="application/json" id="civic-points">');
if (points !== null) node("civic-points").textContent = points;
if (html.includes('<g id="clusters-live">')) node("clusters-live");
global.document = {
  documentElement: { lang: "ru" },
  getElementById(id) {
    if (id === "civic-points" && points === null) return null;
    if (id === "clusters-live" && !byId["clusters-live"]) return null;
    if (id === "district-table") return null;
    return node(id);
  },
  querySelectorAll() { return []; },
  createElement(name) { return new Node(name); },
  createElementNS(ns, name) { return new Node(name); },
};
global.window = { addEventListener() {}, requestAnimationFrame(f) { f(); }, innerWidth: 1000, innerHeight: 800, print() {} };
eval(between("<script>\n"));
// What the script drew now: symbols by id, and clusters with their counts.
function drawn() {
  const live = byId["clusters-live"];
  let uses = 0, clusters = 0, inClusters = 0, kinds = [];
  for (const g of live.children) {
    if (g.getAttribute("data-k") !== null) { kinds.push(+g.getAttribute("data-k")); uses += g.children.length; continue; }
    for (const c of g.children) { clusters++; inClusters += +c.getAttribute("data-c"); }
  }
  return { uses, clusters, inClusters, kinds };
}
const out = { points: JSON.parse(points || "{\"x\":[]}").x.length, hidden: byId["clusters"] ? byId["clusters"].style.display : null };
out.start = drawn();
const zoomIn = byId["zoom-in"];
zoomIn.onclick(); zoomIn.onclick();
out.zoomed = drawn();
for (let i = 0; i < 8; i++) zoomIn.onclick();
out.deep = drawn();
byId["zoom-reset"].onclick();
out.reset = drawn();
out.shownAtStart = byId["shown"].textContent;
byId["themes-none"].onclick();
out.none = drawn();
out.shownNone = byId["shown"].textContent;
console.log(JSON.stringify(out));
"""#
}
