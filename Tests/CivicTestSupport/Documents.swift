import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

// Reading what civic writes for browsers and print: SVG maps and web pages.

/// An element of a parsed document: enough of a DOM to look things up in the SVG.
public final class Element {
    public let name: String
    public let attributes: [String: String]
    public internal(set) var children: [Element] = []
    public internal(set) var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    public subscript(_ attribute: String) -> String? { attributes[attribute] }

    /// This element and all below it, in document order.
    public var all: [Element] { [self] + children.flatMap(\.all) }

    /// The first element below with this `id`.
    public func byID(_ id: String) -> Element? { all.first { $0["id"] == id } }

    public func descendants(_ name: String) -> [Element] { all.dropFirst().filter { $0.name == name } }

    /// The text of this element and its descendants, each piece trimmed, joined by single spaces
    /// (a heading wrapped over two `<text>` lines reads as one).
    public var fullText: String {
        ([text] + children.map(\.fullText))
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }

    public func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    var stack: [Element] = []
    var root: Element?

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        let element = Element(name: name, attributes: attributes)
        stack.last?.children.append(element)
        if stack.isEmpty { root = element }
        stack.append(element)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack.last?.text += string
    }
}

public struct XMLProblem: Error, CustomStringConvertible {
    public var description: String
}

/// Parses `text` with Foundation's XMLParser (libxml2): throws when it is not well-formed XML.
public func parseXML(_ text: String) throws -> Element {
    let parser = XMLParser(data: Data(text.utf8))
    let builder = TreeBuilder()
    parser.delegate = builder
    guard parser.parse(), let root = builder.root else {
        throw XMLProblem(description: "not well-formed at line \(parser.lineNumber), column \(parser.columnNumber): "
                         + (parser.parserError.map { "\($0)" } ?? "unknown error"))
    }
    return root
}

// MARK: - Web pages

/// Everything in `html` that would make a browser fetch something: `src=` or `href=` to
/// anything but a `#fragment`, `url(` to anything but a fragment, `@import`, `<link`, `<iframe`,
/// `<object`, `<embed`, `<base`, a `//` host. The SVG namespace (`xmlns="http://…"`) is a name,
/// not a load, and is allowed.
public func externalLoads(in html: String) -> [String] {
    var found: [String] = []
    let patterns = [
        #"\b(?:src|href|xlink:href|action|poster|data)\s*=\s*(?:"(?!#)|'(?!#)|(?!["'#]))[^"'\s>]*"#,
        #"url\(\s*(?:"(?!#)|'(?!#)|(?!["'#]))"#,
        #"@import"#,
        #"<(?:link|iframe|object|embed|base|img|audio|video|source)\b"#,
        #"(?<!xmlns=")(?<!xmlns:xlink=")https?://"#,
        #"fetch\(|XMLHttpRequest|import\("#,
    ]
    for pattern in patterns {
        let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        let range = NSRange(html.startIndex..., in: html)
        for match in regex?.matches(in: html, range: range) ?? [] {
            if let r = Range(match.range, in: html) { found.append(String(html[r])) }
        }
    }
    // `data-…=` attributes are ours; the pattern above matches only a bare `data=`.
    return found.filter { !$0.lowercased().hasPrefix("data-") }
}
