import CivicCore
import Foundation

extension CivicMap {
    /// The map as one self-contained web page: the SVG inline, with its CSS and a small script and
    /// nothing loaded from anywhere, so that it opens offline and can be mailed.
    ///
    /// On the page: hover or tap a district for its name, covered share and residents left out, an
    /// entity for its name, kind and themes; check themes to show or hide entities; zoom with the
    /// wheel or the buttons and drag to pan (the scale bar follows the zoom); print gives the map
    /// alone on one landscape page.
    public func html() -> String {
        var out = Markup(capacity: 1 << 22)
        out.raw("<!DOCTYPE html>\n<html")
        out.attribute("lang", words.language)
        out.raw(">\n<head>\n<meta charset=\"utf-8\">\n")
        out.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        out.element("title", text: title)
        out.raw("\n<style>\n")
        out.raw(Self.css(page: page))
        out.raw("</style>\n</head>\n<body>\n<div id=\"app\">\n<div id=\"stage\">\n")
        writeSVG(into: &out, flavour: .page)
        out.raw("</div>\n<aside id=\"controls\">\n")
        writeControls(&out)
        out.raw("</aside>\n</div>\n<div id=\"tip\" hidden></div>\n")
        out.raw("<script type=\"application/json\" id=\"civic-data\">")
        // `</` inside a script element would end it; `<\/` is the same JSON.
        out.raw(JSON.serialize(pageData, pretty: false).replacingOccurrences(of: "</", with: "<\\/"))
        out.raw("</script>\n")
        if !clusteredPoints.isEmpty {
            out.raw("<script type=\"application/json\" id=\"civic-points\">")
            out.raw(pointsData.replacingOccurrences(of: "</", with: "<\\/"))
            out.raw("</script>\n")
        }
        out.raw("<script>\n")
        out.raw(Self.script)
        out.raw("</script>\n</body>\n</html>\n")
        return out.text
    }

    private func writeControls(_ out: inout Markup) {
        out.raw("<div class=\"zoom\">")
        out.raw("<button type=\"button\" id=\"zoom-in\"")
        out.attribute("title", words.zoomIn)
        out.attribute("aria-label", words.zoomIn)
        out.raw(">+</button><button type=\"button\" id=\"zoom-out\"")
        out.attribute("title", words.zoomOut)
        out.attribute("aria-label", words.zoomOut)
        out.raw(">−</button><button type=\"button\" id=\"zoom-reset\">")
        out.escaped(words.wholeCity)
        out.raw("</button></div>\n")
        out.raw("<h2>")
        out.escaped(words.themesWord.prefix(1).uppercased() + words.themesWord.dropFirst())
        out.raw("</h2>\n<div class=\"bulk\"><button type=\"button\" id=\"themes-all\">")
        out.escaped(words.allWord)
        out.raw("</button><button type=\"button\" id=\"themes-none\">")
        out.escaped(words.noneWord)
        out.raw("</button></div>\n<div id=\"themes\">\n")
        for (i, theme) in themes.enumerated() where theme.count > 0 {
            out.raw("<label class=\"theme\"><input type=\"checkbox\" checked")
            out.attribute("value", String(i))
            out.attribute("data-theme", theme.id)
            out.raw("><span>")
            out.escaped(theme.label)
            out.raw("</span><span class=\"n\">")
            out.escaped(words.number(Double(theme.count)))
            out.raw("</span></label>\n")
        }
        let total = entityAreas.count + entityPoints.count + clusteredPoints.count
        out.raw("</div>\n<p class=\"shown\">")
        out.escaped(words.shownWord)
        out.raw(": <b id=\"shown\">")
        out.escaped(words.number(Double(total)))
        out.raw("</b> / ")
        out.escaped(words.number(Double(total)))
        out.raw("</p>\n<p class=\"hint\">")
        out.escaped(words.hint)
        out.raw("</p>\n<button type=\"button\" id=\"print\">")
        out.escaped(words.printWord)
        out.raw("</button>\n")
        writeDistrictTable(&out)
    }

    /// Every district's figures in a table the reader sorts by clicking a heading (the script keeps
    /// each cell's value in `data-v`); the worst first, as in the printed legend.
    private func writeDistrictTable(_ out: inout Markup) {
        let hasPeople = districts.contains { $0.leftOut != nil }
        out.raw("<h2>")
        out.escaped(rankingTitle)
        out.raw("</h2>\n<p class=\"hint\">")
        out.escaped(words.tableHint)
        out.raw("</p>\n<table id=\"district-table\">\n<thead><tr>")
        var headings = [(words.districtWord, "text"), (words.shareColumn, "number")]
        if hasPeople { headings.append((words.leftOutColumn, "number")) }
        headings.append((words.entitiesTitle, "number"))
        for (i, heading) in headings.enumerated() {
            out.raw("<th")
            out.attribute("data-type", heading.1)
            if i > 0 { out.raw(" class=\"num\"") }
            out.raw(">")
            out.escaped(heading.0)
            out.raw("</th>")
        }
        out.raw("</tr></thead>\n<tbody>\n")
        let rows = hasPeople
            ? districts.sorted { ($0.leftOut ?? 0) != ($1.leftOut ?? 0) ? ($0.leftOut ?? 0) > ($1.leftOut ?? 0) : $0.id < $1.id }
            : districts.sorted { $0.share != $1.share ? $0.share < $1.share : $0.id < $1.id }
        for d in rows {
            out.raw("<tr")
            out.attribute("data-id", d.id)
            out.raw("><td>")
            out.escaped(d.name)
            out.raw("</td><td class=\"num\"")
            out.attribute("data-v", JSONNumber.format(d.share, decimals: 6))
            out.raw(">")
            out.escaped(words.percent(d.share))
            out.raw("</td>")
            if hasPeople {
                out.raw("<td class=\"num\"")
                out.attribute("data-v", JSONNumber.format((d.leftOut ?? 0).rounded()))
                out.raw(">")
                out.escaped(d.leftOut.map { words.number($0.rounded()) } ?? "—")
                out.raw("</td>")
            }
            out.raw("<td class=\"num\"")
            out.attribute("data-v", String(d.entities))
            out.raw(">")
            out.escaped(words.number(Double(d.entities)))
            out.raw("</td></tr>\n")
        }
        out.raw("</tbody>\n</table>\n")
    }

    /// The entities inside clusters, for the script that opens clusters as the reader zooms in:
    /// flat arrays, one entry per entity, so that 400,000 entities stay a few megabytes.
    /// `x`, `y`: tenths of a page unit from the frame's top-left corner; `p`: index into `profiles`,
    /// each `[kind, theme, …]`; `i`: the id as the difference from the previous one; `n`: names, only
    /// when they fit in ``nameBudget`` bytes (else the page shows `№ id`, which `civic show` takes).
    var pointsData: String {
        var profiles: [[Int]] = []
        var profileIndex: [[Int]: Int] = [:]
        var xs = "", ys = "", ps = "", ids = ""
        xs.reserveCapacity(clusteredPoints.count * 5)
        var previous = 0
        var nameBytes = 0
        // A dataset's ids are whole numbers, sent as differences from the one before; a loose
        // file's (a station's "de:11000:900002201", or none) go as text.
        var allNumbered = true
        for (n, m) in clusteredPoints.enumerated() {
            let key = [m.kind] + m.themes
            let p: Int
            if let known = profileIndex[key] { p = known } else {
                p = profiles.count
                profiles.append(key)
                profileIndex[key] = p
            }
            let sep = n == 0 ? "" : ","
            xs += sep + String(Int(((m.x - frame.minX) * 10).rounded()))
            ys += sep + String(Int(((m.y - frame.minY) * 10).rounded()))
            ps += sep + String(p)
            if case .number(let text)? = m.id, let id = Int(text) {
                ids += sep + String(id - previous)
                previous = id
            } else {
                allNumbered = false
            }
            nameBytes += m.name.utf8.count + 3
        }
        var out = "{\"cell\":" + JSONNumber.format(clusterCell, decimals: 2)
        out += ",\"min\":" + String(clusterMinimum)
        // The cluster radius rule of ``CivicMap/clusterRadius(count:cell:)``, so the page draws the same circles.
        out += ",\"radius\":[" + [Self.clusterRadiusBase, Self.clusterRadiusPerDecade, Self.clusterRadiusMost]
            .map { JSONNumber.format($0, decimals: 3) }.joined(separator: ",") + "]"
        out += ",\"order\":[" + drawOrder.map(String.init).joined(separator: ",") + "]"
        out += ",\"profiles\":[" + profiles.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: ",") + "]"
        out += ",\"x\":[" + xs + "],\"y\":[" + ys + "],\"p\":[" + ps + "]"
        if allNumbered {
            out += ",\"i\":[" + ids + "]"
        } else {
            out += ",\"s\":" + JSON.serialize(.array(clusteredPoints.map { .string($0.id?.description ?? "") }), pretty: false)
        }
        if nameBytes <= Self.nameBudget {
            out += ",\"n\":" + JSON.serialize(.array(clusteredPoints.map { .string($0.name) }), pretty: false)
        }
        return out + "}"
    }

    /// The most bytes of names the page carries for entities inside clusters: with the rest of the
    /// page, it stays under 10 MB at 400,000 entities.
    static let nameBudget = 2_500_000

    /// What the script needs besides the SVG: labels of kinds and themes, words, number style.
    private var pageData: JSONValue {
        var words = JSONObject()
        words["covered"] = .string(self.words.coveredWord)
        words["leftOut"] = .string(self.words.leftOutWord)
        words["population"] = .string(self.words.populationWord)
        words["entities"] = .string(self.words.entitiesWord)
        words["kind"] = .string(self.words.kindWord)
        words["themes"] = .string(self.words.themesWord)
        words["together"] = .string(self.words.clusterLabel)
        words["zoom"] = .string(self.words.zoomIn)
        var root = JSONObject()
        root["kinds"] = .array(kinds.map { .string($0.label) })
        root["themes"] = .array(themes.map { .string($0.label) })
        root["words"] = .object(words)
        // The page's script writes numbers as MapWords.number does.
        root["decimal"] = .string(self.words.decimalSeparator)
        root["group"] = .string(self.words.groupSeparator)
        root["m"] = .string(self.words.metre)
        root["km"] = .string(self.words.kilometre)
        root["frame"] = .array([frame.minX, frame.minY, frame.maxX, frame.maxY].map { .number(JSONNumber.format($0, decimals: 2)) })
        return .object(root)
    }

    private static func css(page: PageSize) -> String {
        let size = "\(JSONNumber.format(page.width))mm \(JSONNumber.format(page.height))mm"
        // The SVG leaves out the outer 6 mm of the page: the printer's margin puts them back.
        let margin = JSONNumber.format(pageCrop / unitsPerMillimetre) + "mm"
        return """
        *{box-sizing:border-box}
        html,body{margin:0;height:100%;background:#f4f4f2;color:#1f1f1f;font-family:"DejaVu Sans","Noto Sans",Arial,sans-serif}
        #app{display:flex;height:100vh}
        #stage{flex:1;min-width:0;background:#fff}
        #map{display:block;width:100%;height:100%;touch-action:none;cursor:grab;user-select:none;-webkit-user-select:none}
        #map.dragging{cursor:grabbing}
        #viewport path{vector-effect:non-scaling-stroke}
        #labels,#gaps,#walk-reach,#district-edges,#highlight,#legend,#title-block,#sources,#scale-bar,#north-arrow{pointer-events:none}
        #districts path:hover{stroke:#1f1f1f;stroke-width:2}
        #controls{width:340px;flex:none;overflow:auto;padding:14px 16px;border-left:1px solid #d8d8d4;font-size:14px;line-height:1.35}
        #controls h2{font-size:15px;margin:16px 0 6px}
        #controls button{font:inherit;padding:4px 10px;border:1px solid #aaa;border-radius:4px;background:#fff;cursor:pointer}
        #controls button:hover{background:#eef}
        .zoom{display:flex;gap:6px}
        .zoom button:not(#zoom-reset){width:36px;font-size:18px;line-height:1}
        .bulk{display:flex;gap:6px;margin-bottom:6px}
        .theme{display:flex;gap:6px;align-items:baseline;padding:2px 0;cursor:pointer}
        .theme .n{margin-left:auto;color:#777;font-size:12px}
        .shown{margin:12px 0 6px}
        .hint{color:#666;font-size:12px}
        #district-table{border-collapse:collapse;width:100%;font-size:12px}
        #district-table th{position:sticky;top:0;background:#f4f4f2;text-align:left;cursor:pointer;border-bottom:1px solid #999;padding:3px 4px;user-select:none}
        #district-table th.num,#district-table td.num{text-align:right;white-space:nowrap}
        #district-table th[aria-sort=ascending]::after{content:" \\25B2"}
        #district-table th[aria-sort=descending]::after{content:" \\25BC"}
        #district-table td{padding:2px 4px;border-bottom:1px solid #e2e2de}
        #district-table tbody tr:hover{background:#e6ecf7;cursor:default}
        #clusters-live g[data-c],#clusters g[data-c]{cursor:zoom-in}
        #tip{position:fixed;z-index:10;pointer-events:none;max-width:300px;padding:6px 9px;background:#fff;border:1px solid #999;border-radius:4px;box-shadow:0 2px 8px rgba(0,0,0,.2);font-size:13px;line-height:1.4}
        #tip b{display:block;margin-bottom:2px}
        @page{size:\(size);margin:\(margin)}
        @media print{
        html,body{height:auto;background:#fff}
        #app{display:block;height:auto}
        #controls,#tip{display:none}
        #map{width:100%;height:auto}
        }

        """
    }

    /// Pan and zoom (a transform on `#viewport`; symbols and names keep their size, the scale bar
    /// picks a new round length), hover and tap details, theme filters, print.
    static let script = """
    (function () {
      "use strict";
      var D = JSON.parse(document.getElementById("civic-data").textContent);
      var svg = document.getElementById("map"), vp = document.getElementById("viewport");
      var tip = document.getElementById("tip");
      var mpu = parseFloat(svg.getAttribute("data-mpu")), maxBar = parseFloat(svg.getAttribute("data-max"));
      var F = D.frame, s = 1, tx = 0, ty = 0;
      var symbols = [].slice.call(svg.querySelectorAll("defs > g > path"));
      var labels = [].slice.call(svg.querySelectorAll("#labels text"));
      var barA = document.getElementById("scale-bar-a"), barB = document.getElementById("scale-bar-b");
      var barLabel = document.getElementById("scale-bar-label");
      var hatch = document.getElementById("hatch"), highlight = document.getElementById("highlight");

      function fmt(v, decimals) {
        var parts = v.toFixed(decimals).split("."), i = parts[0];
        i = i.replace(/\\B(?=(\\d{3})+(?!\\d))/g, D.group);
        return parts.length > 1 ? i + D.decimal + parts[1] : i;
      }
      function length(m) {
        return m >= 1000 ? fmt(m / 1000, m % 1000 ? 1 : 0) + "\\u00a0" + D.km : fmt(m, 0) + "\\u00a0" + D.m;
      }
      function nice(m) {
        var p = Math.pow(10, Math.floor(Math.log(m) / Math.LN10)), f = m / p;
        return (f >= 5 ? 5 : f >= 2 ? 2 : 1) * p;
      }
      function clamp(v, lo, hi) { return Math.min(hi, Math.max(lo, v)); }

      function apply() {
        // The zoomed frame always covers the frame: the city cannot be dragged out of sight.
        tx = clamp(tx, F[2] - s * F[2], F[0] - s * F[0]);
        ty = clamp(ty, F[3] - s * F[3], F[1] - s * F[1]);
        vp.setAttribute("transform", s === 1 ? "" : "translate(" + tx.toFixed(2) + " " + ty.toFixed(2) + ") scale(" + s.toFixed(4) + ")");
        hatch.setAttribute("patternTransform", "rotate(45) scale(" + (1 / s).toFixed(4) + ")");
        var k = 1 / Math.pow(s, 0.8);
        symbols.forEach(function (p) { p.setAttribute("transform", s === 1 ? "" : "scale(" + k.toFixed(4) + ")"); });
        labels.forEach(function (t) {
          var x = t.getAttribute("x"), y = t.getAttribute("y");
          t.setAttribute("transform", s === 1 ? "" : "translate(" + x + " " + y + ") scale(" + (1 / s).toFixed(4) + ") translate(" + -x + " " + -y + ")");
        });
        var metres = nice(maxBar * mpu / s), w = metres * s / mpu;
        barA.setAttribute("width", (w / 2).toFixed(1));
        barB.setAttribute("x", (w / 2).toFixed(1));
        barB.setAttribute("width", (w / 2).toFixed(1));
        barLabel.setAttribute("x", w.toFixed(1));
        barLabel.textContent = length(metres);
        schedule();
      }
      function zoomAt(x, y, factor) {
        var next = clamp(s * factor, 1, 64);
        factor = next / s;
        tx = x - (x - tx) * factor;
        ty = y - (y - ty) * factor;
        s = next;
        apply();
      }
      function centre() { return { x: (F[0] + F[2]) / 2, y: (F[1] + F[3]) / 2 }; }
      function reset() { s = 1; tx = 0; ty = 0; apply(); }
      function point(e) {
        var p = svg.createSVGPoint();
        p.x = e.clientX; p.y = e.clientY;
        return p.matrixTransform(svg.getScreenCTM().inverse());
      }

      svg.addEventListener("wheel", function (e) {
        e.preventDefault();
        var p = point(e);
        zoomAt(p.x, p.y, Math.exp(-e.deltaY * (e.deltaMode ? 0.05 : 0.002)));
      }, { passive: false });

      // Drag with one pointer, pinch with two; a press that does not move is a tap.
      var pointers = {}, drag = null, pinch = null;
      function count() { return Object.keys(pointers).length; }
      svg.addEventListener("pointerdown", function (e) {
        pointers[e.pointerId] = point(e);
        if (count() === 1) {
          drag = { x: pointers[e.pointerId].x, y: pointers[e.pointerId].y, tx: tx, ty: ty, moved: false };
        } else if (count() === 2) {
          var ids = Object.keys(pointers), a = pointers[ids[0]], b = pointers[ids[1]];
          pinch = { d: Math.hypot(a.x - b.x, a.y - b.y) || 1 };
          drag = null;
        }
      });
      svg.addEventListener("pointermove", function (e) {
        if (!(e.pointerId in pointers)) { if (e.pointerType === "mouse") show(e); return; }
        var p = point(e);
        pointers[e.pointerId] = p;
        if (pinch && count() === 2) {
          var ids = Object.keys(pointers), a = pointers[ids[0]], b = pointers[ids[1]];
          var d = Math.hypot(a.x - b.x, a.y - b.y) || 1;
          zoomAt((a.x + b.x) / 2, (a.y + b.y) / 2, d / pinch.d);
          pinch.d = d;
          return;
        }
        if (!drag) return;
        var dx = p.x - drag.x, dy = p.y - drag.y;
        if (!drag.moved && Math.abs(dx) + Math.abs(dy) > 3) {
          drag.moved = true;
          svg.setPointerCapture(e.pointerId);
          svg.classList.add("dragging");
          hide();
        }
        if (drag.moved) { tx = drag.tx + dx; ty = drag.ty + dy; apply(); }
      });
      function end(e) {
        if (drag && !drag.moved && !pinch) {
          var c = e.target && e.target.closest ? e.target.closest("[data-c]") : null;
          if (c) { var q = point(e); zoomAt(q.x, q.y, 2); hide(); } else show(e);
        }
        delete pointers[e.pointerId];
        if (count() < 2) pinch = null;
        drag = null;
        svg.classList.remove("dragging");
      }
      svg.addEventListener("pointerup", end);
      svg.addEventListener("pointercancel", end);
      svg.addEventListener("pointerleave", function (e) { if (e.pointerType === "mouse" && !drag) hide(); });

      document.getElementById("zoom-in").onclick = function () { var c = centre(); zoomAt(c.x, c.y, 1.6); };
      document.getElementById("zoom-out").onclick = function () { var c = centre(); zoomAt(c.x, c.y, 1 / 1.6); };
      document.getElementById("zoom-reset").onclick = reset;
      document.getElementById("print").onclick = function () { window.print(); };
      window.addEventListener("beforeprint", reset);

      // Details: built as text nodes, never as markup, whatever the names hold.
      function line(text, bold) {
        var el = document.createElement(bold ? "b" : "div");
        el.textContent = text;
        tip.appendChild(el);
      }
      function show(e) {
        var t = e.target, name = t && t.getAttribute ? t.getAttribute("data-n") : null;
        var c = t && t.closest ? t.closest("[data-c]") : null;
        if (c) {
          tip.textContent = "";
          line(D.words.together + ": " + fmt(+c.getAttribute("data-c"), 0), true);
          line(D.words.zoom);
          place(e);
          return;
        }
        if (name === null) { hide(); return; }
        tip.textContent = "";
        line(name, true);
        highlight.setAttribute("d", t.hasAttribute("data-id") ? t.getAttribute("d") : "");
        if (t.hasAttribute("data-id")) {
          line(D.words.covered + ": " + t.getAttribute("data-s"));
          if (t.hasAttribute("data-p")) line(D.words.leftOut + ": " + t.getAttribute("data-p") + " / " + t.getAttribute("data-pop"));
          line(D.words.entities + ": " + t.getAttribute("data-e"));
        } else {
          var kind = D.kinds[+t.parentNode.getAttribute("data-k")];
          var themes = (t.getAttribute("data-t") || "").split(" ").filter(Boolean).map(function (i) { return D.themes[+i]; });
          line(D.words.kind + ": " + kind);
          line(D.words.themes + ": " + themes.join(", "));
        }
        place(e);
      }
      function place(e) {
        tip.hidden = false;
        var x = e.clientX + 14, y = e.clientY + 14;
        if (x + tip.offsetWidth > window.innerWidth - 4) x = e.clientX - 14 - tip.offsetWidth;
        if (y + tip.offsetHeight > window.innerHeight - 4) y = e.clientY - 14 - tip.offsetHeight;
        tip.style.left = Math.max(4, x) + "px";
        tip.style.top = Math.max(4, y) + "px";
      }
      function hide() { tip.hidden = true; highlight.setAttribute("d", ""); }

      // Theme filters: an entity shows when one of its themes is checked.
      var marks = [].slice.call(svg.querySelectorAll("#entities use, #entity-areas path"));
      var markThemes = marks.map(function (m) { return (m.getAttribute("data-t") || "").split(" ").filter(Boolean); });
      var boxes = [].slice.call(document.querySelectorAll("#themes input"));
      var shown = document.getElementById("shown");
      function filter() {
        var on = {}, n = 0;
        boxes.forEach(function (b) { if (b.checked) on[b.value] = true; });
        for (var i = 0; i < marks.length; i++) {
          var visible = markThemes[i].some(function (t) { return on[t]; });
          marks[i].style.display = visible ? "" : "none";
          if (visible) n++;
        }
        if (P) {
          profileOn = P.profiles.map(function (pr) { return pr.slice(1).some(function (t) { return on[t]; }); });
          for (var j = 0; j < P.p.length; j++) if (profileOn[P.p[j]]) n++;
          relayout();
        }
        shown.textContent = fmt(n, 0);
      }
      boxes.forEach(function (b) { b.addEventListener("change", filter); });
      document.getElementById("themes-all").onclick = function () { boxes.forEach(function (b) { b.checked = true; }); filter(); };
      document.getElementById("themes-none").onclick = function () { boxes.forEach(function (b) { b.checked = false; }); filter(); };

      // The table of districts: a click on a heading sorts by that column (again: the other way);
      // a row under the pointer outlines its district on the map.
      var table = document.getElementById("district-table");
      if (table) {
        var body = table.tBodies[0], heads = [].slice.call(table.tHead.rows[0].cells);
        heads.forEach(function (th, col) {
          th.addEventListener("click", function () {
            var up = th.getAttribute("aria-sort") !== "ascending";
            heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
            th.setAttribute("aria-sort", up ? "ascending" : "descending");
            var text = th.getAttribute("data-type") === "text";
            var rows = [].slice.call(body.rows);
            rows.sort(function (a, b) {
              var x = a.cells[col], y = b.cells[col];
              var d = text ? x.textContent.localeCompare(y.textContent, document.documentElement.lang)
                           : parseFloat(x.getAttribute("data-v")) - parseFloat(y.getAttribute("data-v"));
              return up ? d : -d;
            });
            rows.forEach(function (r) { body.appendChild(r); });
          });
        });
        var paths = {};
        [].slice.call(svg.querySelectorAll("#districts path")).forEach(function (p) { paths[p.getAttribute("data-id")] = p; });
        body.addEventListener("mouseover", function (e) {
          var row = e.target.closest("tr"), p = row ? paths[row.getAttribute("data-id")] : null;
          highlight.setAttribute("d", p ? p.getAttribute("d") : "");
        });
        body.addEventListener("mouseleave", function () { highlight.setAttribute("d", ""); });
      }

      // Clusters open as the reader zooms in: the entities they stand for are put into cells half as
      // wide at each doubling of the zoom; a cell with fewer than P.min entities shows them one by one.
      var P = null, profileOn = null, px = null, py = null, ids = null, pending = false;
      var pointsElement = document.getElementById("civic-points");
      var live = document.getElementById("clusters-live");
      if (pointsElement && live) {
        P = JSON.parse(pointsElement.textContent);
        document.getElementById("clusters").style.display = "none";
        px = new Float64Array(P.x.length); py = new Float64Array(P.x.length); ids = P.s ? P.s.slice() : new Float64Array(P.x.length);
        var last = 0;
        for (var q = 0; q < P.x.length; q++) {
          px[q] = F[0] + P.x[q] / 10; py[q] = F[1] + P.y[q] / 10; if (!P.s) { last += P.i[q]; ids[q] = last; }
        }
        profileOn = P.profiles.map(function () { return true; });
      }
      function schedule() {
        if (!P || pending) return;
        pending = true;
        window.requestAnimationFrame(function () { pending = false; relayout(); });
      }
      function make(name, attrs) {
        var el = document.createElementNS(svg.namespaceURI, name);
        for (var a in attrs) el.setAttribute(a, attrs[a]);
        return el;
      }
      function relayout() {
        if (!P) return;
        var level = Math.pow(2, Math.floor(Math.log(s) / Math.LN2 + 1e-9)), cell = P.cell / level;
        var x0 = (F[0] - tx) / s - cell, x1 = (F[2] - tx) / s + cell, y0 = (F[1] - ty) / s - cell, y1 = (F[3] - ty) / s + cell;
        var bins = new Map();
        for (var i = 0; i < px.length; i++) {
          if (!profileOn[P.p[i]]) continue;
          var x = px[i], y = py[i];
          if (x < x0 || x > x1 || y < y0 || y > y1) continue;
          var key = Math.floor((x - F[0]) / cell) * 1048576 + Math.floor((y - F[1]) / cell);
          var bin = bins.get(key);
          if (bin) bin.push(i); else bins.set(key, [i]);
        }
        live.textContent = "";
        var groups = {}, clusterGroup = make("g", {});
        P.order.forEach(function (k) { groups[k] = make("g", { "data-k": k }); live.appendChild(groups[k]); });
        live.appendChild(clusterGroup);
        bins.forEach(function (members, key) {
          if (members.length < P.min) {
            members.forEach(function (i) {
              var pr = P.profiles[P.p[i]];
              groups[pr[0]].appendChild(make("use", { href: "#k" + pr[0], x: px[i].toFixed(1), y: py[i].toFixed(1),
                "data-n": P.n ? P.n[i] : "\\u2116 " + ids[i], "data-t": pr.slice(1).join(" ") }));
            });
            return;
          }
          var sx = 0, sy = 0;
          members.forEach(function (i) { sx += px[i]; sy += py[i]; });
          var col = Math.floor(key / 1048576), row = key - col * 1048576;
          var r = Math.min(P.radius[2], P.radius[0] + P.radius[1] * Math.log(members.length) / Math.LN10) * P.cell / s;
          var left = F[0] + col * cell, top = F[1] + row * cell;
          var cx = clamp(sx / members.length, left + r, left + cell - r), cy = clamp(sy / members.length, top + r, top + cell - r);
          var label = fmt(members.length, 0), size = Math.min(1.2 * r, 1.7 * r / (0.7 * label.length));
          var g = make("g", { "data-c": members.length });
          g.appendChild(make("path", { d: "M" + (cx - r).toFixed(2) + "," + cy.toFixed(2) + "a" + r.toFixed(3) + "," + r.toFixed(3) +
            " 0 1,0 " + (2 * r).toFixed(3) + ",0a" + r.toFixed(3) + "," + r.toFixed(3) + " 0 1,0 " + (-2 * r).toFixed(3) + ",0Z",
            fill: "\(MapStyle.cluster)", "fill-opacity": "0.88", stroke: "#fff", "stroke-width": Math.max(0.4, r * s * 0.12).toFixed(2) }));
          var t = make("text", { x: cx.toFixed(2), y: (cy + 0.36 * size).toFixed(2), "font-size": size.toFixed(3),
            "text-anchor": "middle", "font-weight": "bold", fill: "#fff" });
          t.textContent = label;
          g.appendChild(t);
          clusterGroup.appendChild(g);
        });
      }
      relayout();
    })();

    """
}
