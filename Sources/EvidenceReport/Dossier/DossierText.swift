import EvidenceVault
import Foundation

/// The dossier as plain text pages: what an investigator prints and reads.
public enum DossierText {
  /// Characters per line and lines per page of the printed layout.
  public static let lineWidth = 78
  public static let linesPerPage = 64

  /// Content lines per page: all but the running header, the blank after it, the blank before the footer and the
  /// footer.
  static var bodyLines: Int { linesPerPage - 4 }

  /// The whole dossier as plain UTF-8: pages separated by form feeds (\u{0C}), each with a running header and a
  /// footer "Sida 3 av 12" / "Page 3 of 12".
  public static func render(_ model: DossierModel) -> String {
    let strings = DossierStrings(language: model.language)
    let sections = DossierSections(model: model, strings: strings)
    let bodies = sections.bodies()
    let bodyPages = bodies.map { paginate($0.lines) }
    // The cover's length does not depend on the page numbers in its contents list, so lay it out once to count.
    let draftCover = paginate(sections.cover(contents: bodies.map { ($0.heading, 0) }))
    var next = draftCover.count + 1
    var contents: [(String, Int)] = []
    for (body, pages) in zip(bodies, bodyPages) {
      contents.append((body.heading, next))
      next += pages.count
    }
    let pages = paginate(sections.cover(contents: contents)) + bodyPages.flatMap { $0 }
    let header = runningHeader(model, strings: strings)
    return pages.enumerated().map { index, body in
      var lines = [header, ""] + body
      while lines.count < linesPerPage - 2 { lines.append("") }
      lines.append("")
      lines.append(centred(strings.pageFooter(index + 1, of: pages.count)))
      return lines.joined(separator: "\n") + "\n"
    }.joined(separator: "\u{0C}")
  }

  /// The help lines (section 8) alone, for `evidence support`, in one language.
  public static func supportText(language: DossierModel.Language) -> String {
    let strings = DossierStrings(language: language)
    let lines = heading(strings.helpHeading) + helpLines(strings)
    return lines.map(\.text).joined(separator: "\n") + "\n"
  }

  // MARK: - Pages

  /// The title and the period, cut with "…" if wider than a line.
  static func runningHeader(_ model: DossierModel, strings: DossierStrings) -> String {
    let period = strings.isoPeriod(model)
    let header = "\(strings.title) · \(period)"
    guard header.count > lineWidth else { return header }
    return String(header.prefix(lineWidth - 1)) + "…"
  }

  /// `text` with spaces before it to centre it on the line.
  static func centred(_ text: String) -> String {
    String(repeating: " ", count: max(0, (lineWidth - text.count) / 2)) + text
  }

  /// Cuts lines into pages of `bodyLines`, keeping a heading with what follows it and dropping blank lines at
  /// the top of a page.
  static func paginate(_ lines: [DossierLine]) -> [[String]] {
    var pages: [[String]] = []
    var current: [String] = []
    for index in lines.indices {
      var end = index
      while end < lines.count - 1, lines[end].keepWithNext, end - index + 1 < bodyLines { end += 1 }
      if current.count + (end - index + 1) > bodyLines, !current.isEmpty {
        pages.append(current)
        current = []
      }
      if current.isEmpty, lines[index].text.isEmpty, !pages.isEmpty { continue }
      current.append(lines[index].text)
      if current.count == bodyLines {
        pages.append(current)
        current = []
      }
    }
    if !current.isEmpty || pages.isEmpty { pages.append(current) }
    return pages
  }

  // MARK: - Lines

  /// A section heading, underlined, with a blank line after it.
  static func heading(_ text: String, underline: Character = "=") -> [DossierLine] {
    let lines = wrap(text, first: "", rest: "")
    let width = lines.map(\.count).max() ?? 0
    return (lines + [String(repeating: underline, count: width), ""]).map { DossierLine($0, keepWithNext: true) }
  }

  /// Word-wraps one paragraph: the first line starts with `first`, later ones with `rest`. A word longer than a
  /// line is broken across lines, never dropped.
  static func wrap(_ text: String, first: String, rest: String, width: Int = lineWidth) -> [String] {
    // Most fields are short, single-spaced text: they fit on their first line as they are. (UTF-8 bytes are at
    // least as many as characters, so fitting in bytes means fitting.)
    if first.utf8.count + text.utf8.count <= width, isPlainSingleSpaced(text), !first.isEmpty || !text.isEmpty {
      return [trimmingTrailingSpaces(first + text)]
    }
    var lines: [String] = []
    var line = first
    var hasWord = false
    for piece in text.split(whereSeparator: \.isWhitespace) {
      var word = Substring(piece)
      if hasWord, line.count + 1 + word.count <= width {
        line += " " + word
        continue
      }
      if !hasWord, line.count + word.count <= width {
        line += word
        hasWord = true
        continue
      }
      // A word that fits after the hanging indent (a hash after a long label) moves there whole.
      if hasWord || (line.count > rest.count && rest.count + word.count <= width) {
        lines.append(line)
        line = rest
        hasWord = false
      }
      while line.count + word.count > width {
        let room = max(1, width - line.count)
        lines.append(line + word.prefix(room))
        word = word.dropFirst(room)
        line = rest
      }
      if !word.isEmpty {
        line += word
        hasWord = true
      }
    }
    if hasWord || lines.isEmpty { lines.append(line) }
    return lines.map(trimmingTrailingSpaces)
  }

  /// A text of several paragraphs, each wrapped with `indent`; empty lines stay.
  static func paragraphs(_ text: String, indent: String) -> [DossierLine] {
    text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).flatMap { paragraph in
      paragraph.allSatisfy(\.isWhitespace)
        ? [""] : wrap(String(paragraph), first: indent, rest: indent)
    }.map { DossierLine($0) }
  }

  /// "  Label: value", wrapped with a hanging indent; a value of several lines is joined with " / ".
  static func field(_ label: String, _ value: String) -> [DossierLine] {
    wrap(oneLine(value), first: "  \(label): ", rest: "      ").map { DossierLine($0) }
  }

  /// The exact text, never reflowed: every original line after "  | ", a line longer than the page continuing
  /// after "  + ".
  static func verbatim(_ text: String) -> [DossierLine] {
    let room = lineWidth - 4
    return text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).flatMap { original in
      guard !original.isEmpty else { return [DossierLine("  |")] }
      var lines: [DossierLine] = []
      var rest = Substring(original)
      var prefix = "  | "
      while !rest.isEmpty {
        lines.append(DossierLine(prefix + rest.prefix(room)))
        rest = rest.dropFirst(room)
        prefix = "  + "
      }
      return lines
    }
  }

  /// The text on one line: its line breaks become " / ".
  public static func oneLine(_ text: String) -> String {
    if !containsLineBreak(text), text.first?.isWhitespace != true, text.last?.isWhitespace != true { return text }
    return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }.joined(separator: " / ")
  }

  /// True when `text` holds no line break of any kind (the ASCII ones, NEL, LS, PS), by its UTF-8 bytes.
  static func containsLineBreak(_ text: String) -> Bool {
    var previous: (UInt8, UInt8) = (0, 0)
    for byte in text.utf8 {
      switch byte {
      case 0x0A...0x0D: return true
      case 0x85 where previous.1 == 0xC2: return true
      case 0xA8, 0xA9: if previous == (0xE2, 0x80) { return true }
      default: break
      }
      previous = (previous.1, byte)
    }
    return false
  }

  /// True when the only white space in `text` is single ASCII spaces between words: no tabs, breaks, runs of
  /// spaces or spaces at either end, and none of the lead bytes of Unicode's other spaces (C2, E1, E2, E3), so
  /// that splitting at white space and joining with one space would give `text` back.
  static func isPlainSingleSpaced(_ text: String) -> Bool {
    var previous: UInt8 = 0x20
    for byte in text.utf8 {
      switch byte {
      case 0x09...0x0D, 0xC2, 0xE1, 0xE2, 0xE3: return false
      case 0x20 where previous == 0x20: return false
      default: previous = byte
      }
    }
    return previous != 0x20 || text.isEmpty
  }

  private static func trimmingTrailingSpaces(_ line: String) -> String {
    var line = line
    while line.last == " " { line.removeLast() }
    return line
  }

  /// The help entries: the number in a column, what it is for wrapped beside it.
  static func helpLines(_ strings: DossierStrings) -> [DossierLine] {
    let column = 16
    return strings.helpEntries.flatMap { entry in
      let number = "  " + entry.number
      let first = number + String(repeating: " ", count: max(1, column - number.count))
      return wrap(entry.text, first: first, rest: String(repeating: " ", count: column))
    }.map { DossierLine($0) }
  }
}

/// One line of a section, and whether it must stay on the same page as the next one.
struct DossierLine {
  var text: String
  var keepWithNext: Bool

  init(_ text: String, keepWithNext: Bool = false) {
    self.text = text
    self.keepWithNext = keepWithNext
  }
}
