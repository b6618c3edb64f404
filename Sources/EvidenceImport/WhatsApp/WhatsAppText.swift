import Foundation

/// Reading the part of a WhatsApp chat line after the timestamp: the sender, the text and any attachment marker.
enum WhatsAppText {
  /// An attachment marker found in a message.
  struct Attachment: Equatable {
    /// The file name, or nil when the export left the media out.
    var fileName: String?
    /// The marker as written when the media was left out (`<Media omitted>`, `image omitted`).
    var omittedReason: String?
  }

  /// True for the invisible direction marks WhatsApp puts at the start of lines and before attachment markers.
  static func isLineStartMark(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x200E, 0x200F, 0xFEFF: true
    default: false
    }
  }

  /// True for the bidirectional controls Android wraps around names and phone numbers.
  static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x200E, 0x200F, 0xFEFF, 0x202A...0x202E, 0x2066...0x2069: true
    default: false
    }
  }

  /// True for an ordinary space and the no-break spaces phones put before AM/PM.
  static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x20, 0xA0, 0x202F, 0x2009: true
    default: false
    }
  }

  /// Removes bidirectional controls from both ends of `text`.
  static func trimBidi(_ text: Substring) -> String {
    if let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
      !isBidiControl(first), !isBidiControl(last)
    {
      return String(text)
    }
    var scalars = Substring.UnicodeScalarView(text.unicodeScalars)
    while let first = scalars.first, isBidiControl(first) { scalars.removeFirst() }
    while let last = scalars.last, isBidiControl(last) { scalars.removeLast() }
    return String(String.UnicodeScalarView(scalars))
  }

  /// Removes the direction marks at the start of `text` (formatting, not words).
  static func dropLeadingMarks(_ text: Substring) -> Substring {
    var scalars = text.unicodeScalars[...]
    while let first = scalars.first, isLineStartMark(first) { scalars.removeFirst() }
    return Substring(scalars)
  }

  /// Splits `Marko: text` into the sender and the text; nil for a system line ("Marko changed the group name").
  static func splitSender(_ body: String) -> (sender: String, text: String)? {
    guard let colon = body.utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
    let afterColon = body.utf8.index(after: colon)
    let atEnd = afterColon == body.endIndex
    guard atEnd || body.utf8[afterColon] == UInt8(ascii: " ") else { return nil }
    let name = trimBidi(body[..<colon])
    guard name.contains(where: { !$0.isWhitespace }) else { return nil }
    // A system notice quoting text with a colon ("changed the subject to "Re: plans"") is not a name.
    guard !name.unicodeScalars.contains(where: isQuote) else { return nil }
    let text = atEnd ? "" : String(body[body.utf8.index(after: afterColon)...])
    return (name, text)
  }

  private static func isQuote(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x22, 0x201C, 0x201D, 0x201E, 0xAB, 0xBB: true
    default: false
    }
  }

  /// True when a name is really a phone number (`+46 70 123 45 67`).
  static func looksLikePhoneNumber(_ name: String) -> Bool {
    let allowed = "+0123456789 -().\u{A0}"
    guard let first = name.unicodeScalars.first, first == "+" || ("0"..."9").contains(first) else { return false }
    guard name.unicodeScalars.allSatisfy({ allowed.unicodeScalars.contains($0) }) else { return false }
    return name.unicodeScalars.filter { ("0"..."9").contains($0) }.count >= 5
  }

  private static let omittedMedia: Set<String> = ["<Media omitted>", "<Media utelämnad>", "<Media weggelassen>"]
  private static let attachedKeywords = ["attached", "bifogad", "bifogat", "angehängt"]
  private static let fileAttachedSuffixes = [" (file attached)", " (fil bifogad)", " (Datei angehängt)"]
  private static let iOSOmittedWords = ["omitted", "utelämnad", "utelämnat", "utelämnade"]
  private static let iOSNotices = [
    "Messages and calls are end-to-end encrypted", "Meddelanden och samtal är end-to-end-krypterade",
    "You blocked this contact", "You unblocked this contact", "Du blockerade den här kontakten",
    "Du avblockerade den här kontakten", "Your security code with", "Din säkerhetskod med",
  ]

  /// True for an iOS system notice, which iOS writes with the chat's name as if it were a sender.
  static func isIOSNotice(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first, isLineStartMark(first) else { return false }
    let words = dropLeadingMarks(text[...])
    return iOSNotices.contains { words.hasPrefix($0) }
  }

  /// Finds an attachment marker in the first line of a message and returns it with the caption left over.
  static func attachment(in firstLine: String) -> (attachment: Attachment, caption: String)? {
    // Every marker has a "<" or a "(" or starts with a direction mark: most lines are plain text.
    let hasMark = firstLine.unicodeScalars.first.map(isLineStartMark) ?? false
    guard hasMark || firstLine.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "(") }) else {
      return nil
    }
    let unmarked = String(dropLeadingMarks(firstLine[...]))
    if omittedMedia.contains(unmarked) || (unmarked.hasPrefix("<Media ") && unmarked.hasSuffix(">")) {
      return (Attachment(fileName: nil, omittedReason: unmarked), "")
    }
    if unmarked != firstLine, isIOSOmitted(unmarked) {
      return (Attachment(fileName: nil, omittedReason: unmarked), "")
    }
    if let found = attachedMarker(in: firstLine) { return found }
    for suffix in fileAttachedSuffixes {
      guard let range = firstLine.range(of: suffix) else { continue }
      let name = trimBidi(firstLine[..<range.lowerBound])
      // A file name has an extension; "see this (file attached)" typed by hand does not make one.
      guard name.contains("."), !name.hasSuffix(".") else { continue }
      let caption = firstLine[range.upperBound...].trimmingCharacters(in: .whitespaces)
      return (Attachment(fileName: name, omittedReason: nil), caption)
    }
    return nil
  }

  /// `image omitted`, `video omitted`, `bild utelämnad`: one word and the word for left out.
  private static func isIOSOmitted(_ text: String) -> Bool {
    let words = text.split(separator: " ", omittingEmptySubsequences: false)
    guard words.count == 2, let last = words.last else { return false }
    return iOSOmittedWords.contains(String(last))
  }

  /// `‎<attached: 00000012-PHOTO-2026-11-28-22-31-05.jpg>` anywhere on the line.
  private static func attachedMarker(in line: String) -> (attachment: Attachment, caption: String)? {
    for keyword in attachedKeywords {
      guard let open = line.range(of: "<\(keyword): "),
        let close = line[open.upperBound...].firstIndex(of: ">")
      else { continue }
      let name = String(line[open.upperBound..<close])
      guard !name.isEmpty else { continue }
      var before = Substring(line[..<open.lowerBound])
      while let last = before.unicodeScalars.last, isLineStartMark(last) { before.unicodeScalars.removeLast() }
      let after = line[line.index(after: close)...]
      let caption = [before, after]
        .map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty }
        .joined(separator: " ")
      return (Attachment(fileName: name, omittedReason: nil), caption)
    }
    return nil
  }
}
