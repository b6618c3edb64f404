import Foundation

/// The header fields of a message or body part, in file order, each unfolded.
struct MIMEHeaders {
  /// One field: its name as written and its value unfolded (the line breaks before continuation lines removed,
  /// the leading and trailing blanks of the whole value trimmed).
  struct Field {
    var name: String
    var value: String
  }

  var fields: [Field] = []

  /// The first value of the field `name` (case-insensitive).
  func first(_ name: String) -> String? {
    fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
  }

  /// Every value of the field `name` (case-insensitive), top first.
  func all(_ name: String) -> [String] {
    fields.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
  }
}

/// An entity split into its header fields and its body.
struct MIMEEntity {
  var headers: MIMEHeaders
  var body: ArraySlice<UInt8>
  /// False when the first line is not a header field (nor a blank line), so the entity has no header section.
  var startsWithHeader: Bool

  /// Splits `bytes` at the first blank line.
  ///
  /// A line that is neither a field, a continuation, nor blank ends the header section early and starts the
  /// body (lenient, as broken mailers do this); when it is the very first line, the whole is body.
  init(_ bytes: ArraySlice<UInt8>) {
    headers = MIMEHeaders()
    body = bytes[bytes.endIndex...]
    startsWithHeader = true
    var current: (name: String, value: [UInt8])?
    var fields: [MIMEHeaders.Field] = []

    func finish() {
      if let field = current {
        let value = MailCharset.header(field.value).trimmingCharacters(in: .whitespacesAndNewlines)
        fields.append(MIMEHeaders.Field(name: field.name, value: value))
      }
      current = nil
    }

    var lineStart = bytes.startIndex
    while lineStart < bytes.endIndex {
      let newline = bytes[lineStart...].firstIndex(of: 0x0A)
      let next = newline.map { $0 + 1 } ?? bytes.endIndex
      var contentEnd = newline ?? bytes.endIndex
      if contentEnd > lineStart, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
      let line = bytes[lineStart..<contentEnd]
      if line.isEmpty {
        body = bytes[next...]
        finish()
        headers.fields = fields
        return
      }
      let first = line[line.startIndex]
      if first == 0x20 || first == 0x09, current != nil {
        current?.value.append(contentsOf: line)
      } else if let colon = Self.fieldNameEnd(line) {
        finish()
        current = (String(decoding: line[line.startIndex..<colon], as: UTF8.self), Array(line[(colon + 1)...]))
      } else {
        if lineStart == bytes.startIndex { startsWithHeader = false }
        body = bytes[lineStart...]
        finish()
        headers.fields = fields
        return
      }
      lineStart = next
    }
    finish()
    headers.fields = fields
  }

  /// The index of the colon when `line` starts with a field name (printable ASCII, no space) and a colon.
  private static func fieldNameEnd(_ line: ArraySlice<UInt8>) -> Int? {
    guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else { return nil }
    var index = line.startIndex
    while index < colon {
      guard (33...126).contains(line[index]) else {
        // Tolerate blanks between the name and the colon ("Subject : hi"), which old mailers wrote.
        if line[index] == 0x20 || line[index] == 0x09,
          line[index..<colon].allSatisfy({ $0 == 0x20 || $0 == 0x09 }), index > line.startIndex
        {
          return colon
        }
        return nil
      }
      index += 1
    }
    return colon
  }
}

/// A structured field value with parameters: Content-Type and Content-Disposition.
struct MIMEParameterizedValue {
  /// The value before the first ";", lowercased ("text/plain", "attachment").
  var value: String
  /// Parameters by lowercased name, with quoting, RFC 2231 continuations and charsets undone.
  var parameters: [String: String]

  /// Reads `text` ("text/plain; charset=\"utf-8\"").
  init(_ text: String) {
    let pieces = Self.splitOutsideQuotes(text)
    value = (pieces.first ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    var plain: [String: String] = [:]
    var extended: [String: String] = [:]
    var sections: [String: [(number: Int, encoded: Bool, text: String)]] = [:]
    for piece in pieces.dropFirst() {
      guard let equals = piece.firstIndex(of: "=") else { continue }
      let name = piece[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
      let raw = piece[piece.index(after: equals)...].trimmingCharacters(in: .whitespaces)
      let unquoted = Self.unquote(raw)
      if let star = name.firstIndex(of: "*") {
        let base = String(name[..<star])
        let rest = name[name.index(after: star)...]
        if rest.isEmpty {
          extended[base] = Self.decodeExtended(unquoted, hasCharset: true)
        } else {
          let encoded = rest.hasSuffix("*")
          let digits = encoded ? rest.dropLast() : rest[...]
          if let number = Int(digits) {
            sections[base, default: []].append((number, encoded, unquoted))
          }
        }
      } else {
        plain[name] = unquoted
      }
    }
    for (name, parts) in sections where extended[name] == nil {
      extended[name] = Self.joinSections(parts.sorted { $0.number < $1.number })
    }
    parameters = plain.merging(extended) { _, new in new }
  }

  /// Joins RFC 2231 continuation sections; the first encoded section names the charset.
  private static func joinSections(_ parts: [(number: Int, encoded: Bool, text: String)]) -> String {
    var bytes: [UInt8] = []
    var charset: String?
    for (offset, part) in parts.enumerated() {
      if part.encoded {
        var text = Substring(part.text)
        if offset == 0 {
          let pieces = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
          if pieces.count == 3 {
            charset = String(pieces[0])
            text = pieces[2]
          }
        }
        bytes += percentDecode(text)
      } else {
        bytes += Array(part.text.utf8)
      }
    }
    return MailCharset.decode(bytes, charset: charset.flatMap { $0.isEmpty ? nil : $0 } ?? "utf-8")
  }

  /// Decodes "charset'language'%XX…" (or, without the charset prefix, just the percent escapes).
  private static func decodeExtended(_ text: String, hasCharset: Bool) -> String {
    let pieces = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
    guard hasCharset, pieces.count == 3 else {
      return MailCharset.decode(percentDecode(Substring(text)), charset: "utf-8")
    }
    let charset = pieces[0].isEmpty ? "utf-8" : String(pieces[0])
    return MailCharset.decode(percentDecode(pieces[2]), charset: charset)
  }

  /// "%XX" becomes the byte; other characters stay as their UTF-8 bytes.
  private static func percentDecode(_ text: Substring) -> [UInt8] {
    let bytes = Array(text.utf8)
    var output: [UInt8] = []
    var index = 0
    while index < bytes.count {
      if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
        let high = TransferDecoding.hexValue(bytes[index + 1]), let low = TransferDecoding.hexValue(bytes[index + 2])
      {
        output.append(high << 4 | low)
        index += 3
      } else {
        output.append(bytes[index])
        index += 1
      }
    }
    return output
  }

  /// Removes the quotes around a quoted string and its backslash escapes; other text is returned as it is.
  static func unquote(_ text: String) -> String {
    guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return text }
    var output = ""
    var escaped = false
    for character in text.dropFirst().dropLast() {
      if escaped {
        output.append(character)
        escaped = false
      } else if character == "\\" {
        escaped = true
      } else {
        output.append(character)
      }
    }
    return output
  }

  /// Splits on ";" that are not inside a quoted string.
  private static func splitOutsideQuotes(_ text: String) -> [String] {
    var pieces: [String] = []
    var current = ""
    var quoted = false
    var escaped = false
    for character in text {
      if escaped {
        escaped = false
      } else if character == "\\" && quoted {
        escaped = true
      } else if character == "\"" {
        quoted.toggle()
      } else if character == ";" && !quoted {
        pieces.append(current)
        current = ""
        continue
      }
      current.append(character)
    }
    pieces.append(current)
    return pieces
  }
}
