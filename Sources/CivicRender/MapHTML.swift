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
        out.raw("</script>\n<script>\n")
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
        let total = entityAreas.count + entityPoints.count
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
    }

    /// What the script needs besides the SVG: labels of kinds and themes, words, number style.
    private var pageData: JSONValue {
        var words = JSONObject()
        words["covered"] = .string(self.words.coveredWord)
        words["leftOut"] = .string(self.words.leftOutWord)
        words["population"] = .string(self.words.populationWord)
        words["entities"] = .string(self.words.entitiesWord)
        words["kind"] = .string(self.words.kindWord)
        words["themes"] = .string(self.words.themesWord)
        var root = JSONObject()
        root["kinds"] = .array(kinds.map { .string($0.label) })
        root["themes"] = .array(themes.map { .string($0.label) })
        root["words"] = .object(words)
        root["decimal"] = .string(self.words.language == "en" ? "." : ",")
        root["group"] = .string(self.words.language == "en" ? "," : "\u{00A0}")
        root["groupFrom"] = .number(self.words.language == "en" ? 4 : 5)
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
        #labels,#gaps,#district-edges,#highlight,#legend,#title-block,#sources,#scale-bar,#north-arrow{pointer-events:none}
        #districts path:hover{stroke:#1f1f1f;stroke-width:2}
        #controls{width:270px;flex:none;overflow:auto;padding:14px 16px;border-left:1px solid #d8d8d4;font-size:14px;line-height:1.35}
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
        if (i.replace("-", "").length >= D.groupFrom) i = i.replace(/\\B(?=(\\d{3})+(?!\\d))/g, D.group);
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
        if (drag && !drag.moved && !pinch) show(e);
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
        shown.textContent = fmt(n, 0);
      }
      boxes.forEach(function (b) { b.addEventListener("change", filter); });
      document.getElementById("themes-all").onclick = function () { boxes.forEach(function (b) { b.checked = true; }); filter(); };
      document.getElementById("themes-none").onclick = function () { boxes.forEach(function (b) { b.checked = false; }); filter(); };
    })();

    """
}
